"""The recent handle times the wait estimate is grounded in (chat/waitestimate.py).

Read from the content-free conversation records (registration/models.py): ``talk_s`` of
the last answered chats, from assignment to end. One read a minute is shared by every
caller; the figure moves slowly and a wait estimate needs no second-fresh data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker

from registration.models import ConversationRecord

logger = logging.getLogger(__name__)

#: Only chats answered in this many days count (the team and its way of working change).
RECENT_DAYS = 28
#: At most this many of the most recent answered chats count.
RECENT_CHATS = 100
#: A read is reused this long.
REUSE_S = 60.0


class HandleTimes:
    """Seconds from assignment to end of the most recent answered chats, newest first."""

    def __init__(
        self,
        db: async_sessionmaker[Any],
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._clock = clock
        self._monotonic = monotonic
        self._lock = asyncio.Lock()
        self._value: list[int] = []
        self._read_at: float | None = None

    async def recent(self) -> list[int]:
        """The shared read; an empty list when the database cannot be read now."""
        async with self._lock:
            if self._read_at is None or self._monotonic() - self._read_at >= REUSE_S:
                self._value = await self._read_or_nothing()
                self._read_at = self._monotonic()
            return self._value

    async def _read_or_nothing(self) -> list[int]:
        try:
            return await self._read()
        except (DBAPIError, OSError) as exc:
            # No figure beats a wrong one; the next read is a minute away.
            logger.warning("handle times not read error=%s", type(exc).__name__)
            return []

    async def _read(self) -> list[int]:
        since = dt.datetime.fromtimestamp(self._clock(), dt.UTC) - dt.timedelta(days=RECENT_DAYS)
        query = (
            select(ConversationRecord.talk_s)
            .where(ConversationRecord.outcome == "answered")
            .where(ConversationRecord.talk_s.is_not(None))
            .where(ConversationRecord.requested_at >= since)
            .order_by(ConversationRecord.requested_at.desc())
            .limit(RECENT_CHATS)
        )
        async with self._db() as session:
            return [int(t) for t in (await session.scalars(query)).all() if t is not None]
