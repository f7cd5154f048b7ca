"""Whether a visitor can chat now, in the four states the widget tells apart.

``open``: an expert can take a chat at once. ``busy``: experts are on shift, connected
and available, but all at capacity (a request queues). ``unstaffed``: within the published
hours (someone is on shift) but nobody on shift is connected and available. ``closed``:
outside the published hours (nobody is on shift). See DESIGN.md "Availability, as the
visitor sees it" and docs/protocol.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from chatserver.live.models import ExpertState

State = Literal["open", "busy", "unstaffed", "closed"]


@dataclass(frozen=True)
class Availability:
    """The state, and the figures it was decided on."""

    state: State
    #: Experts on shift now (routing's candidates).
    candidates: list[int]
    #: Summed capacity of the candidates who are connected and available.
    seats: int
    #: Of those seats, how many could take a chat now (eligible experts' spare capacity).
    free: int

    @property
    def takes_requests(self) -> bool:
        """A chat request is accepted (assigned or queued): ``open`` or ``busy``."""
        return self.seats > 0


def assess(candidates: list[int], states: Sequence[ExpertState], now: float) -> Availability:
    """Decide the state from who is on shift and their live presence and load."""
    present = [s for s in states if s.connections > 0 and s.available]
    seats = sum(s.profile.capacity for s in present)
    free = sum(s.profile.capacity - s.load for s in present if s.is_eligible(now))
    state: State
    if not candidates:
        state = "closed"
    elif seats == 0:
        state = "unstaffed"
    else:
        state = "open" if free > 0 else "busy"
    return Availability(state, candidates, seats, free)


def open_until(opening_hours: Sequence[dict[str, Any]], now: float) -> str | None:
    """The end of the published stretch that holds ``now`` (ISO), or None outside them.

    ``opening_hours`` is the published list of ``{starts_at, ends_at}`` ISO strings.
    """
    at = dt.datetime.fromtimestamp(now, dt.UTC)
    for window in opening_hours:
        starts_at = dt.datetime.fromisoformat(window["starts_at"])
        ends_at = dt.datetime.fromisoformat(window["ends_at"])
        if starts_at <= at < ends_at:
            return str(window["ends_at"])
    return None
