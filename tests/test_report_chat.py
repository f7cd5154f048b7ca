"""The chat's own figures and the week's heat map, on a fixed week worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.persist import ConversationArchive
from chatserver.live.models import Conversation
from registration.chatfigures import (
    chat_report,
    chat_report_as_dict,
    median_half_up,
    nearest_rank,
    staffed_hours_by_slot,
)
from registration.models import ConversationRecord
from registration.periods import Period
from registration.records import save_conversation_record
from registration.widget_opens import count_widget_open, widget_opens_by_hour
from staffing.experts import create_staff_user
from staffing.shifts import add_shift

Maker = async_sessionmaker[Any]
AMS = ZoneInfo("Europe/Amsterdam")
# Monday 5 to Sunday 11 January 2026; winter time, so local = UTC + 1.
WEEK = Period(dt.date(2026, 1, 5), dt.date(2026, 1, 11))


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A local time in January 2026, as aware UTC."""
    return dt.datetime(2026, 1, day, hour, minute, second, tzinfo=AMS).astimezone(dt.UTC)


# (id, requested, waited s, talked s or None, outcome, missed reason)
RECORDS: list[tuple[str, dt.datetime, int, int | None, str, str | None]] = [
    ("r1", local(5, 10, 15), 30, 600, "answered", None),  # Monday 10h
    ("r2", local(5, 10, 40), 90, 1200, "answered", None),  # Monday 10h
    ("r3", local(5, 10, 50), 120, None, "abandoned", None),  # Monday 10h
    ("r4", local(6, 22, 5), 0, None, "missed", "closed"),  # Tuesday 22h
    ("r5", local(5, 11, 10), 0, None, "missed", "nobody_free"),  # Monday 11h
    ("r6", local(7, 14, 0), 10, 301, "answered", None),  # Wednesday 14h
    ("r7", local(11, 23, 30), 300, 1800, "answered", None),  # Sunday 23h
    ("r8", local(4, 23, 30), 5, 60, "answered", None),  # Sunday before: outside
    ("r9", local(12, 0, 10), 5, 60, "answered", None),  # UTC still the 11th: outside
]


async def seed(maker: Maker) -> None:
    """The records above, four rostered stretches, and widget opens."""
    async with maker.begin() as session:
        for record_id, requested, waited, talked, outcome, reason in RECORDS:
            assigned = requested + dt.timedelta(seconds=waited) if talked is not None else None
            ended = (assigned or requested) + dt.timedelta(seconds=talked or waited)
            await save_conversation_record(
                session,
                conversation_id=record_id,
                audience="victim",
                requested_at=requested,
                assigned_at=assigned,
                ended_at=ended,
                outcome=outcome,
                expert_id=None,
                missed_reason=reason,
            )
        anna = await create_staff_user(
            session, username="anna", display_name="A", password="x" * 12
        )
        bob = await create_staff_user(session, username="bob", display_name="B", password="x" * 12)
        for user, start, end in (
            (anna.id, local(5, 9, 30), local(5, 12)),  # Mon 9h: 0.5, 10h: 1, 11h: 1
            (bob.id, local(5, 10), local(5, 10, 30)),  # Mon 10h: 0.5
            (anna.id, local(7, 13), local(7, 15)),  # Wed 13h: 1, 14h: 1
            (bob.id, local(11, 23), local(12, 1)),  # Sun 23h: 1; Monday the 12th is outside
        ):
            await add_shift(session, user_id=user, starts_at=start, ends_at=end)
        for moment in (local(5, 10, 20), local(5, 10, 20), local(5, 10, 59), local(6, 21, 30)):
            await count_widget_open(session, moment)
        await count_widget_open(session, local(12, 0, 30))  # outside


async def test_week_figures_match_the_hand_worked_ones(sessionmaker: Maker) -> None:
    await seed(sessionmaker)
    async with sessionmaker() as session:
        report = chat_report_as_dict(await chat_report(session, WEEK, AMS))

    # r1..r7 are in the week: answered r1 r2 r6 r7, missed r4 (closed) r5 (nobody free),
    # abandoned r3.
    assert {k: report[k] for k in ("requests", "answered", "missed", "abandoned")} == {
        "requests": 7,
        "answered": 4,
        "missed": 2,
        "abandoned": 1,
    }
    assert (report["missed_closed"], report["missed_nobody_free"]) == (1, 1)
    assert report["missed_unknown"] == 0
    # Waits of answered chats sorted: 10 30 90 300. p50: rank ceil(0.5*4) = 2 → 30;
    # p90: rank ceil(0.9*4) = 4 → 300.
    assert (report["wait_p50_s"], report["wait_p90_s"]) == (30, 300)
    # Talks 600 1200 301 1800: mean 3901/4 = 975.25 → 975; median (600+1200)/2 = 900.
    assert (report["talk_mean_s"], report["talk_median_s"]) == (975, 900)
    # Opens: three in Monday's 10h (one UTC hour bucket), one Tuesday 21h; Jan 12 is out.
    assert report["widget_opens"] == 4
    # 0.5 + 1 + 1 (anna Mon) + 0.5 (bob Mon) + 2 (anna Wed) + 1 (bob Sun 23h) = 6.
    assert report["staffed_hours"] == 6.0

    week = report["week"]
    assert len(week) == 7 and all(len(row) == 24 for row in week)
    monday_10 = week[0][10]
    # r1, r2 answered, r3 abandoned; waits 30 90: p50 rank 1 → 30, p90 rank 2 → 90.
    assert (monday_10["requests"], monday_10["answered"], monday_10["abandoned"]) == (3, 2, 1)
    assert (monday_10["wait_p50_s"], monday_10["wait_p90_s"]) == (30, 90)
    assert (monday_10["widget_opens"], monday_10["staffed_hours"], monday_10["gap"]) == (
        3,
        1.5,
        None,
    )
    assert week[0][9]["staffed_hours"] == 0.5 and week[0][9]["requests"] == 0
    # Monday 11h: rostered (1 h) yet r5 missed because nobody was free.
    assert (week[0][11]["missed_nobody_free"], week[0][11]["gap"]) == (1, "missed")
    # Tuesday 22h: a request while nobody was rostered.
    assert (week[1][22]["missed_closed"], week[1][22]["gap"]) == (1, "unstaffed")
    assert week[1][21]["widget_opens"] == 1
    assert (week[2][14]["answered"], week[2][13]["staffed_hours"]) == (1, 1.0)
    assert (week[6][23]["answered"], week[6][23]["staffed_hours"]) == (1, 1.0)
    assert report["days"][0] == "maandag"


async def test_widget_opens_count_up_per_hour(sessionmaker: Maker) -> None:
    async with sessionmaker.begin() as session:
        for minute in (0, 30, 59):
            await count_widget_open(session, local(5, 10, minute))
        await count_widget_open(session, local(5, 11))
    async with sessionmaker() as session:
        assert sum((await widget_opens_by_hour(session, local(5, 10), local(5, 11))).values()) == 3
        assert sum((await widget_opens_by_hour(session, local(5, 0), local(6, 0))).values()) == 4


def test_staffed_hours_are_local_hours_across_the_autumn_clock_change() -> None:
    # 25 October 2026, Amsterdam: 03:00 summer time becomes 02:00 winter time. A shift
    # 00:00 UTC-02:00 UTC is 02:00-03:00 CEST then 02:00-03:00 CET: two hours in the 2h slot.
    start = dt.datetime(2026, 10, 25, 0, tzinfo=dt.UTC)
    end = dt.datetime(2026, 10, 25, 2, tzinfo=dt.UTC)
    assert staffed_hours_by_slot([(start, end)], start, end, AMS) == {(6, 2): 2.0}


def test_percentiles_and_medians_in_whole_seconds() -> None:
    assert nearest_rank([], 50) is None
    assert nearest_rank([7], 90) == 7
    assert nearest_rank(list(range(1, 11)), 90) == 9  # rank 9 of 10
    assert nearest_rank(list(range(1, 11)), 50) == 5
    assert median_half_up([1, 2]) == 2  # 1.5 goes up
    assert median_half_up([3, 1, 2]) == 2


async def test_the_archive_records_why_a_chat_was_missed(sessionmaker: Maker) -> None:
    archive = ConversationArchive(sessionmaker, AMS)
    at = local(5, 22).timestamp()
    await archive.record_missed("refused", "victim", at, "closed")
    # A visitor let into the queue whose chat the sweeper closed: nobody became free.
    queued = Conversation(
        "queued", "victim", "nl", "ended", at, ended_at=at + 90, end_reason="closed"
    )
    await archive.record_finished(queued)
    left = Conversation("left", "victim", "nl", "ended", at, ended_at=at + 30, end_reason="x")
    await archive.record_finished(left)
    async with sessionmaker() as session:
        records = {r.id: r for r in await session.scalars(select(ConversationRecord))}
    assert (records["refused"].outcome, records["refused"].missed_reason) == ("missed", "closed")
    assert (records["queued"].outcome, records["queued"].missed_reason) == (
        "missed",
        "nobody_free",
    )
    assert (records["left"].outcome, records["left"].missed_reason) == ("abandoned", None)
    assert records["queued"].wait_s == 90
