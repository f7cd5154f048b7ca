"""What the HTTP side asks of the live service: who is on shift and online, live counts,
and quick-reply changes that every console must hear about.

The HTTP handlers make one call here instead of reaching into the store, the roster or the
notifier themselves (docs/architecture.md "Layers"); the dependencies are explicit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.notify import Notifier
from chatserver.chat.roster import Roster
from chatserver.live.models import ExpertState
from chatserver.live.store import LiveStore
from staffing.models import QuickReply
from staffing.quickreplies import add_quick_reply, delete_quick_reply


@dataclass(frozen=True)
class LiveCounts:
    """The live figures of a Prometheus scrape."""

    waiting: int
    active: int
    outbox_pending: int


class TeamView:
    """The team as the live service sees it, for pages, the JSON API and /metrics."""

    def __init__(
        self,
        db: async_sessionmaker[Any],
        store: LiveStore,
        roster: Roster,
        notifier: Notifier,
        clock: Callable[[], float],
    ) -> None:
        self.db, self.store, self.roster = db, store, roster
        self.notifier, self.clock = notifier, clock

    async def is_on_shift(self, user_id: int) -> bool:
        """Whether ``user_id`` is on a shift now (read fresh, not from the roster cache)."""
        return user_id in await self.roster.on_shift(self.clock(), fresh=True)

    async def colleagues_online(self, user_id: int) -> list[ExpertState]:
        """The other staff on a shift now with a console open."""
        on_shift = [i for i in await self.roster.on_shift(self.clock(), fresh=True) if i != user_id]
        return [state for state in await self.store.expert_states(on_shift) if state.connections]

    async def live_counts(self) -> LiveCounts:
        """Waiting visitors, active chats and undelivered outbox entries (the store's)."""
        return LiveCounts(
            waiting=len(await self.store.queue()),
            active=await self.store.count_active(),
            outbox_pending=await self.store.outbox_size(),
        )

    async def add_quick_reply(self, title: str, body: str, created_by: int) -> QuickReply:
        """Store a quick reply (QuickReplyInputError otherwise); every console hears of it."""
        async with self.db.begin() as session:
            reply = await add_quick_reply(session, title=title, body=body, created_by=created_by)
        await self.notifier.notify_quick_replies_changed()
        return reply

    async def delete_quick_reply(self, reply_id: int) -> bool:
        """Remove a quick reply; False when there was none. Consoles hear of a removal."""
        async with self.db.begin() as session:
            deleted = await delete_quick_reply(session, reply_id)
        if deleted:
            await self.notifier.notify_quick_replies_changed()
        return deleted
