"""Recurring shifts, skipped days, chat-hour gaps, roster warnings and the audit log.

Daylight saving in Europe/Amsterdam, 2026: summer time starts Sunday 29 March (02:00 →
03:00, UTC+1 → UTC+2) and ends Sunday 25 October (03:00 → 02:00, UTC+2 → UTC+1).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from staffing.audit import list_changes, record_change
from staffing.coverage import coverage_gaps, replace_chat_hours, roster_gaps, roster_warnings
from staffing.experts import set_staff_active
from staffing.models import Shift, ShiftPattern
from staffing.patterns import (
    HORIZON_DAYS,
    create_pattern,
    end_pattern,
    extend_patterns,
    skip_pattern_days,
)
from staffing.presence import presence_ended, presence_started, unattended_shifts
from staffing.shifts import ShiftInputError
from staffing.weekly import WeeklyWindow, WindowError
from tests.shifthelp import make_expert, plan, utc

Maker = async_sessionmaker[Any]
AMS = ZoneInfo("Europe/Amsterdam")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def window(
    days: tuple[str, ...] = EVERY_DAY, start: str = "19:00", end: str = "22:00"
) -> WeeklyWindow:
    """A weekly window."""
    return WeeklyWindow.parse(days, start, end)


async def pattern_shifts(maker: Maker, pattern_id: int) -> list[Shift]:
    """The pattern's shifts in start order."""
    async with maker() as session:
        query = select(Shift).where(Shift.pattern_id == pattern_id).order_by(Shift.starts_at)
        return list((await session.execute(query)).scalars())


async def new_pattern(
    maker: Maker,
    user_id: int,
    win: WeeklyWindow,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    today: dt.date | None = None,
) -> ShiftPattern:
    """Create a pattern (today defaults to its first day)."""
    async with maker.begin() as session:
        return await create_pattern(
            session,
            user_id=user_id,
            window=win,
            starts_on=starts_on,
            ends_on=ends_on,
            today=today or starts_on,
            tz=AMS,
        )


# -- weekly windows ------------------------------------------------------------------------


def test_a_window_keeps_local_hours_on_both_sides_of_each_dst_change() -> None:
    evening = window()
    # Saturday before and Sunday of the spring change: UTC+1, then UTC+2.
    assert evening.occurrence(dt.date(2026, 3, 28), AMS) == (
        utc(2026, 3, 28, 18),
        utc(2026, 3, 28, 21),
    )
    assert evening.occurrence(dt.date(2026, 3, 29), AMS) == (
        utc(2026, 3, 29, 17),
        utc(2026, 3, 29, 20),
    )
    # Saturday before and Sunday of the autumn change: UTC+2, then UTC+1.
    assert evening.occurrence(dt.date(2026, 10, 24), AMS) == (
        utc(2026, 10, 24, 17),
        utc(2026, 10, 24, 20),
    )
    assert evening.occurrence(dt.date(2026, 10, 25), AMS) == (
        utc(2026, 10, 25, 18),
        utc(2026, 10, 25, 21),
    )


def test_a_night_window_across_midnight_and_a_dst_change_has_its_real_length() -> None:
    night = window(start="22:00", end="04:00")
    # 28→29 March: 22:00 CET (21:00 UTC) to 04:00 CEST (02:00 UTC): 5 real hours.
    start, end = night.occurrence(dt.date(2026, 3, 28), AMS)
    assert (start, end) == (utc(2026, 3, 28, 21), utc(2026, 3, 29, 2))
    # 24→25 October: 22:00 CEST (20:00 UTC) to 04:00 CET (03:00 UTC): 7 real hours.
    start, end = night.occurrence(dt.date(2026, 10, 24), AMS)
    assert end - start == dt.timedelta(hours=7)


def test_bad_windows_are_refused_per_field() -> None:
    with pytest.raises(WindowError) as no_days:
        WeeklyWindow.parse([], "19:00", "22:00")
    assert set(no_days.value.errors) == {"weekdays"}
    with pytest.raises(WindowError) as bad:
        WeeklyWindow.parse(["mon", "funday"], "7pm", "19:00:30")
    assert set(bad.value.errors) == {"weekdays", "start", "end"}
    with pytest.raises(WindowError) as empty:
        WeeklyWindow.parse(["mon"], "19:00", "19:00")
    assert set(empty.value.errors) == {"end"}


def test_occurrences_only_on_the_chosen_days() -> None:
    weekend = window(("sat", "sun"))
    days = [
        day for day, _, _ in weekend.occurrences(dt.date(2026, 11, 23), dt.date(2026, 12, 6), AMS)
    ]
    assert days == [
        dt.date(2026, 11, 28),
        dt.date(2026, 11, 29),
        dt.date(2026, 12, 5),
        dt.date(2026, 12, 6),
    ]


# -- patterns ------------------------------------------------------------------------------


async def test_a_pattern_generates_its_shifts_up_to_the_horizon(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    first = dt.date(2026, 11, 23)  # a Monday
    pattern = await new_pattern(maker, anna.id, window(("mon", "wed")), first)
    shifts = await pattern_shifts(maker, pattern.id)
    # Mondays and Wednesdays from 23 November through 23 Nov + 56 days (18 January).
    assert pattern.generated_until == first + dt.timedelta(days=HORIZON_DAYS)
    assert len(shifts) == 17  # 9 Mondays (23 Nov … 18 Jan) + 8 Wednesdays (25 Nov … 13 Jan)
    assert shifts[0].starts_at == utc(2026, 11, 23, 18)
    assert shifts[1].starts_at == utc(2026, 11, 25, 18)


async def test_a_pattern_across_the_spring_change_keeps_19_local(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    pattern = await new_pattern(
        maker, anna.id, window(), dt.date(2026, 3, 27), ends_on=dt.date(2026, 3, 30)
    )
    starts = [s.starts_at for s in await pattern_shifts(maker, pattern.id)]
    assert starts == [
        utc(2026, 3, 27, 18),
        utc(2026, 3, 28, 18),
        utc(2026, 3, 29, 17),
        utc(2026, 3, 30, 17),
    ]


async def test_a_pattern_overlapping_a_planned_shift_is_refused_and_stores_nothing(
    sessionmaker: Maker,
) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    await plan(maker, anna, "2026-12-02T20:00", "2026-12-02T23:00")
    with pytest.raises(ShiftInputError) as refused:
        await new_pattern(maker, anna.id, window(), dt.date(2026, 11, 30))
    assert "2026-12-02" in refused.value.errors["weekdays"]
    async with maker() as session:
        assert await session.scalar(select(func.count()).select_from(ShiftPattern)) == 0
        assert await session.scalar(select(func.count()).select_from(Shift)) == 1


async def test_a_pattern_for_a_deactivated_expert_or_backwards_dates_is_refused(
    sessionmaker: Maker,
) -> None:
    maker = sessionmaker
    gone = await make_expert(maker, "bert", active=False)
    anna = await make_expert(maker)
    with pytest.raises(ShiftInputError) as inactive:
        await new_pattern(maker, gone.id, window(), dt.date(2026, 11, 30))
    assert set(inactive.value.errors) == {"user_id"}
    with pytest.raises(ShiftInputError) as backwards:
        await new_pattern(
            maker, anna.id, window(), dt.date(2026, 11, 30), ends_on=dt.date(2026, 11, 1)
        )
    assert set(backwards.value.errors) == {"ends_on"}
    with pytest.raises(ShiftInputError) as past:
        await new_pattern(
            maker, anna.id, window(), dt.date(2026, 11, 1), today=dt.date(2026, 11, 23)
        )
    assert set(past.value.errors) == {"starts_on"}


async def test_skipped_days_stay_skipped_when_the_pattern_is_extended(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    first = dt.date(2026, 12, 1)
    pattern = await new_pattern(maker, anna.id, window(), first)
    async with maker.begin() as session:
        removed = await skip_pattern_days(
            session, pattern.id, dt.date(2026, 12, 24), dt.date(2026, 12, 26), AMS
        )
        # Beyond the horizon: remembered, generated never.
        await skip_pattern_days(session, pattern.id, dt.date(2027, 2, 1), dt.date(2027, 2, 1), AMS)
    assert removed == 3
    async with maker.begin() as session:
        added = await extend_patterns(session, first + dt.timedelta(days=14), AMS)
    assert added == 13  # 14 more days, less 1 February
    days = {s.starts_at.astimezone(AMS).date() for s in await pattern_shifts(maker, pattern.id)}
    assert dt.date(2026, 12, 25) not in days
    assert dt.date(2027, 2, 1) not in days
    assert dt.date(2027, 2, 2) in days


async def test_extension_leaves_out_days_planned_over_by_hand(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    first = dt.date(2026, 12, 1)
    await new_pattern(maker, anna.id, window(), first)
    beyond = first + dt.timedelta(days=HORIZON_DAYS + 1)
    await plan(maker, anna, f"{beyond.isoformat()}T18:00", f"{beyond.isoformat()}T20:00")
    async with maker.begin() as session:
        added = await extend_patterns(session, first + dt.timedelta(days=2), AMS)
    assert added == 1  # two more days, one of them taken by the one-off shift
    async with maker() as session:
        count = await session.scalar(select(func.count()).select_from(Shift))
    assert count == HORIZON_DAYS + 1 + 1 + 1  # generated, extended, the one-off


async def test_ending_a_pattern_removes_only_its_later_shifts(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    first = dt.date(2026, 12, 1)
    pattern = await new_pattern(maker, anna.id, window(), first)
    one_off = await plan(maker, anna, "2026-12-20T10:00", "2026-12-20T12:00")
    async with maker.begin() as session:
        removed = await end_pattern(session, pattern.id, dt.date(2026, 12, 10), AMS)
    assert removed == HORIZON_DAYS + 1 - 10
    remaining = await pattern_shifts(maker, pattern.id)
    assert [s.starts_at.astimezone(AMS).date().day for s in remaining] == list(range(1, 11))
    async with maker() as session:
        assert await session.get(Shift, one_off.id) is not None
        stored = await session.get(ShiftPattern, pattern.id)
        assert stored is not None and stored.ends_on == dt.date(2026, 12, 10)
    async with maker.begin() as session:
        assert await extend_patterns(session, dt.date(2027, 1, 1), AMS) == 0


# -- coverage and warnings -----------------------------------------------------------------


def test_gaps_are_the_chat_hours_nobody_covers() -> None:
    hours = [window(("mon",), "19:00", "22:00")]
    monday = dt.date(2026, 11, 23)
    covered = [
        (utc(2026, 11, 23, 17), utc(2026, 11, 23, 19)),  # 18:00-20:00 local
        (utc(2026, 11, 23, 19, 30), utc(2026, 11, 23, 20)),  # 20:30-21:00 local
        (utc(2026, 11, 23, 19, 45), utc(2026, 11, 23, 20, 15)),  # overlaps the one before
    ]
    gaps = coverage_gaps(hours, covered, monday, monday + dt.timedelta(days=7), AMS)
    assert gaps == [
        (utc(2026, 11, 23, 19), utc(2026, 11, 23, 19, 30)),  # 20:00-20:30
        (utc(2026, 11, 23, 20, 15), utc(2026, 11, 23, 21)),  # 21:15-22:00
        (utc(2026, 11, 30, 18), utc(2026, 11, 30, 21)),  # next Monday: all of it
    ]


async def test_roster_gaps_ignore_deactivated_experts(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    bert = await make_expert(maker, "bert")
    await plan(maker, anna, "2026-11-24T19:00", "2026-11-24T22:00")
    await plan(maker, bert, "2026-11-25T19:00", "2026-11-25T22:00")
    async with maker.begin() as session:
        await replace_chat_hours(session, [window(("tue", "wed"))])
    async with maker.begin() as session:
        await set_staff_active(session, bert.id, False)
        gaps = await roster_gaps(session, dt.date(2026, 11, 23), dt.date(2026, 11, 29), AMS)
    assert gaps == [(utc(2026, 11, 25, 18), utc(2026, 11, 25, 21))]


def test_warnings_for_overlaps_and_long_shifts() -> None:
    shifts = [
        Shift(id=1, user_id=7, starts_at=utc(2026, 11, 23, 8), ends_at=utc(2026, 11, 23, 16)),
        Shift(id=2, user_id=7, starts_at=utc(2026, 11, 23, 15), ends_at=utc(2026, 11, 23, 17)),
        Shift(id=3, user_id=8, starts_at=utc(2026, 11, 23, 15), ends_at=utc(2026, 11, 23, 17)),
    ]
    warnings = roster_warnings(shifts)
    assert [(w.kind, w.shift_id) for w in warnings] == [("long", 1), ("overlap", 2)]
    assert "8 hours" in warnings[0].message


# -- audit ---------------------------------------------------------------------------------


async def test_audit_entries_name_the_actor_and_the_change(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker)
    async with maker.begin() as session:
        await record_change(session, anna.id, "shift.add", "shift:1", starts_at="2026-11-23T19:00")
        await record_change(session, None, "user.add", "user:2", role="expert")
    async with maker() as session:
        changes = await list_changes(session)
    assert [(e.action, who) for e, who in changes] == [("user.add", None), ("shift.add", "anna")]
    assert json.loads(changes[1][0].details) == {"starts_at": "2026-11-23T19:00"}


# -- presence ------------------------------------------------------------------------------


async def test_unattended_shifts_are_the_ones_without_any_presence(sessionmaker: Maker) -> None:
    maker = sessionmaker
    anna = await make_expert(maker, "anna")
    bert = await make_expert(maker, "bert")
    cees = await make_expert(maker, "cees")
    came = await plan(maker, anna, "2026-11-23T19:00", "2026-11-23T22:00")
    left_before = await plan(maker, bert, "2026-11-23T19:00", "2026-11-23T22:00")
    still_online = await plan(maker, cees, "2026-11-23T19:00", "2026-11-23T22:00")
    async with maker.begin() as session:
        await presence_started(session, anna.id, utc(2026, 11, 23, 18, 30))  # 19:30 local
        await presence_ended(session, anna.id, utc(2026, 11, 23, 19))
        await presence_started(session, bert.id, utc(2026, 11, 23, 16))
        await presence_ended(session, bert.id, utc(2026, 11, 23, 17, 59))  # 18:59 local
        await presence_started(session, cees.id, utc(2026, 11, 23, 12))  # never closed
    async with maker() as session:
        unattended = await unattended_shifts(session, utc(2026, 11, 23), utc(2026, 11, 24))
    assert [s.id for s in unattended] == [left_before.id]
    assert came.id != still_online.id
