"""The sweeper: one background task per process that acts on due deadlines.

Deadlines live in the live store, not in per-process timers, so they survive the process
that set them; ``claim_due`` hands each one to one process at a time, with a lease, and
each is confirmed after its handler succeeded (``chat/deadlines.py``): at least once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from contextlib import suppress
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.deadlines import Handler, handle_due
from chatserver.chat.processes import Processes
from chatserver.chat.service import ChatService
from chatserver.errors import OUTAGES
from chatserver.live.store import DEADLINE_KINDS
from chatserver.messagebox.service import MessageBox
from registration.records import months_before, prune_conversation_records
from staffing.patterns import extend_patterns
from staffing.sessions import purge_expired_login_sessions

#: How often expired staff sessions are deleted and recurring shifts generated ahead.
UPKEEP_INTERVAL_S = 3600
#: How often message-box threads past their retention are deleted (by one process).
MESSAGE_PURGE_INTERVAL_S = 60

logger = logging.getLogger(__name__)


class Sweeper:
    """Ends abandoned chats, requeues lost experts' chats, erases content, drains the queue."""

    def __init__(
        self,
        chat: ChatService,
        db: async_sessionmaker[Any],
        message_box: MessageBox,
        processes: Processes | None = None,
    ) -> None:
        self.chat = chat
        #: The app's (chat/services.py); a sweeper of its own, as in tests, makes one.
        self._processes = processes or Processes(chat.store, chat.notifier, chat)
        self._db = db
        self._message_box = message_box
        self._closed_since: float | None = None
        self._upkeep_at = 0.0
        self._handlers: dict[str, Handler] = {
            "visitor_gone": self._visitor_gone,
            "expert_gone": self._expert_gone,
            "erase": self._erase,
            "cooldown": _nothing,  # only its being due matters: the queue drain below
        }
        assert tuple(self._handlers) == DEADLINE_KINDS

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        """Sweep every ``interval_s`` until ``stop`` is set; a failing sweep is logged, not fatal.

        Stopping is cooperative: cancelling in the middle of a database call can leave the
        driver waiting on its connection, so shutdown sets ``stop`` and lets the pass finish.
        """
        while not stop.is_set():
            try:
                await self.sweep()
            except OUTAGES as exc:  # Redis or the database is away: the next pass retries
                logger.warning("sweep failed error=%s", type(exc).__name__)
            except Exception:
                logger.exception("sweep failed")
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    async def sweep(self) -> None:
        """Dead processes' sockets, held database writes, every kind of deadline, the queue."""
        store, now = self.chat.store, self.chat.clock()
        await self._processes.release_dead_processes()
        await self.chat.flush_outbox()
        lease_s = self.chat.settings.deadline_lease_s
        for kind, handler in self._handlers.items():
            await handle_due(store, kind, handler, now, lease_s)
        await self._sweep_queue(now)
        await self._purge_messages(now)
        if now - self._upkeep_at >= UPKEEP_INTERVAL_S:
            self._upkeep_at = now
            await self._purge_sessions(now)
            await self._extend_patterns(now)
            await self._prune_records(now)

    async def _visitor_gone(self, conversation_id: str) -> None:
        await self.chat.do_end_chat(conversation_id, "visitor", "visitor_left")

    async def _expert_gone(self, expert_id: str) -> None:
        await self.chat.do_requeue_expert_chats(int(expert_id))

    async def _erase(self, conversation_id: str) -> None:
        await self.chat.store.erase(conversation_id)
        logger.info("conversation erased conversation=%s", conversation_id)

    async def _purge_messages(self, now: float) -> None:
        """Delete message-box threads past their retention; one process a minute does it.

        An expired thread is already unreadable (threads.thread_for_code); this makes it
        gone. The database is durable, so a missed minute is caught up by the next one.
        """
        if await self.chat.store.claim_once("upkeep:messagebox", MESSAGE_PURGE_INTERVAL_S, now):
            await self._message_box.purge_expired(now)

    async def _extend_patterns(self, now: float) -> None:
        """Generate recurring shifts ahead; one process per hour does it (the store decides)."""
        if not await self.chat.store.claim_once("upkeep:patterns", UPKEEP_INTERVAL_S, now):
            return
        tz = self.chat.settings.timezone
        async with self._db.begin() as session:
            added = await extend_patterns(session, dt.datetime.fromtimestamp(now, tz).date(), tz)
        if added:
            logger.info("recurring shifts generated count=%d", added)

    async def _prune_records(self, now: float) -> None:
        """Delete conversation records past NABIJ_RECORD_RETENTION_MONTHS (idempotent)."""
        months = self.chat.settings.record_retention_months
        cutoff = months_before(dt.datetime.fromtimestamp(now, dt.UTC), months)
        async with self._db.begin() as session:
            pruned = await prune_conversation_records(session, cutoff)
        if pruned:
            logger.info("old conversation records pruned count=%d", pruned)

    async def _purge_sessions(self, now: float) -> None:
        """Delete expired staff sessions (every process may do it; it is idempotent)."""
        async with self._db.begin() as session:
            purged = await purge_expired_login_sessions(
                session, dt.datetime.fromtimestamp(now, dt.UTC)
            )
        if purged:
            logger.info("expired staff sessions purged count=%d", purged)

    async def _sweep_queue(self, now: float) -> None:
        """Assign what the roster now allows; close the queue once closed for a grace period."""
        if not await self.chat.store.queue():
            self._closed_since = None
            return
        await self.chat.drain_queue()
        _, seats = await self.chat.open_capacity(now)
        if seats > 0:
            self._closed_since = None
            return
        self._closed_since = self._closed_since or now
        if now - self._closed_since >= self.chat.settings.reconnect_grace_s:
            for conversation in await self.chat.store.queue():
                await self._close(conversation.id)

    async def _close(self, conversation_id: str) -> None:
        """End one waiting chat as closed; a failure does not keep the others open."""
        try:
            await self.chat.do_end_chat(conversation_id, "system", "closed")
        except Exception as exc:
            logger.warning(
                "closing failed conversation=%s error=%s", conversation_id, type(exc).__name__
            )


async def _nothing(key: str) -> None:
    """The handler of a deadline whose only effect is that it has passed."""
