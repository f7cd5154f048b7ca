"""The console sockets this process holds, per expert, and what it last knew of them.

The live store counts every console connection and keeps each expert's routing profile
and availability, shared by all processes. When Redis loses its data (a restart without
persistence, FLUSHALL) all of that is gone while the consoles stay connected, and the
chat would look closed until every expert reconnected. So each process keeps its own
account of its consoles: how many per expert, the profile, and the availability it last
set or read (with when). Its heartbeat notices that the store forgot it
(``LiveStore.heartbeat`` answers True) and then tells the store again
(``LiveStore.assert_expert``, see ``ChatService.reassert_consoles``); a changed account
profile is told the same way.

Connects, disconnects and re-assertions run under ``lock``: the count told is then
exactly the count held. A connection counted by the store between reading the count and
telling it would otherwise be counted twice, or not at all.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from chatserver.live.models import ExpertProfile

Presence = tuple[bool, float]


@dataclass
class HeldExpert:
    """One expert's consoles on this process."""

    profile: ExpertProfile
    sockets: int = 0
    #: ``(available, at)``: the last availability this process set or read for them.
    presence: Presence | None = None


class LocalConsoles:
    """Per expert: the console sockets of this process, their profile and availability."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self._held: dict[int, HeldExpert] = {}

    def connected(self, profile: ExpertProfile) -> None:
        """One more console of ``profile``'s expert (call with ``lock`` held)."""
        held = self._held.setdefault(profile.expert_id, HeldExpert(profile))
        held.profile = profile
        held.sockets += 1

    def disconnected(self, expert_id: int) -> None:
        """One console less; an expert with none left is forgotten (call with ``lock`` held)."""
        held = self._held.get(expert_id)
        if held is None:
            return
        held.sockets -= 1
        if held.sockets <= 0:
            del self._held[expert_id]

    def said(self, expert_id: int, presence: Presence) -> None:
        """Remember the availability set or read for an expert with consoles here."""
        held = self._held.get(expert_id)
        if held is not None and (held.presence is None or presence[1] >= held.presence[1]):
            held.presence = presence

    def get(self, expert_id: int) -> HeldExpert | None:
        """What this process holds of one expert, or None."""
        return self._held.get(expert_id)

    def held(self) -> list[HeldExpert]:
        """Every expert with a console here."""
        return list(self._held.values())
