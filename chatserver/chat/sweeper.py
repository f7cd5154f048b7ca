"""The sweeper: one background task per process that acts on due deadlines.

Deadlines live in the live store, not in per-process timers, so they survive the process
that set them; ``claim_due`` hands each one to exactly one process.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from chatserver.chat.service import ChatService

logger = logging.getLogger(__name__)


class Sweeper:
    """Ends abandoned chats, requeues lost experts' chats, erases content, drains the queue."""

    def __init__(self, chat: ChatService) -> None:
        self.chat = chat
        self._closed_since: float | None = None

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        """Sweep every ``interval_s`` until ``stop`` is set; a failing sweep is logged, not fatal.

        Stopping is cooperative: cancelling in the middle of a database call can leave the
        driver waiting on its connection, so shutdown sets ``stop`` and lets the pass finish.
        """
        while not stop.is_set():
            try:
                await self.sweep()
            except Exception:
                logger.exception("sweep failed")
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    async def sweep(self) -> None:
        """One pass over every kind of deadline, then the queue."""
        store, now = self.chat.store, self.chat.clock()
        for conversation_id in await store.claim_due("visitor_gone", now):
            await self.chat.do_end_chat(conversation_id, "visitor", "visitor_left")
        for expert_id in await store.claim_due("expert_gone", now):
            await self.chat.do_requeue_expert_chats(int(expert_id))
        for conversation_id in await store.claim_due("erase", now):
            await store.erase(conversation_id)
            logger.info("conversation erased conversation=%s", conversation_id)
        await store.claim_due("cooldown", now)
        await self._sweep_queue(now)

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
                await self.chat.do_end_chat(conversation.id, "system", "closed")
