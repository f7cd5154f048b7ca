"""What a finished conversation leaves in the database: figures and a pending registration.

No content ever: the record holds times and the outcome; the registration holds the
prefill only (date, whole minutes, contact type chat, contact seeker from the audience).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.live.models import Conversation
from registration.codes import AUDIENCE_TO_SEEKER
from registration.feedback import Verdict, count_safety_answer, store_verdict
from registration.models import ConversationRecord
from registration.records import save_conversation_record
from registration.registrations import create_pending_for_chat, registration_as_dict

logger = logging.getLogger(__name__)


def _utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _utc_or_none(epoch: float | None) -> dt.datetime | None:
    return None if epoch is None else _utc(epoch)


def outcome_of(conversation: Conversation) -> str:
    """answered, missed (closed while waiting) or abandoned (visitor left while waiting)."""
    if conversation.was_answered:
        return "answered"
    return "missed" if conversation.end_reason == "closed" else "abandoned"


def talk_minutes(conversation: Conversation) -> int:
    """Whole minutes from assignment to end; a contact that happened counts at least one."""
    if conversation.assigned_at is None or conversation.ended_at is None:
        return 0
    return max(1, round((conversation.ended_at - conversation.assigned_at) / 60))


class ConversationArchive:
    """Writes the content-free traces of conversations."""

    def __init__(self, db: async_sessionmaker[Any], timezone: dt.tzinfo) -> None:
        self._db = db
        self._tz = timezone

    async def record_missed(
        self, conversation_id: str, audience: str, at: float, reason: str = "closed"
    ) -> None:
        """Count a request refused at once; ``reason`` is a MISSED_REASONS code."""
        async with self._db.begin() as session:
            await save_conversation_record(
                session,
                conversation_id=conversation_id,
                audience=audience,
                requested_at=_utc(at),
                assigned_at=None,
                ended_at=_utc(at),
                outcome="missed",
                expert_id=None,
                missed_reason=reason,
            )

    async def record_finished(
        self, conversation: Conversation
    ) -> tuple[int, dict[str, Any]] | None:
        """Save the record and, for an answered chat, the expert's pending registration.

        The registration goes to the expert who held the chat last (also when it had gone
        back to the queue). Returns that expert and the ``registration:pending`` payload,
        or None when no registration is due.
        """
        expert_id = conversation.expert_id or conversation.last_expert_id
        outcome = outcome_of(conversation)
        async with self._db.begin() as session:
            first_time = await session.get(ConversationRecord, conversation.id) is None
            await save_conversation_record(
                session,
                conversation_id=conversation.id,
                audience=conversation.audience,
                requested_at=_utc(conversation.requested_at),
                assigned_at=_utc_or_none(conversation.assigned_at),
                ended_at=_utc_or_none(conversation.ended_at),
                outcome=outcome,
                expert_id=expert_id,
                # A queued visitor was told the chat was open: the queue closing under them
                # means nobody became free, not that the roster had no one.
                missed_reason="nobody_free" if outcome == "missed" else None,
            )
            if first_time:  # a retry from the outbox must not count the answer twice
                # A bare counter of the day the chat began: nothing links it to the record.
                day = self._local_date(conversation.requested_at)
                await count_safety_answer(session, conversation.safety or "skipped", day)
            if not conversation.was_answered or expert_id is None:
                return None
            registration = await create_pending_for_chat(
                session,
                expert_id=expert_id,
                conversation_id=conversation.id,
                contact_date=self._local_date(conversation.ended_at),
                duration_minutes=talk_minutes(conversation),
                contact_seeker=AUDIENCE_TO_SEEKER.get(conversation.audience),
            )
            prefill = registration_as_dict(registration, conversation.audience)
        return expert_id, {
            "registration_id": prefill["id"],
            "conversation_id": conversation.id,
            "prefill": prefill,
        }

    async def store_verdict(self, verdict: Verdict, at: dt.datetime) -> None:
        """Keep a visitor's verdict with the local date of ``at`` only."""
        async with self._db.begin() as session:
            await store_verdict(session, verdict, at.astimezone(self._tz).date())

    def _local_date(self, epoch: float | None) -> dt.date:
        moment = _utc_or_none(epoch) or dt.datetime.now(dt.UTC)
        return moment.astimezone(self._tz).date()
