"""Content-free conversation records: when a chat was requested, answered and ended."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from nabij.vocab import AUDIENCES
from registration.models import ConversationRecord

logger = logging.getLogger(__name__)

#: answered; missed: nobody was available; abandoned: the visitor left while waiting.
OUTCOMES: Final = ("answered", "missed", "abandoned")
#: Why a request was missed. closed: nobody was on the roster; nobody_free: experts were
#: rostered but none was online and available (refused at once, or the queue was closed).
MISSED_REASONS: Final = ("closed", "nobody_free")


async def save_conversation_record(
    session: AsyncSession,
    *,
    conversation_id: str,
    audience: str,
    requested_at: dt.datetime,
    assigned_at: dt.datetime | None,
    ended_at: dt.datetime | None,
    outcome: str,
    expert_id: int | None,
    missed_reason: str | None = None,
) -> ConversationRecord:
    """Store (or overwrite, by id) the record of one conversation with its wait and talk seconds.

    ``wait_s`` runs from the request to the assignment, or to the end when never assigned;
    ``talk_s`` from the assignment to the end. Both are whole seconds, never negative.

    ``missed_reason`` (one of MISSED_REASONS) is kept for missed requests only.

    Raises:
        ValueError: unknown outcome, audience or missed reason, or a naive datetime.
    """
    _check(audience, outcome, requested_at, assigned_at, ended_at)
    if missed_reason is not None and missed_reason not in MISSED_REASONS:
        raise ValueError(f"missed_reason must be one of {', '.join(MISSED_REASONS)}")
    record = ConversationRecord(
        id=conversation_id,
        audience=audience,
        requested_at=requested_at,
        assigned_at=assigned_at,
        ended_at=ended_at,
        outcome=outcome,
        missed_reason=missed_reason if outcome == "missed" else None,
        wait_s=_seconds(requested_at, assigned_at or ended_at),
        talk_s=_seconds(assigned_at, ended_at),
        expert_id=expert_id,
    )
    record = await session.merge(record)
    await session.flush()
    logger.info("conversation record saved: id=%s outcome=%s", conversation_id, outcome)
    return record


def _check(audience: str, outcome: str, *times: dt.datetime | None) -> None:
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    if any(time is not None and time.tzinfo is None for time in times):
        raise ValueError("times must be aware datetimes")


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` minus whole calendar months (the day clamped to the month's length)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


async def prune_conversation_records(session: AsyncSession, before: dt.datetime) -> int:
    """Delete records of chats requested before ``before``; registrations are not touched.

    Retention (NABIJ_RECORD_RETENTION_MONTHS) bounds how long even content-free service
    figures about visitors are kept.
    """
    result = await session.execute(
        delete(ConversationRecord).where(ConversationRecord.requested_at < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)
