"""What routing needs of the roster: who is on shift now, and when the chat opens next."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.sharedread import SharedRead
from staffing.presence import presence_ended, presence_started
from staffing.rosterversion import RosterVersion
from staffing.shifts import (
    Interval,
    ShiftSpan,
    active_shifts_overlapping,
    ids_on_shift,
    next_opening,
    opening_hours,
)

#: A read of the shifts is reused this long; then re-read in the background
#: (chatserver/chat/sharedread.py). Bounds the lag behind another process's roster write.
ON_SHIFT_FRESH_S = 1.0
#: An older read still answers while it is re-read, up to this age; older, callers wait.
#: Under load the re-read starts at ON_SHIFT_FRESH_S, so answers are about that old; this
#: bounds the first answer after a quiet spell (another process's roster write shows late
#: by at most this much; a refused chat request is checked with a fresh read).
ON_SHIFT_STALE_S = 5.0
#: The span of time one read covers, so it answers exactly at any instant inside it.
ON_SHIFT_WINDOW_S = 60.0


@dataclass(frozen=True)
class ShiftWindow:
    """The active experts' shifts overlapping [start, end), as read at one moment.

    It answers for any instant inside the window exactly: a shift that starts or ends
    inside it does so on time.
    """

    start: float
    end: float
    shifts: tuple[ShiftSpan, ...]

    def covers(self, at: float) -> bool:
        return self.start <= at < self.end

    def on_shift(self, at: float) -> list[int]:
        return ids_on_shift(self.shifts, dt.datetime.fromtimestamp(at, dt.UTC))


class Roster:
    """Reads the roster from the database; who is on shift is one shared, refreshed read.

    Routing asks who is on shift for every chat request and ``GET /api/status`` for every
    widget, so a burst of them shares one query instead of queueing on the database.
    ``version`` is the app's roster version, the one its sessionmaker carries: a roster
    write through ``db`` drops the shared read at once (staffing/rosterversion.py).
    """

    def __init__(
        self,
        db: async_sessionmaker[Any],
        version: RosterVersion,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self.version = version
        self._shifts: SharedRead[ShiftWindow] = SharedRead(
            ON_SHIFT_FRESH_S, ON_SHIFT_STALE_S, monotonic, lambda: version.generation
        )

    async def on_shift(self, at: float, *, fresh: bool = False) -> list[int]:
        """Ids of active experts with a shift covering ``at`` (start inclusive).

        ``fresh``: read the database now. An expert's own action (becoming available,
        taking or handing over a chat) must not be refused because another process
        planned their shift a moment ago; those are rare, unlike chat requests.
        """
        read = lambda: self._read_window(at)  # noqa: E731 - one read, two uses
        if fresh:
            window = await self._shifts.renew(read)
        else:
            window = await self._shifts.get(read, lambda window: window.covers(at))
        return window.on_shift(at)

    async def close(self) -> None:
        """Finish a background read before the engine is disposed."""
        await self._shifts.close()

    async def _read_window(self, at: float) -> ShiftWindow:
        start = dt.datetime.fromtimestamp(at, dt.UTC)
        end = start + dt.timedelta(seconds=ON_SHIFT_WINDOW_S)
        async with self._db() as session:
            shifts = await active_shifts_overlapping(session, start, end)
        return ShiftWindow(at, at + ON_SHIFT_WINDOW_S, tuple(shifts))

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
