"""The visitor's voice in the report: messages left, verdicts and safety answers.

``registration/messagefigures.py`` decides "answered by the end of the next shift"; the
chat report's JSON (``GET /api/reports/chat``) carries the three new sections.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import aiohttp

from chatserver.keys import db_key, settings_key
from nabij.db import utcnow
from registration.feedback import Verdict, count_safety_answer, store_verdict
from registration.messagefigures import message_figures
from registration.models import MessageRecord
from tests.harness import Nabij, json_body

T = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def record(left: dt.datetime, answered: dt.datetime | None, picked: bool = False) -> MessageRecord:
    return MessageRecord(
        id="x", audience="victim", left_at=left, first_answer_at=answered,
        picked_up_at=answered if picked else None,
    )  # fmt: skip


def test_in_time_means_by_the_end_of_the_first_shift_after_the_message() -> None:
    shifts = [(T + 6 * HOUR, T + 9 * HOUR), (T + 30 * HOUR, T + 33 * HOUR)]
    figures = message_figures(
        [
            record(T, T + 8 * HOUR, picked=True),  # answered in the next shift
            record(T, T + 31 * HOUR),  # one shift too late
            record(T + 7 * HOUR, T + 32 * HOUR),  # left during a shift: the next one counts
            record(T, None),  # not answered
            record(T + 40 * HOUR, T + 50 * HOUR),  # no shift planned after it: in time
        ],
        shifts,
    )
    assert figures.as_dict() == {
        "left": 5,
        "answered": 4,
        "answered_in_time": 3,
        "share_answered_in_time": 0.6,
        "picked_up": 1,
        "share_picked_up": 0.2,
        "median_answer_minutes": 1050,  # 8, 10, 25 and 31 hours: (600 + 1500) / 2 minutes
    }


def test_no_messages_no_shares() -> None:
    shown = message_figures([], []).as_dict()
    assert (shown["left"], shown["share_picked_up"], shown["median_answer_minutes"]) == (
        0,
        None,
        None,
    )


async def test_the_chat_report_carries_the_visitors_voice(nabij: Nabij) -> None:
    await nabij.add_expert("boss", role="coordinator", on_shift=False)
    token = await nabij.login("boss")
    today = utcnow().astimezone(nabij.app[settings_key].timezone).date()
    async with nabij.app[db_key].begin() as session:
        for mark in (9, 8, 7, 8, 10):
            await store_verdict(session, Verdict(mark=mark, helped="yes"), today)
        await count_safety_answer(session, "unsafe", today)
        session.add(record(utcnow() - HOUR, None))
    period = f"from={today.isoformat()}&to={today.isoformat()}"
    async with aiohttp.ClientSession(headers={"Cookie": f"nabij_session={token}"}) as http:
        response = await http.get(f"{nabij.url}/api/reports/chat?{period}")
        report: dict[str, Any] = await json_body(response)
    assert response.status == 200
    assert report["feedback"]["answers"] == "5"
    assert report["feedback"]["mean_mark"] == 8.4
    assert report["feedback"]["response_rate"] is None  # no answered chats to rate against
    assert report["feedback"]["reference"]["mean_mark_2020"] == 8.1
    assert report["safety"] == {"safe": 0, "unsure": 0, "unsafe": 1, "skipped": 0}
    assert (report["messages"]["left"], report["messages"]["answered"]) == (1, 0)


async def test_the_voice_csv_hides_small_counts_and_the_codebook_names_every_figure(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("boss", role="coordinator", on_shift=False)
    token = await nabij.login("boss")
    today = utcnow().astimezone(nabij.app[settings_key].timezone).date()
    async with nabij.app[db_key].begin() as session:
        for mark in (9, 8, 7, 8, 10, 6):
            await store_verdict(session, Verdict(mark=mark), today)
        for _ in range(2):
            await count_safety_answer(session, "unsure", today)
    period = f"from={today.isoformat()}&to={today.isoformat()}"
    async with aiohttp.ClientSession(headers={"Cookie": f"nabij_session={token}"}) as http:
        response = await http.get(f"{nabij.url}/api/reports/voice.csv?{period}")
        assert response.status == 200 and response.content_type == "text/csv"
        rows = dict(csv.reader(io.StringIO(await response.text())))
        codebook = await http.get(f"{nabij.url}/api/reports/codebook.csv")
        described = {row[1] for row in csv.reader(io.StringIO(await codebook.text()))
                     if row[0] == "figure"}  # fmt: skip
    assert rows["feedback.answers"] == "6" and rows["feedback.mean_mark"] == "8.0"
    assert rows["feedback.marks.8"] == "<5" and rows["safety.unsure"] == "<5"
    assert rows["safety.unsafe"] == "0"
    assert rows["feedback.reference.mean_mark_2018_2020"] == "8.4"
    assert described == set(rows) - {"figure"}
