"""What routing needs of the roster: who is on shift now, and when the chat opens next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from staffing.presence import presence_ended, presence_started
from staffing.shifts import Interval, next_opening, on_shift_ids, opening_hours

#: Mean length of a low-threshold contact in the team's evaluation (35 minutes).
AVERAGE_CONTACT_S = 35 * 60


class Roster:
    """Reads the roster from the database on each question (a cheap indexed query)."""

    def __init__(self, db: async_sessionmaker[Any]) -> None:
        self._db = db

    async def on_shift(self, at: float) -> list[int]:
        """Ids of active experts with a shift covering ``at``."""
        async with self._db() as session:
            return await on_shift_ids(session, dt.datetime.fromtimestamp(at, dt.UTC))

    async def next_opening(self, at: float) -> dt.datetime | None:
        """Start of the next shift after ``at``, or None when nothing is planned."""
        async with self._db() as session:
            return await next_opening(session, dt.datetime.fromtimestamp(at, dt.UTC))

    async def opening_hours(self, at: float, days: int) -> list[Interval]:
        """The staffed stretches of the next ``days`` days (the published opening hours)."""
        start = dt.datetime.fromtimestamp(at, dt.UTC)
        async with self._db() as session:
            return await opening_hours(session, start, start + dt.timedelta(days=days))

    async def record_online(self, expert_id: int, at: float) -> None:
        """The expert's first console opened (presence history)."""
        async with self._db.begin() as session:
            await presence_started(session, expert_id, dt.datetime.fromtimestamp(at, dt.UTC))

    async def record_offline(self, expert_id: int, at: float) -> None:
        """The expert's last console closed."""
        async with self._db.begin() as session:
            await presence_ended(session, expert_id, dt.datetime.fromtimestamp(at, dt.UTC))


def estimated_wait_s(position: int, open_capacity: int) -> int:
    """Rough wait: each place ahead frees after an average contact, spread over all seats."""
    return round(position * AVERAGE_CONTACT_S / max(1, open_capacity))
