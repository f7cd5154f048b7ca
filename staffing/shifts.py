"""Chat shifts: planning the roster and asking who is on shift when."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from staffing.models import Shift, StaffUser

logger = logging.getLogger(__name__)

MAX_SHIFT = dt.timedelta(hours=24)


class ShiftInputError(ValueError):
    """A shift was refused; ``errors`` maps each bad field to a clear message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


def parse_local_datetime(text: str, tz: ZoneInfo) -> dt.datetime:
    """Parse ISO 8601 text to an aware UTC datetime; text without an offset is local in ``tz``.

    A local time that does not exist (the hour skipped when summer time starts) or that
    exists twice (the hour repeated when it ends) is resolved with zoneinfo's ``fold=0``:
    the offset in force *before* the transition. So in Europe/Amsterdam 02:30 on the
    spring-forward day means 03:30 summer time, and 02:30 on the fall-back day means the
    first 02:30 (summer time). Write an explicit offset (``+01:00``) to pick the other one.

    Raises:
        ValueError: the text is not an ISO 8601 date or date and time.
    """
    cleaned = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "..."
        raise ValueError(
            f"{shown!r} is not a date and time; write it like 2026-03-29T18:00"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz, fold=0)
    return parsed.astimezone(dt.UTC)


async def add_shift(
    session: AsyncSession, *, user_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> Shift:
    """Add a shift; raise ShiftInputError with every problem, changing nothing.

    Refused: naive times, an end not after the start, longer than 24 hours, an unknown or
    inactive user, or an overlap with another shift of the same user.
    """
    errors = _time_errors(starts_at, ends_at)
    valid_id = isinstance(user_id, int) and not isinstance(user_id, bool)
    user = await session.get(StaffUser, user_id) if valid_id else None
    if user is None or not user.active:
        errors["user_id"] = "No active staff member with this id."
    elif not errors and await _overlapping(session, user_id, starts_at, ends_at):
        errors["starts_at"] = "This overlaps another shift of the same person."
    if errors:
        raise ShiftInputError(errors)
    shift = Shift(user_id=user_id, starts_at=starts_at, ends_at=ends_at)
    session.add(shift)
    await session.flush()
    logger.info("shift added: id=%s user_id=%s", shift.id, user_id)
    return shift


def _time_errors(starts_at: dt.datetime, ends_at: dt.datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value.tzinfo is None:
            errors[name] = "Give a time with a time zone."
    if errors:
        return errors
    if ends_at <= starts_at:
        errors["ends_at"] = "The shift must end after it starts."
    elif ends_at - starts_at > MAX_SHIFT:
        errors["ends_at"] = "A shift can last at most 24 hours."
    return errors


async def _overlapping(
    session: AsyncSession, user_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> bool:
    query = (
        select(Shift.id)
        .where(Shift.user_id == user_id)
        .where(Shift.starts_at < ends_at)
        .where(Shift.ends_at > starts_at)
        .limit(1)
    )
    return (await session.execute(query)).first() is not None


async def overlapping_shift_days(
    session: AsyncSession,
    user_id: int,
    occurrences: list[tuple[dt.date, dt.datetime, dt.datetime]],
) -> list[dt.date]:
    """The days of ``(day, start, end)`` occurrences that overlap a shift of ``user_id``."""
    if not occurrences:
        return []
    first = min(start for _, start, _ in occurrences)
    last = max(end for _, _, end in occurrences)
    query = (
        select(Shift.starts_at, Shift.ends_at)
        .where(Shift.user_id == user_id)
        .where(Shift.starts_at < last)
        .where(Shift.ends_at > first)
    )
    existing = [(row[0], row[1]) for row in await session.execute(query)]
    return sorted(
        day
        for day, start, end in occurrences
        if any(other_start < end and other_end > start for other_start, other_end in existing)
    )


async def list_shifts(session: AsyncSession, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    """Return the shifts overlapping [start, end), ordered by start, each with its user loaded."""
    query = (
        select(Shift)
        .where(Shift.starts_at < end)
        .where(Shift.ends_at > start)
        .order_by(Shift.starts_at, Shift.id)
        .options(selectinload(Shift.user))
    )
    return list((await session.execute(query)).scalars())


async def on_shift_ids(session: AsyncSession, at: dt.datetime) -> list[int]:
    """Return the ids of active users on shift at ``at`` (start inclusive, end exclusive)."""
    query = (
        select(Shift.user_id)
        .join(StaffUser, StaffUser.id == Shift.user_id)
        .where(StaffUser.active.is_(True))
        .where(Shift.starts_at <= at)
        .where(Shift.ends_at > at)
        .distinct()
        .order_by(Shift.user_id)
    )
    return list((await session.execute(query)).scalars())


async def next_opening(session: AsyncSession, after: dt.datetime) -> dt.datetime | None:
    """Return the earliest start of an active user's shift strictly after ``after``, or None."""
    query = (
        select(Shift.starts_at)
        .join(StaffUser, StaffUser.id == Shift.user_id)
        .where(StaffUser.active.is_(True))
        .where(Shift.starts_at > after)
        .order_by(Shift.starts_at)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def delete_shift(session: AsyncSession, shift_id: int) -> bool:
    """Delete a shift; return whether it existed."""
    result = await session.execute(delete(Shift).where(Shift.id == shift_id))
    deleted = bool(getattr(result, "rowcount", 0))
    if deleted:
        logger.info("shift deleted: id=%s", shift_id)
    return deleted
