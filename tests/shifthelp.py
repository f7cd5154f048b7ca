"""Experts and shifts in Amsterdam local time, for the staffing test modules."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker

from staffing.experts import create_staff_user, set_staff_active
from staffing.models import Shift, StaffUser
from staffing.shifts import add_shift, parse_local_datetime

Maker = async_sessionmaker[Any]
AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0
) -> dt.datetime:
    """Return an aware UTC datetime."""
    return dt.datetime(year, month, day, hour, minute, sec, tzinfo=UTC)


def local(text: str) -> dt.datetime:
    """Parse Amsterdam local time."""
    return parse_local_datetime(text, AMS)


async def make_expert(maker: Maker, username: str = "anna", active: bool = True) -> StaffUser:
    """Create an expert (optionally deactivated)."""
    async with maker.begin() as session:
        user = await create_staff_user(
            session, username=username, display_name=username.title(), password="x" * 12
        )
        if not active:
            await set_staff_active(session, user.id, False)
        return user


async def plan(maker: Maker, user: StaffUser, start: str, end: str) -> Shift:
    """Add a shift given in Amsterdam local time."""
    async with maker.begin() as session:
        return await add_shift(session, user_id=user.id, starts_at=local(start), ends_at=local(end))
