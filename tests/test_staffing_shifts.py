"""Shifts: local-time parsing (including DST), validation, and who is on shift when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.roster import Roster
from staffing.experts import set_staff_active
from staffing.models import Shift
from staffing.rosterversion import RosterVersion
from staffing.shifts import (
    ShiftInputError,
    add_shift,
    delete_shift,
    list_shifts,
    next_opening,
)
from tests.shifthelp import UTC, local, make_expert, plan, utc

Maker = async_sessionmaker[Any]


async def shift_count(maker: Maker) -> int:
    """Return how many shifts are stored."""
    async with maker.begin() as session:
        return int((await session.execute(select(func.count()).select_from(Shift))).scalar_one())


async def on_shift_at(maker: Maker, at: dt.datetime) -> list[int]:
    """Who routing finds on shift at ``at`` (a fresh read of the roster)."""
    return await Roster(maker, RosterVersion()).on_shift(at.timestamp(), fresh=True)


# -- parsing local times (pure) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15T18:00", utc(2026, 1, 15, 17, 0)),  # winter: +01:00
        ("2026-07-15 18:00", utc(2026, 7, 15, 16, 0)),  # summer: +02:00
        ("2026-07-15T18:00:30", utc(2026, 7, 15, 16, 0, 30)),
        ("2026-07-15", utc(2026, 7, 14, 22, 0)),  # a date means local midnight
        ("2026-07-15T18:00+05:00", utc(2026, 7, 15, 13, 0)),  # an offset is taken as given
        ("2026-07-15T18:00Z", utc(2026, 7, 15, 18, 0)),
        ("  2026-07-15T18:00  ", utc(2026, 7, 15, 16, 0)),
        # Spring forward: 02:30 does not exist; fold=0 uses the offset before (+01:00).
        ("2026-03-29T02:30", utc(2026, 3, 29, 1, 30)),
        # Fall back: 02:30 happens twice; fold=0 is the first one (+02:00).
        ("2026-10-25T02:30", utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T02:30+01:00", utc(2026, 10, 25, 1, 30)),  # the second, by offset
    ],
)
def test_parse_local_datetime(text: str, expected: dt.datetime) -> None:
    parsed = local(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("text", ["", "tomorrow", "2026-13-01T10:00", "2026-02-30", "18:00"])
def test_parse_local_datetime_refuses_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date and time"):
        local(text)


# -- adding shifts ------------------------------------------------------------------------


async def test_shift_across_midnight(sessionmaker: Maker) -> None:
    anna = await make_expert(sessionmaker)
    shift = await plan(sessionmaker, anna, "2026-06-12T22:00", "2026-06-13T06:00")
    assert (shift.starts_at, shift.ends_at) == (utc(2026, 6, 12, 20), utc(2026, 6, 13, 4))
    assert await on_shift_at(sessionmaker, local("2026-06-12T23:59")) == [anna.id]
    assert await on_shift_at(sessionmaker, local("2026-06-13T05:59")) == [anna.id]
    assert await on_shift_at(sessionmaker, local("2026-06-13T06:00")) == []


async def test_night_shift_when_summer_time_starts(sessionmaker: Maker) -> None:
    anna = await make_expert(sessionmaker)
    shift = await plan(sessionmaker, anna, "2026-03-29T00:00", "2026-03-29T06:00")
    assert shift.starts_at == utc(2026, 3, 28, 23)
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=5)  # one hour is skipped
    assert await on_shift_at(sessionmaker, local("2026-03-29T03:30")) == [anna.id]


async def test_night_shift_when_summer_time_ends(sessionmaker: Maker) -> None:
    anna = await make_expert(sessionmaker)
    shift = await plan(sessionmaker, anna, "2026-10-25T00:00", "2026-10-25T06:00")
    assert shift.starts_at == utc(2026, 10, 24, 22)
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=7)  # one hour happens twice
    for repeated in ("2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00"):
        assert await on_shift_at(sessionmaker, local(repeated)) == [anna.id]


@pytest.mark.parametrize(
    ("start", "end", "accepted"),
    [
        ("2026-06-12T18:00", "2026-06-12T18:01", True),
        ("2026-06-12T18:00", "2026-06-12T18:00", False),  # empty
        ("2026-06-12T18:00", "2026-06-12T17:00", False),  # ends before it starts
        ("2026-06-12T18:00", "2026-06-13T18:00", True),  # exactly 24 hours
        ("2026-06-12T18:00", "2026-06-13T18:01", False),  # longer than 24 hours
    ],
)
async def test_shift_length(sessionmaker: Maker, start: str, end: str, accepted: bool) -> None:
    anna = await make_expert(sessionmaker)
    if accepted:
        await plan(sessionmaker, anna, start, end)
        assert await shift_count(sessionmaker) == 1
    else:
        with pytest.raises(ShiftInputError) as caught:
            await plan(sessionmaker, anna, start, end)
        assert list(caught.value.errors) == ["ends_at"]
        assert await shift_count(sessionmaker) == 0


@pytest.mark.parametrize(
    ("start", "end", "accepted"),
    [
        ("2026-06-12T16:00", "2026-06-12T18:00", True),  # ends when the other starts
        ("2026-06-12T22:00", "2026-06-12T23:00", True),  # starts when the other ends
        ("2026-06-12T17:00", "2026-06-12T19:00", False),
        ("2026-06-12T19:00", "2026-06-12T20:00", False),  # inside
        ("2026-06-12T21:59", "2026-06-13T01:00", False),
        ("2026-06-12T12:00", "2026-06-13T00:00", False),  # around
    ],
)
async def test_overlap_with_own_shift(
    sessionmaker: Maker, start: str, end: str, accepted: bool
) -> None:
    anna, bram = await make_expert(sessionmaker, "anna"), await make_expert(sessionmaker, "bram")
    await plan(sessionmaker, anna, "2026-06-12T18:00", "2026-06-12T22:00")
    await plan(sessionmaker, bram, start, end)  # someone else may always overlap
    if accepted:
        await plan(sessionmaker, anna, start, end)
        assert await shift_count(sessionmaker) == 3
    else:
        with pytest.raises(ShiftInputError) as caught:
            await plan(sessionmaker, anna, start, end)
        assert caught.value.errors == {
            "starts_at": "This overlaps another shift of the same person."
        }
        assert await shift_count(sessionmaker) == 2


async def test_inactive_or_unknown_user_is_refused(sessionmaker: Maker) -> None:
    gone = await make_expert(sessionmaker, "gone", active=False)
    with pytest.raises(ShiftInputError) as caught:
        await plan(sessionmaker, gone, "2026-06-12T18:00", "2026-06-12T22:00")
    assert list(caught.value.errors) == ["user_id"]
    async with sessionmaker.begin() as session:
        with pytest.raises(ShiftInputError) as caught:
            await add_shift(
                session, user_id=999, starts_at=utc(2026, 6, 12, 18), ends_at=utc(2026, 6, 12, 20)
            )
    assert list(caught.value.errors) == ["user_id"]
    assert await shift_count(sessionmaker) == 0


async def test_every_problem_is_reported_at_once(sessionmaker: Maker) -> None:
    async with sessionmaker.begin() as session:
        with pytest.raises(ShiftInputError) as caught:
            await add_shift(
                session,
                user_id=999,
                starts_at=dt.datetime(2026, 6, 12, 18),  # noqa: DTZ001 - naive on purpose
                ends_at=utc(2026, 6, 12, 17),
            )
    assert set(caught.value.errors) == {"starts_at", "user_id"}


# -- the roster ---------------------------------------------------------------------------


async def test_on_shift_ids_start_inclusive_end_exclusive(sessionmaker: Maker) -> None:
    anna, bram = await make_expert(sessionmaker, "anna"), await make_expert(sessionmaker, "bram")
    gone = await make_expert(sessionmaker, "gone")
    await plan(sessionmaker, anna, "2026-06-12T18:00", "2026-06-12T20:00")
    await plan(sessionmaker, bram, "2026-06-12T20:00", "2026-06-12T22:00")
    await plan(sessionmaker, gone, "2026-06-12T18:00", "2026-06-12T22:00")
    async with sessionmaker.begin() as session:
        await set_staff_active(session, gone.id, False)
    second = dt.timedelta(seconds=1)
    at_eight = local("2026-06-12T20:00")
    assert await on_shift_at(sessionmaker, local("2026-06-12T18:00") - second) == []
    assert await on_shift_at(sessionmaker, local("2026-06-12T18:00")) == [anna.id]
    assert await on_shift_at(sessionmaker, at_eight - second) == [anna.id]
    assert await on_shift_at(sessionmaker, at_eight) == [bram.id]
    assert await on_shift_at(sessionmaker, local("2026-06-12T22:00")) == []


async def test_list_shifts_overlapping_the_window(sessionmaker: Maker) -> None:
    anna, bram = await make_expert(sessionmaker, "anna"), await make_expert(sessionmaker, "bram")
    late = await plan(sessionmaker, anna, "2026-06-12T22:00", "2026-06-13T02:00")
    early = await plan(sessionmaker, bram, "2026-06-12T09:00", "2026-06-12T12:00")
    await plan(sessionmaker, bram, "2026-06-13T09:00", "2026-06-13T12:00")  # after the window
    await plan(sessionmaker, anna, "2026-06-11T09:00", "2026-06-12T00:00")  # ends at the start
    async with sessionmaker.begin() as session:
        shifts = await list_shifts(session, local("2026-06-12"), local("2026-06-13T09:00"))
    assert [s.id for s in shifts] == [early.id, late.id]
    assert [s.user.username for s in shifts] == ["bram", "anna"]  # loaded, not lazy


async def test_next_opening_is_strictly_later_and_skips_inactive(sessionmaker: Maker) -> None:
    anna, gone = await make_expert(sessionmaker, "anna"), await make_expert(sessionmaker, "gone")
    await plan(sessionmaker, anna, "2026-06-12T18:00", "2026-06-12T20:00")
    await plan(sessionmaker, gone, "2026-06-13T10:00", "2026-06-13T12:00")
    await plan(sessionmaker, anna, "2026-06-14T18:00", "2026-06-14T20:00")
    async with sessionmaker.begin() as session:
        await set_staff_active(session, gone.id, False)
    async with sessionmaker.begin() as session:
        assert await next_opening(session, local("2026-06-12T12:00")) == local("2026-06-12T18:00")
        assert await next_opening(session, local("2026-06-12T18:00")) == local("2026-06-14T18:00")
        assert await next_opening(session, local("2026-06-14T18:00")) is None


async def test_delete_shift(sessionmaker: Maker) -> None:
    anna = await make_expert(sessionmaker)
    shift = await plan(sessionmaker, anna, "2026-06-12T18:00", "2026-06-12T20:00")
    async with sessionmaker.begin() as session:
        assert await delete_shift(session, shift.id) is True
        assert await delete_shift(session, shift.id) is False
    assert await shift_count(sessionmaker) == 0
