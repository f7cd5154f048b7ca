"""Server processes that die without closing their sockets (SIGKILL, OOM, a lost host).

Each process has a random id (no host name or address) and counts the visitor and console
sockets it holds as its own in the live store. It beats a heartbeat; when the beat stops,
the sweeper of any live process claims it once (``LiveStore.claim_dead_processes``), which
subtracts those sockets, and then starts the same grace as a socket closing normally would:
``visitor_gone`` for a chat left without a visitor, ``expert_gone`` for an expert left
without a console. Without this a killed process's counts stayed up for good: a chat whose
visitor never came back stayed open, and an expert looked connected and got new chats.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from chatserver.chat.notify import Notifier
from chatserver.chat.service import ChatService
from chatserver.errors import OUTAGES
from chatserver.live.models import ReleasedSockets
from chatserver.live.store import LiveStore

#: The heartbeat lives at least this long, so a slow moment is not taken for death.
MIN_HEARTBEAT_TTL_S = 5.0
#: A heartbeat is valid for this many beats (one beat per sweep interval).
HEARTBEAT_BEATS = 3

logger = logging.getLogger(__name__)


def heartbeat_ttl(interval_s: float) -> float:
    """How long one beat keeps the process alive: 3 intervals, never below 5 s."""
    return max(HEARTBEAT_BEATS * interval_s, MIN_HEARTBEAT_TTL_S)


class Processes:
    """This process's heartbeat, and the release of processes whose heartbeat stopped."""

    def __init__(self, store: LiveStore, notifier: Notifier, flow: ChatService) -> None:
        self._store = store
        self._notifier = notifier
        self._flow = flow
        #: Set after the first heartbeat: from then on a store that does not know this
        #: process has lost it.
        self.beaten = False
        #: Set when the store turned out not to know this process, until it was told again.
        self.forgotten = False

    async def run_heartbeat(self, interval_s: float, stop: asyncio.Event) -> None:
        """Beat every ``interval_s`` until ``stop``; its own task, so a slow sweep cannot
        stall it.

        A failing beat (Redis away) is logged and retried: other processes will take this
        one for dead only after the heartbeat's time to live, and its sockets reconnect
        anyway.
        """
        while not stop.is_set():
            await self.beat(interval_s)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    async def beat(self, interval_s: float) -> None:
        """One heartbeat; a failure is logged, not raised (the next beat tries again).

        A store that no longer knows this process (after its first beat) lost its data, or
        released this process as dead: what this process's sockets hold is told to it
        again, at every beat until that succeeds (a pooled connection from before a Redis
        restart may fail once more).
        """
        process_id = self._flow.process_id
        try:
            expires = self._flow.clock() + heartbeat_ttl(interval_s)
            unknown = await self._store.heartbeat(process_id, expires)
            self.forgotten = self.forgotten or (unknown and self.beaten)
            self.beaten = True
            if self.forgotten:
                await self.recover_forgotten_sockets()
                self.forgotten = False
        except OUTAGES as exc:
            logger.warning("heartbeat failed process=%s error=%s", process_id, type(exc).__name__)
        except Exception:
            logger.exception("heartbeat failed process=%s", process_id)

    async def recover_forgotten_sockets(self) -> None:
        """Re-assert this process's consoles; end the visitors' chats the store lost.

        Consoles are asked to resync: their chats that the store lost have ended. Chats the
        store still has (a process only taken for dead) go on.
        """
        experts = await self._flow.reassert_consoles()
        lost = [
            conversation_id
            for conversation_id in self._notifier.local_conversations()
            if await self._store.get_conversation(conversation_id) is None
        ]
        for conversation_id in lost:
            await self._notifier.notify_conversation_lost(conversation_id)
        for sid in self._notifier.local_consoles():
            await self._notifier.notify_resync(sid)
        logger.warning(
            "live store had forgotten this process process=%s experts=%d lost_conversations=%d",
            self._flow.process_id,
            experts,
            len(lost),
        )

    async def release_dead_processes(self) -> list[ReleasedSockets]:
        """Claim processes whose heartbeat expired and start the grace for what they held.

        This process beats first: whatever kept it from beating (a stall, a test's clock
        jumping ahead), a process that is sweeping is alive and never releases itself.
        """
        await self.beat(self._flow.settings.sweep_interval_s)
        released = await self._store.claim_dead_processes(self._flow.clock())
        for dead in released:
            _log_released(dead)
            for conversation_id in dead.conversations:
                await self._flow.visitor_gone(conversation_id)
            for expert_id in dead.experts:
                await self._flow.expert_gone(expert_id)
        return released


def _log_released(dead: ReleasedSockets) -> None:
    # A process that stopped cleanly had closed its sockets: nothing to release.
    held = bool(dead.conversations or dead.experts)
    logger.log(
        logging.WARNING if held else logging.INFO,
        "process gone process=%s conversations=%d experts=%d",
        dead.process_id,
        len(dead.conversations),
        len(dead.experts),
    )
