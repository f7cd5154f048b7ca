"""Recurring weekly shifts: create a pattern, keep its shifts generated ahead, skip days.

A pattern's shifts are ordinary ``shifts`` rows with ``pattern_id`` set, generated up to
``HORIZON_DAYS`` ahead and extended once a day (``extend_patterns``). Routing and opening
hours never look at patterns, only at shifts, so a generated shift can be moved, changed
or deleted like any other: that is the one-off exception. A skipped day (a holiday) is
kept as a row of its own, so that later extensions do not bring it back.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from staffing.models import Shift, ShiftPattern, ShiftPatternSkip, StaffUser
from staffing.rosterversion import roster_written
from staffing.shifts import ShiftInputError, overlapping_shift_days
from staffing.weekly import WeeklyWindow

logger = logging.getLogger(__name__)

#: How far ahead a pattern's shifts exist as rows (so the roster and gaps can be seen).
HORIZON_DAYS = 8 * 7
#: At most this many conflicting days are named in an error message.
SHOWN_CONFLICTS = 5


def pattern_window(pattern: ShiftPattern) -> WeeklyWindow:
    """The weekly window a stored pattern describes."""
    return WeeklyWindow.parse(pattern.weekdays.split(","), pattern.start_time, pattern.end_time)


async def create_pattern(
    session: AsyncSession,
    *,
    user_id: int,
    window: WeeklyWindow,
    starts_on: dt.date,
    ends_on: dt.date | None,
    today: dt.date,
    tz: ZoneInfo,
) -> ShiftPattern:
    """Store a pattern and generate its shifts; raise ShiftInputError, changing nothing.

    Refused: an unknown or inactive expert, an end before the start, a start in the past,
    or any generated shift overlapping another shift of the same expert (the days named).
    """
    errors = await _pattern_errors(session, user_id, starts_on, ends_on, today)
    last = _generation_end(starts_on, ends_on, today)
    occurrences = list(window.occurrences(starts_on, last, tz)) if not errors else []
    if occurrences:
        conflicts = await overlapping_shift_days(session, user_id, occurrences)
        if conflicts:
            shown = ", ".join(day.isoformat() for day in conflicts[:SHOWN_CONFLICTS])
            more = (
                f" and {len(conflicts) - SHOWN_CONFLICTS} more"
                if len(conflicts) > SHOWN_CONFLICTS
                else ""
            )
            errors["weekdays"] = f"Overlaps other shifts of this person on {shown}{more}."
    if errors:
        raise ShiftInputError(errors)
    pattern = ShiftPattern(
        user_id=user_id,
        weekdays=",".join(window.day_codes),
        start_time=window.start.strftime("%H:%M"),
        end_time=window.end.strftime("%H:%M"),
        starts_on=starts_on,
        ends_on=ends_on,
        generated_until=last,
    )
    session.add(pattern)
    await session.flush()
    roster_written(session)
    for _day, starts_at, ends_at in occurrences:
        session.add(
            Shift(user_id=user_id, starts_at=starts_at, ends_at=ends_at, pattern_id=pattern.id)
        )
    await session.flush()
    logger.info(
        "pattern created: id=%s user_id=%s shifts=%d", pattern.id, user_id, len(occurrences)
    )
    return pattern


async def _pattern_errors(
    session: AsyncSession, user_id: int, starts_on: dt.date, ends_on: dt.date | None, today: dt.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    user = await session.get(StaffUser, user_id)
    if user is None or not user.active:
        errors["user_id"] = "No active staff member with this id."
    if starts_on < today:
        errors["starts_on"] = "A pattern cannot start in the past."
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The last day must not be before the first."
    return errors


def _generation_end(starts_on: dt.date, ends_on: dt.date | None, today: dt.date) -> dt.date:
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    last = horizon if ends_on is None else min(ends_on, horizon)
    return max(last, starts_on - dt.timedelta(days=1))


async def extend_patterns(session: AsyncSession, today: dt.date, tz: ZoneInfo) -> int:
    """Generate every pattern's shifts up to the horizon; return how many were added.

    Days skipped, and days on which the expert has meanwhile got another shift, are left
    out (the latter is logged: someone planned over the pattern on purpose).
    """
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    query = select(ShiftPattern).where(ShiftPattern.generated_until < horizon)
    added = 0
    for pattern in (await session.execute(query)).scalars():
        added += await _extend(session, pattern, horizon, tz)
    return added


async def _extend(
    session: AsyncSession, pattern: ShiftPattern, horizon: dt.date, tz: ZoneInfo
) -> int:
    first = pattern.generated_until + dt.timedelta(days=1)
    last = horizon if pattern.ends_on is None else min(pattern.ends_on, horizon)
    pattern.generated_until = max(pattern.generated_until, last)
    if first > last or not await _user_active(session, pattern.user_id):
        return 0
    skipped = await _skipped_days(session, pattern.id, first, last)
    occurrences = [
        o for o in pattern_window(pattern).occurrences(first, last, tz) if o[0] not in skipped
    ]
    conflicts = set(await overlapping_shift_days(session, pattern.user_id, occurrences))
    roster_written(session)
    for day, starts_at, ends_at in occurrences:
        if day in conflicts:
            logger.info("pattern day left out (planned over): pattern_id=%s", pattern.id)
            continue
        session.add(
            Shift(
                user_id=pattern.user_id, starts_at=starts_at, ends_at=ends_at, pattern_id=pattern.id
            )
        )
    await session.flush()
    return len(occurrences) - len(conflicts)


async def _user_active(session: AsyncSession, user_id: int) -> bool:
    user = await session.get(StaffUser, user_id)
    return user is not None and user.active


async def _skipped_days(
    session: AsyncSession, pattern_id: int, first: dt.date, last: dt.date
) -> set[dt.date]:
    query = (
        select(ShiftPatternSkip.day)
        .where(ShiftPatternSkip.pattern_id == pattern_id)
        .where(ShiftPatternSkip.day.between(first, last))
    )
    return set((await session.execute(query)).scalars())


async def skip_pattern_days(
    session: AsyncSession, pattern_id: int, first: dt.date, last: dt.date, tz: ZoneInfo
) -> int:
    """Leave out the pattern on the local days [first, last]; return the shifts removed."""
    pattern = await session.get(ShiftPattern, pattern_id)
    if pattern is None:
        raise ShiftInputError({"pattern_id": "There is no such pattern."})
    if last < first:
        raise ShiftInputError({"last": "The last day must not be before the first."})
    known = await _skipped_days(session, pattern_id, first, last)
    day = first
    while day <= last:
        if day not in known:
            session.add(ShiftPatternSkip(pattern_id=pattern_id, day=day))
        day += dt.timedelta(days=1)
    return await _delete_pattern_shifts(session, pattern_id, first, last + dt.timedelta(days=1), tz)


async def end_pattern(session: AsyncSession, pattern_id: int, last: dt.date, tz: ZoneInfo) -> int:
    """Stop the pattern after local day ``last``; return the later shifts removed.

    Shifts up to ``last`` stay: the past is history, and near ones were planned with.
    """
    pattern = await session.get(ShiftPattern, pattern_id)
    if pattern is None:
        raise ShiftInputError({"pattern_id": "There is no such pattern."})
    if last < pattern.starts_on - dt.timedelta(days=1):
        raise ShiftInputError({"last": "The last day must not be before the pattern's start."})
    pattern.ends_on = last
    pattern.generated_until = min(pattern.generated_until, last)
    return await _delete_pattern_shifts(session, pattern_id, last + dt.timedelta(days=1), None, tz)


async def _delete_pattern_shifts(
    session: AsyncSession,
    pattern_id: int,
    from_day: dt.date,
    until_day: dt.date | None,
    tz: ZoneInfo,
) -> int:
    """Delete the pattern's shifts starting on local days in [from_day, until_day)."""
    start = dt.datetime.combine(from_day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    statement = delete(Shift).where(Shift.pattern_id == pattern_id).where(Shift.starts_at >= start)
    if until_day is not None:
        end = dt.datetime.combine(until_day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
        statement = statement.where(Shift.starts_at < end)
    result = await session.execute(statement)
    roster_written(session)
    return int(getattr(result, "rowcount", 0) or 0)


async def list_patterns(session: AsyncSession) -> list[ShiftPattern]:
    """Every pattern, with its expert loaded, the newest first."""
    query = (
        select(ShiftPattern)
        .options(selectinload(ShiftPattern.user))
        .order_by(ShiftPattern.id.desc())
    )
    return list((await session.execute(query)).scalars())
