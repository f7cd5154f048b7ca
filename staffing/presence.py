"""Presence history: when staff had the console open, to find shifts nobody came to.

Written when an expert's first console connects and when their last one closes (the
live store counts consoles across processes), so one row per stretch online.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from staffing.models import PresencePeriod, Shift


async def presence_started(session: AsyncSession, user_id: int, at: dt.datetime) -> None:
    """Open a period (closing any left open by a process that died)."""
    await presence_ended(session, user_id, at)
    session.add(PresencePeriod(user_id=user_id, started_at=at))
    await session.flush()


async def presence_ended(session: AsyncSession, user_id: int, at: dt.datetime) -> None:
    """Close the user's open periods."""
    await session.execute(
        update(PresencePeriod)
        .where(PresencePeriod.user_id == user_id)
        .where(PresencePeriod.ended_at.is_(None))
        .values(ended_at=at)
    )


async def unattended_shifts(
    session: AsyncSession, start: dt.datetime, end: dt.datetime
) -> list[Shift]:
    """Shifts ended in [start, end) during which their expert never had the console open."""
    attended = (
        select(PresencePeriod.id)
        .where(PresencePeriod.user_id == Shift.user_id)
        .where(PresencePeriod.started_at < Shift.ends_at)
        .where(or_(PresencePeriod.ended_at.is_(None), PresencePeriod.ended_at > Shift.starts_at))
        .exists()
    )
    query = (
        select(Shift)
        .where(Shift.ends_at >= start)
        .where(Shift.ends_at < end)
        .where(~attended)
        .order_by(Shift.starts_at)
        .options(selectinload(Shift.user))
    )
    return list((await session.execute(query)).scalars())
