"""The visitor's own verdict: three optional questions after a chat, stored unlinked.

Modelled on the evaluation's client survey: a report mark from 1 to 10, "did this
conversation help you?" (yes / a bit / no) and "would you recommend us to someone in the
same situation?" (yes / no). An answer keeps only its local date (``FeedbackAnswer``), so
no answer can be traced to a chat or an expert. The figures use the small-number rule of
the export: a count below the threshold is shown as ``<5``, and a mean or share is only
shown from that many answers on.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.counters import increment
from registration.export import small_cell
from registration.messagefigures import message_report
from registration.models import FeedbackAnswer, SafetyAnswerCount
from registration.periods import Period

HELPED: Final = ("yes", "a_bit", "no")
RECOMMEND: Final = ("yes", "no")
MARKS: Final = tuple(range(1, 11))
SAFETY_ANSWERS: Final = ("safe", "unsure", "unsafe", "skipped")

#: The evaluation's figures, shown beside ours as a reference: clients of the casework
#: rated the experts 8.4 on average over 2018-2020 (n = 51), and 8.1 in 2020.
EVALUATION_REFERENCE: Final = {
    "mean_mark_2018_2020": 8.4,
    "answers_2018_2020": 51,
    "mean_mark_2020": 8.1,
}


@dataclass(frozen=True)
class Verdict:
    """One visitor's answers; any of them may be left out."""

    mark: int | None = None
    helped: str | None = None
    recommend: str | None = None

    def is_empty(self) -> bool:
        """True when every question was skipped: nothing worth storing."""
        return self.mark is None and self.helped is None and self.recommend is None


async def store_verdict(session: AsyncSession, verdict: Verdict, today: dt.date) -> bool:
    """Keep ``verdict`` with ``today`` only; False (nothing stored) when it is empty."""
    if verdict.is_empty():
        return False
    session.add(
        FeedbackAnswer(
            id=secrets.token_hex(16),
            answered_on=today,
            mark=verdict.mark,
            helped=verdict.helped,
            recommend=verdict.recommend,
        )
    )
    await session.flush()
    return True


async def count_safety_answer(session: AsyncSession, answer: str, today: dt.date) -> None:
    """Count one chat begun with ``answer`` on ``today`` (a bare counter)."""
    await increment(session, SafetyAnswerCount.count, day=today, answer=answer)


@dataclass(frozen=True)
class FeedbackFigures:
    """The verdicts of one period, and the chats they answer."""

    answers: int
    answered_chats: int
    marks: dict[int, int]
    helped: dict[str, int]
    recommend: dict[str, int]

    @property
    def response_rate(self) -> float | None:
        """Answers per answered chat (None without answered chats)."""
        return self.answers / self.answered_chats if self.answered_chats else None

    @property
    def mean_mark(self) -> float | None:
        """The mean report mark over the answers that gave one."""
        given = sum(self.marks.values())
        if not given:
            return None
        return sum(mark * n for mark, n in self.marks.items()) / given

    def share(self, counts: dict[str, int], value: str) -> float | None:
        """The share of ``value`` among the answers to one question."""
        total = sum(counts.values())
        return counts.get(value, 0) / total if total else None


def feedback_figures(answers: Sequence[FeedbackAnswer], answered_chats: int) -> FeedbackFigures:
    """Count ``answers`` per question."""
    marks = Counter(a.mark for a in answers if a.mark is not None)
    helped = Counter(a.helped for a in answers if a.helped is not None)
    recommend = Counter(a.recommend for a in answers if a.recommend is not None)
    return FeedbackFigures(
        answers=len(answers),
        answered_chats=answered_chats,
        marks={mark: marks.get(mark, 0) for mark in MARKS},
        helped={value: helped.get(value, 0) for value in HELPED},
        recommend={value: recommend.get(value, 0) for value in RECOMMEND},
    )


async def feedback_report(
    session: AsyncSession, period: Period, answered_chats: int
) -> FeedbackFigures:
    """The verdicts given on the days of ``period``."""
    query = (
        select(FeedbackAnswer)
        .where(FeedbackAnswer.answered_on >= period.start)
        .where(FeedbackAnswer.answered_on <= period.end)
    )
    return feedback_figures(list((await session.execute(query)).scalars()), answered_chats)


async def safety_counts(session: AsyncSession, period: Period) -> dict[str, int]:
    """How many chats began with each safety answer on the days of ``period``."""
    query = (
        select(SafetyAnswerCount.answer, func.sum(SafetyAnswerCount.count))
        .where(SafetyAnswerCount.day >= period.start)
        .where(SafetyAnswerCount.day <= period.end)
        .group_by(SafetyAnswerCount.answer)
    )
    found = {answer: int(n) for answer, n in await session.execute(query)}
    return {answer: found.get(answer, 0) for answer in SAFETY_ANSWERS}


def feedback_as_dict(figures: FeedbackFigures, threshold: int) -> dict[str, Any]:
    """The figures for the report page and its JSON, with the small-number rule applied.

    Below ``threshold`` answers, counts show as ``"<threshold"`` and no mean or share is
    given: a handful of answers in a quiet month could otherwise be recognised.
    """
    enough = figures.answers >= threshold

    def cell(n: int) -> str:
        return small_cell(n, threshold)

    def ratio(value: float | None) -> float | None:
        return round(value, 3) if enough and value is not None else None

    return {
        "answers": cell(figures.answers),
        "answered_chats": figures.answered_chats,
        "response_rate": ratio(figures.response_rate),
        "mean_mark": round(figures.mean_mark, 1) if enough and figures.mean_mark else None,
        "marks": {str(mark): cell(n) for mark, n in figures.marks.items()},
        "helped": {value: cell(n) for value, n in figures.helped.items()},
        "recommend": {value: cell(n) for value, n in figures.recommend.items()},
        "share_helped": ratio(_helped_share(figures)),
        "share_recommending": ratio(figures.share(figures.recommend, "yes")),
        "reference": EVALUATION_REFERENCE,
    }


def _helped_share(figures: FeedbackFigures) -> float | None:
    """Helped at least a bit: ``yes`` and ``a_bit`` together."""
    yes, a_bit = figures.share(figures.helped, "yes"), figures.share(figures.helped, "a_bit")
    return None if yes is None or a_bit is None else yes + a_bit


async def voice_report(
    session: AsyncSession, period: Period, tz: ZoneInfo, answered_chats: int, threshold: int
) -> dict[str, Any]:
    """The visitor's own voice in ``period``: verdicts, safety answers, messages left.

    Beside the chat report (``/api/reports/chat``); ``answered_chats`` is its count of
    answered chats, the base of the verdicts' response rate.
    """
    figures = await feedback_report(session, period, answered_chats)
    messages = await message_report(session, period, tz)
    return {
        "feedback": feedback_as_dict(figures, threshold),
        "safety": await safety_counts(session, period),
        "messages": messages.as_dict(),
    }
