"""How well the roster covers the chat hours: gaps, and shifts worth a second look.

The chat hours (``chat_hours``) are what the team means to offer; a gap is a stretch of
them in which no active expert is rostered. Warnings flag one expert's overlapping
shifts (only older data can hold them: new ones are refused) and shifts long enough to
wear an expert out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from staffing.models import ChatHours, Shift
from staffing.shifts import Interval, list_shifts, merge_intervals
from staffing.weekly import WeeklyWindow

#: A shift longer than this gets a warning (the evaluation: the experts' own balance).
LONG_SHIFT = dt.timedelta(hours=6)


@dataclass(frozen=True)
class RosterWarning:
    """Something a coordinator should look at in the roster."""

    kind: str  # "overlap" or "long"
    shift_id: int
    user_id: int
    message: str  # English, for API clients; the pages build their own from the fields
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: float = 0.0  # "long": how long the shift is
    limit: float = 0.0  # "long": the longest shift without a warning, in hours


async def chat_hours(session: AsyncSession) -> list[WeeklyWindow]:
    """The team's intended chat hours."""
    rows = (await session.execute(select(ChatHours).order_by(ChatHours.id))).scalars()
    return [
        WeeklyWindow.parse(row.weekdays.split(","), row.start_time, row.end_time) for row in rows
    ]


async def replace_chat_hours(session: AsyncSession, windows: Sequence[WeeklyWindow]) -> None:
    """Set the chat hours to exactly ``windows``."""
    await session.execute(delete(ChatHours))
    for window in windows:
        session.add(
            ChatHours(
                weekdays=",".join(window.day_codes),
                start_time=window.start.strftime("%H:%M"),
                end_time=window.end.strftime("%H:%M"),
            )
        )
    await session.flush()


def coverage_gaps(
    targets: Iterable[WeeklyWindow],
    covered: Iterable[Interval],
    first: dt.date,
    last: dt.date,
    tz: ZoneInfo,
) -> list[Interval]:
    """The parts of the target windows starting on local days [first, last] not covered."""
    wanted = merge_intervals(
        (start, end) for window in targets for _, start, end in window.occurrences(first, last, tz)
    )
    have = merge_intervals(covered)
    return [gap for interval in wanted for gap in _subtract(interval, have)]


def _subtract(interval: Interval, covered: list[Interval]) -> list[Interval]:
    """``interval`` minus the sorted, disjoint ``covered`` intervals."""
    start, end = interval
    gaps: list[Interval] = []
    for cover_start, cover_end in covered:
        if cover_end <= start or cover_start >= end:
            continue
        if cover_start > start:
            gaps.append((start, cover_start))
        start = max(start, cover_end)
    if start < end:
        gaps.append((start, end))
    return gaps


def roster_warnings(
    shifts: Sequence[Shift], long_shift: dt.timedelta = LONG_SHIFT
) -> list[RosterWarning]:
    """Overlapping shifts of one expert, and overly long shifts, in start order."""
    warnings: list[RosterWarning] = []
    last_end: dict[int, tuple[dt.datetime, int]] = {}
    for shift in sorted(shifts, key=lambda s: (s.starts_at, s.id)):
        previous = last_end.get(shift.user_id)
        if previous is not None and shift.starts_at < previous[0]:
            message = f"Overlaps shift {previous[1]} of the same person."
            warnings.append(
                RosterWarning(
                    "overlap", shift.id, shift.user_id, message, shift.starts_at, shift.ends_at
                )
            )
        if previous is None or shift.ends_at > previous[0]:
            last_end[shift.user_id] = (shift.ends_at, shift.id)
        if shift.ends_at - shift.starts_at > long_shift:
            hours = (shift.ends_at - shift.starts_at) / dt.timedelta(hours=1)
            limit = long_shift / dt.timedelta(hours=1)
            message = f"Lasts {hours:g} hours (more than {limit:g})."
            warnings.append(
                RosterWarning(
                    "long",
                    shift.id,
                    shift.user_id,
                    message,
                    shift.starts_at,
                    shift.ends_at,
                    hours=hours,
                    limit=limit,
                )
            )
    return warnings


async def roster_gaps(
    session: AsyncSession, first: dt.date, last: dt.date, tz: ZoneInfo
) -> list[Interval]:
    """The chat hours of local days [first, last] in which no active expert is rostered."""
    targets = await chat_hours(session)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tzinfo=tz).astimezone(dt.UTC)
    shifts = await list_shifts(session, start, end)
    covered = [(s.starts_at, s.ends_at) for s in shifts if s.user.active]
    return coverage_gaps(targets, covered, first, last, tz)
