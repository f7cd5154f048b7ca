"""Content-free conversation records: when a chat was requested, answered and ended."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from nabij.vocab import AUDIENCES
from registration.models import ConversationRecord

logger = logging.getLogger(__name__)

#: answered; missed: nobody was available; abandoned: the visitor left while waiting.
OUTCOMES: Final = ("answered", "missed", "abandoned")


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
) -> ConversationRecord:
    """Store (or overwrite, by id) the record of one conversation with its wait and talk seconds.

    ``wait_s`` runs from the request to the assignment, or to the end when never assigned;
    ``talk_s`` from the assignment to the end. Both are whole seconds, never negative.

    Raises:
        ValueError: unknown outcome or audience, or a naive datetime.
    """
    _check(audience, outcome, requested_at, assigned_at, ended_at)
    record = ConversationRecord(
        id=conversation_id,
        audience=audience,
        requested_at=requested_at,
        assigned_at=assigned_at,
        ended_at=ended_at,
        outcome=outcome,
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
