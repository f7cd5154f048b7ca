"""The registration workflow: pending after a chat, completed by the expert, edited briefly.

A completed registration keeps only a date (no time of day) and loses its
``conversation_id``, so it can no longer be joined to the conversation's chat times.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nabij.vocab import role_at_least
from registration.codes import CONTACT_SEEKERS
from registration.models import ConversationRecord, Registration
from registration.validation import MAX_DURATION_MINUTES, RegistrationFields
from staffing.models import StaffUser

logger = logging.getLogger(__name__)

#: How many days after completing it an expert may still correct their registration.
EDIT_WINDOW_DAYS: Final = 14
STATUSES: Final = ("pending", "done")


async def create_pending_for_chat(
    session: AsyncSession,
    *,
    expert_id: int,
    conversation_id: str,
    contact_date: dt.date,
    duration_minutes: int,
    contact_seeker: str | None,
) -> Registration:
    """Create the pending registration of an ended chat; return the existing one if any.

    The duration is clamped to 0..1440 minutes and an unknown contact seeker becomes None,
    so ending a chat never fails on its prefill.
    """
    return await create_pending(
        session,
        expert_id=expert_id,
        link=conversation_id,
        source="chat",
        contact_type="chat",
        contact_date=contact_date,
        duration_minutes=min(max(duration_minutes, 0), MAX_DURATION_MINUTES),
        contact_seeker=contact_seeker,
    )


async def create_pending(
    session: AsyncSession,
    *,
    expert_id: int,
    link: str,
    source: str,
    contact_type: str,
    contact_date: dt.date,
    duration_minutes: int | None,
    contact_seeker: str | None,
) -> Registration:
    """Create a pending registration linked to ``link`` (a chat or a message thread) once.

    The link is what makes it idempotent, and it is cleared on completion.
    """
    existing = await _by_conversation_id(session, link)
    if existing is not None:
        return existing
    registration = Registration(
        expert_id=expert_id,
        status="pending",
        source=source,
        conversation_id=link,
        contact_date=contact_date,
        duration_minutes=duration_minutes,
        contact_type=contact_type,
        contact_seeker=contact_seeker if contact_seeker in CONTACT_SEEKERS else None,
        support=[],
        advised_help=[],
    )
    session.add(registration)
    await session.flush()
    logger.info("registration pending: id=%s expert_id=%s", registration.id, expert_id)
    return registration


async def _by_conversation_id(session: AsyncSession, conversation_id: str) -> Registration | None:
    query = select(Registration).where(Registration.conversation_id == conversation_id)
    return (await session.execute(query)).scalar_one_or_none()


async def record_contact(
    session: AsyncSession, *, expert_id: int, fields: RegistrationFields, today: dt.date
) -> Registration:
    """Store a contact registered by hand (phone, WhatsApp, face to face, ...) as done."""
    registration = Registration(expert_id=expert_id, status="pending", source="manual")
    session.add(registration)
    return await complete_registration(session, registration, fields, today)


async def complete_registration(
    session: AsyncSession, registration: Registration, fields: RegistrationFields, today: dt.date
) -> Registration:
    """Set every field, mark it done and unlink it from its conversation.

    ``completed_on`` is set only the first time, so later corrections do not extend the
    edit window. Authorize first with access_registration_by_id() and can_edit().
    """
    session.add(registration)  # re-attach it when it was loaded in another session
    _apply_fields(registration, fields)
    registration.status = "done"
    registration.conversation_id = None
    if registration.completed_on is None:
        registration.completed_on = today
    await session.flush()
    logger.info("registration done: id=%s", registration.id)
    return registration


def _apply_fields(registration: Registration, fields: RegistrationFields) -> None:
    registration.contact_date = fields.contact_date
    registration.duration_minutes = fields.duration_minutes
    registration.contact_type = fields.contact_type
    registration.first_or_followup = fields.first_or_followup
    registration.contact_seeker = fields.contact_seeker
    registration.referral = fields.referral
    registration.referral_other = fields.referral_other
    registration.support = list(fields.support)
    registration.advised_help = list(fields.advised_help)
    registration.advised_help_other = fields.advised_help_other


async def access_registration_by_id(
    session: AsyncSession, actor: StaffUser, registration_id: int
) -> Registration | None:
    """Return the registration if ``actor`` may see it (experts: only their own), else None."""
    registration = await session.get(Registration, registration_id)
    if registration is None or not _may_see(actor, registration):
        return None
    return registration


def _may_see(actor: StaffUser, registration: Registration) -> bool:
    return role_at_least(actor.role, "coordinator") or registration.expert_id == actor.id


async def list_registrations(
    session: AsyncSession, actor: StaffUser, status: str | None
) -> list[Registration]:
    """Return the registrations ``actor`` may see (experts: their own), ordered by id.

    Raises:
        ValueError: ``status`` is neither None nor one of STATUSES.
    """
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    query = select(Registration).order_by(Registration.id)
    if not role_at_least(actor.role, "coordinator"):
        query = query.where(Registration.expert_id == actor.id)
    if status is not None:
        query = query.where(Registration.status == status)
    return list((await session.execute(query)).scalars())


def can_edit(actor: StaffUser, registration: Registration, today: dt.date) -> bool:
    """Return whether ``actor`` may complete or correct ``registration`` on ``today``.

    Coordinators and admins always may; an expert only their own, while it is pending
    or within EDIT_WINDOW_DAYS after it was completed.
    """
    if role_at_least(actor.role, "coordinator"):
        return True
    if registration.expert_id != actor.id:
        return False
    if registration.status == "pending" or registration.completed_on is None:
        return True
    return today - registration.completed_on <= dt.timedelta(days=EDIT_WINDOW_DAYS)


async def visitor_audiences(
    session: AsyncSession, registrations: list[Registration]
) -> dict[int, str]:
    """Registration id -> the audience the visitor chose, for pending chat registrations.

    Shown on the form next to "contact seeker", which has no code for every audience
    (a relative is not always a parent of a victim). A completed registration has lost its
    conversation id, so it has no audience any more (it must not be joinable to the chat).
    """
    linked = {r.conversation_id: r.id for r in registrations if r.conversation_id is not None}
    if not linked:
        return {}
    query = select(ConversationRecord.id, ConversationRecord.audience).where(
        ConversationRecord.id.in_(linked)
    )
    return {linked[cid]: audience for cid, audience in (await session.execute(query)).all()}


def registration_as_dict(
    registration: Registration, visitor_audience: str | None = None
) -> dict[str, object]:
    """Return the registration as JSON-ready data (codes, ISO dates, lists).

    ``visitor_audience``: the chat's audience while the registration is pending (see
    visitor_audiences), else None.
    """
    return {
        "id": registration.id,
        "status": registration.status,
        "source": registration.source,
        "expert_id": registration.expert_id,
        "contact_date": _iso(registration.contact_date),
        "duration_minutes": registration.duration_minutes,
        "contact_type": registration.contact_type,
        "first_or_followup": registration.first_or_followup,
        "contact_seeker": registration.contact_seeker,
        "referral": registration.referral,
        "referral_other": registration.referral_other,
        "support": list(registration.support or []),
        "advised_help": list(registration.advised_help or []),
        "advised_help_other": registration.advised_help_other,
        "completed_on": _iso(registration.completed_on),
        "visitor_audience": visitor_audience,
    }


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
