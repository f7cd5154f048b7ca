"""The visitor's verdict and the safety counters, stored unlinked (registration/feedback.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from registration.feedback import (
    Verdict,
    count_safety_answer,
    feedback_as_dict,
    feedback_report,
    safety_counts,
    store_verdict,
)
from registration.models import FeedbackAnswer
from registration.periods import Period

DECEMBER = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))


async def test_a_verdict_keeps_its_day_and_answers_only(
    sessionmaker: async_sessionmaker[Any],
) -> None:
    async with sessionmaker.begin() as session:
        assert await store_verdict(session, Verdict(mark=8, helped="a_bit"), dt.date(2026, 12, 3))
        assert not await store_verdict(session, Verdict(), dt.date(2026, 12, 3))
    async with sessionmaker.begin() as session:
        (row,) = (await session.execute(select(FeedbackAnswer))).scalars()
        assert (row.answered_on, row.mark, row.helped, row.recommend) == (
            dt.date(2026, 12, 3),
            8,
            "a_bit",
            None,
        )
        columns = set(FeedbackAnswer.__table__.columns.keys())
        assert columns == {"id", "answered_on", "mark", "helped", "recommend"}
        assert len(row.id) == 32 and row.id != "1"


async def test_the_figures_count_per_period_with_the_small_number_rule(
    sessionmaker: async_sessionmaker[Any],
) -> None:
    verdicts = [
        Verdict(mark=9, helped="yes", recommend="yes"),
        Verdict(mark=7, helped="a_bit", recommend="yes"),
        Verdict(mark=8, helped="no", recommend="no"),
        Verdict(mark=10, helped="yes"),
        Verdict(helped="yes", recommend="yes"),
        Verdict(mark=6),
    ]
    async with sessionmaker.begin() as session:
        for verdict in verdicts:
            await store_verdict(session, verdict, dt.date(2026, 12, 10))
        await store_verdict(session, Verdict(mark=1), dt.date(2026, 11, 30))  # other period
    async with sessionmaker.begin() as session:
        figures = await feedback_report(session, DECEMBER, answered_chats=12)
    shown = feedback_as_dict(figures, threshold=5)
    assert shown["answers"] == "6"
    assert shown["response_rate"] == 0.5
    assert shown["mean_mark"] == 8.0  # (9 + 7 + 8 + 10 + 6) / 5
    assert shown["marks"]["9"] == "<5" and shown["marks"]["1"] == "0"
    assert shown["share_helped"] == 0.8  # 4 of 5 helped at least a bit
    assert shown["share_recommending"] == 0.75
    assert shown["reference"]["mean_mark_2018_2020"] == 8.4
    few = feedback_as_dict(figures, threshold=7)
    assert (few["answers"], few["mean_mark"], few["share_helped"]) == ("<7", None, None)


async def test_safety_answers_are_bare_counters_per_day(
    sessionmaker: async_sessionmaker[Any],
) -> None:
    async with sessionmaker.begin() as session:
        for answer in ("unsafe", "unsure", "unsure", "safe"):
            await count_safety_answer(session, answer, dt.date(2026, 12, 4))
        await count_safety_answer(session, "unsafe", dt.date(2027, 1, 1))
    async with sessionmaker.begin() as session:
        assert await safety_counts(session, DECEMBER) == {
            "safe": 1,
            "unsure": 2,
            "unsafe": 1,
            "skipped": 0,
        }
