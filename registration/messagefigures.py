"""The message box's figures per period: left, answered in time, picked up, time to answer.

"Answered in time" is the promise the widget makes: an answer by the end of the next chat
shift. For a message left at ``t`` that is the end of the first shift starting after
``t``; with no such shift planned yet, any answer counts as in time (nobody could have
promised more). The figures come from ``MessageRecord`` alone, which holds no text and
outlives the thread.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.chatfigures import median_half_up
from registration.models import MessageRecord
from registration.periods import Period
from staffing.models import Shift

#: How far past the period the shifts that can still be "the next one" are looked up.
NEXT_SHIFT_HORIZON = dt.timedelta(days=31)


@dataclass(frozen=True)
class MessageFigures:
    """The messages left in one period and what became of them."""

    left: int
    answered: int
    answered_in_time: int
    picked_up: int
    median_answer_minutes: int | None

    def as_dict(self) -> dict[str, Any]:
        """The figures with their shares (None without messages)."""
        return {
            "left": self.left,
            "answered": self.answered,
            "answered_in_time": self.answered_in_time,
            "share_answered_in_time": _share(self.answered_in_time, self.left),
            "picked_up": self.picked_up,
            "share_picked_up": _share(self.picked_up, self.left),
            "median_answer_minutes": self.median_answer_minutes,
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def message_figures(
    records: Sequence[MessageRecord], shifts: Sequence[tuple[dt.datetime, dt.datetime]]
) -> MessageFigures:
    """Count ``records`` against the ``shifts`` (start, end) that can follow them."""
    ordered = sorted(shifts)
    starts = [start for start, _ in ordered]
    answered = [r for r in records if r.first_answer_at is not None]
    in_time = sum(1 for r in answered if _in_time(r, ordered, starts))
    minutes = [
        round((r.first_answer_at - r.left_at).total_seconds() / 60)
        for r in answered
        if r.first_answer_at is not None
    ]
    return MessageFigures(
        left=len(records),
        answered=len(answered),
        answered_in_time=in_time,
        picked_up=sum(1 for r in records if r.picked_up_at is not None),
        median_answer_minutes=median_half_up(minutes),
    )


def _in_time(
    record: MessageRecord,
    shifts: Sequence[tuple[dt.datetime, dt.datetime]],
    starts: Sequence[dt.datetime],
) -> bool:
    assert record.first_answer_at is not None
    after = bisect.bisect_right(starts, record.left_at)
    if after == len(shifts):
        return True
    first_start = shifts[after][0]
    deadline = max(end for start, end in shifts[after:] if start == first_start)
    return record.first_answer_at <= deadline


async def message_report(session: AsyncSession, period: Period, tz: ZoneInfo) -> MessageFigures:
    """The figures of the messages left in ``period``."""
    start, end = period.utc_bounds(tz)
    query = (
        select(MessageRecord)
        .where(MessageRecord.left_at >= start)
        .where(MessageRecord.left_at < end)
    )
    records = list((await session.execute(query)).scalars())
    shift_query = (
        select(Shift.starts_at, Shift.ends_at)
        .where(Shift.starts_at > start)
        .where(Shift.starts_at < end + NEXT_SHIFT_HORIZON)
    )
    shifts = [(s, e) for s, e in await session.execute(shift_query)]
    return message_figures(records, shifts)
