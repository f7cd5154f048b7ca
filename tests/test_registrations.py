"""The registration workflow: pending after a chat, completion, access and the edit window."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from registration.models import Registration
from registration.registrations import (
    EDIT_WINDOW_DAYS,
    access_registration_by_id,
    can_edit,
    complete_registration,
    create_pending_for_chat,
    list_registrations,
    record_contact,
    registration_as_dict,
)
from registration.validation import RegistrationFields
from staffing.experts import create_staff_user
from staffing.models import StaffUser

Maker = async_sessionmaker[Any]
TODAY = dt.date(2026, 5, 4)
FIELDS = RegistrationFields(
    contact_date=dt.date(2026, 5, 3),
    duration_minutes=40,
    contact_type="chat",
    first_or_followup="first",
    contact_seeker="perpetrator",
    referral="other",
    referral_other="buurthuis",
    support=("listening_ear", "advice_professional_help"),
    advised_help=("ggz", "other"),
    advised_help_other="lotgenotengroep",
)
PHONE_FIELDS = dataclasses.replace(FIELDS, contact_type="phone", duration_minutes=20)


async def make_staff(maker: Maker, username: str, role: str = "expert") -> StaffUser:
    """Create a staff account."""
    async with maker.begin() as session:
        return await create_staff_user(
            session, username=username, display_name=username.title(), password="x" * 12, role=role
        )


async def pending(maker: Maker, expert: StaffUser, conversation_id: str = "c1") -> Registration:
    """The pending registration a chat of ``expert`` leaves behind."""
    async with maker.begin() as session:
        return await create_pending_for_chat(
            session,
            expert_id=expert.id,
            conversation_id=conversation_id,
            contact_date=dt.date(2026, 5, 3),
            duration_minutes=37,
            contact_seeker="victim",
        )


async def test_pending_registration_is_prefilled_and_idempotent(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    first = await pending(sessionmaker, anna)
    again = await pending(sessionmaker, anna)
    assert again.id == first.id
    assert registration_as_dict(first) == {
        "id": first.id,
        "status": "pending",
        "source": "chat",
        "expert_id": anna.id,
        "contact_date": "2026-05-03",
        "duration_minutes": 37,
        "contact_type": "chat",
        "first_or_followup": None,
        "contact_seeker": "victim",
        "referral": None,
        "referral_other": None,
        "support": [],
        "advised_help": [],
        "advised_help_other": None,
        "completed_on": None,
        "visitor_audience": None,
    }
    async with sessionmaker.begin() as session:
        assert len(await list_registrations(session, anna, None)) == 1


async def test_pending_prefill_never_fails_on_odd_values(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    async with sessionmaker.begin() as session:
        long = await create_pending_for_chat(
            session,
            expert_id=anna.id,
            conversation_id="long",
            contact_date=TODAY,
            duration_minutes=5000,
            contact_seeker="relative",
        )
    assert (long.duration_minutes, long.contact_seeker) == (1440, None)


async def test_complete_sets_every_field_and_forgets_the_conversation(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    registration = await pending(sessionmaker, anna, "conv-42")
    async with sessionmaker.begin() as session:
        row = await access_registration_by_id(session, anna, registration.id)
        assert row is not None and row.conversation_id == "conv-42"
        await complete_registration(session, row, FIELDS, TODAY)
    async with sessionmaker.begin() as session:
        stored = await session.get(Registration, registration.id)
    assert stored is not None
    assert stored.conversation_id is None
    data = registration_as_dict(stored)
    assert json.loads(json.dumps(data)) == data
    assert data["status"] == "done" and data["completed_on"] == "2026-05-04"
    assert data["contact_date"] == "2026-05-03" and data["duration_minutes"] == 40
    assert data["support"] == ["listening_ear", "advice_professional_help"]
    assert data["advised_help"] == ["ggz", "other"]
    assert (data["referral_other"], data["advised_help_other"]) == ("buurthuis", "lotgenotengroep")
    assert "conversation_id" not in data


async def test_completed_chat_does_not_come_back_as_pending(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    registration = await pending(sessionmaker, anna, "conv-1")
    async with sessionmaker.begin() as session:
        await complete_registration(session, registration, FIELDS, TODAY)
    async with sessionmaker.begin() as session:
        assert await list_registrations(session, anna, "pending") == []


async def test_correction_keeps_the_first_completion_date(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    async with sessionmaker.begin() as session:
        row = await record_contact(session, expert_id=anna.id, fields=PHONE_FIELDS, today=TODAY)
    later = TODAY + dt.timedelta(days=3)
    async with sessionmaker.begin() as session:
        fixed = await complete_registration(
            session, row, dataclasses.replace(PHONE_FIELDS, duration_minutes=25), later
        )
    assert (fixed.duration_minutes, fixed.completed_on) == (25, TODAY)


async def test_record_contact_by_hand(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    async with sessionmaker.begin() as session:
        row = await record_contact(session, expert_id=anna.id, fields=PHONE_FIELDS, today=TODAY)
    data = registration_as_dict(row)
    assert (data["status"], data["source"], data["contact_type"]) == ("done", "manual", "phone")
    assert (data["completed_on"], data["expert_id"]) == ("2026-05-04", anna.id)


async def test_experts_see_only_their_own_coordinators_all(sessionmaker: Maker) -> None:
    anna, bram = await make_staff(sessionmaker, "anna"), await make_staff(sessionmaker, "bram")
    coordinator = await make_staff(sessionmaker, "carla", role="coordinator")
    mine = await pending(sessionmaker, anna, "a")
    theirs = await pending(sessionmaker, bram, "b")
    async with sessionmaker.begin() as session:
        done = await record_contact(session, expert_id=anna.id, fields=PHONE_FIELDS, today=TODAY)
    async with sessionmaker.begin() as session:
        assert await access_registration_by_id(session, anna, theirs.id) is None
        assert await access_registration_by_id(session, anna, mine.id) is not None
        assert await access_registration_by_id(session, coordinator, theirs.id) is not None
        assert await access_registration_by_id(session, coordinator, 999) is None
        ids = [r.id for r in await list_registrations(session, anna, None)]
        assert ids == [mine.id, done.id]
        assert [r.id for r in await list_registrations(session, anna, "done")] == [done.id]
        everyone = await list_registrations(session, coordinator, "pending")
        assert [r.id for r in everyone] == [mine.id, theirs.id]
        with pytest.raises(ValueError, match="status"):
            await list_registrations(session, anna, "deleted")


async def test_edit_window(sessionmaker: Maker) -> None:
    anna, bram = await make_staff(sessionmaker, "anna"), await make_staff(sessionmaker, "bram")
    coordinator = await make_staff(sessionmaker, "carla", role="coordinator")
    open_one = await pending(sessionmaker, anna)
    async with sessionmaker.begin() as session:
        done = await record_contact(session, expert_id=anna.id, fields=PHONE_FIELDS, today=TODAY)
    last_day = TODAY + dt.timedelta(days=EDIT_WINDOW_DAYS)
    a_year_later = TODAY + dt.timedelta(days=365)
    assert can_edit(anna, open_one, a_year_later)  # pending stays on the list until done
    assert can_edit(anna, done, TODAY)
    assert can_edit(anna, done, last_day)
    assert not can_edit(anna, done, last_day + dt.timedelta(days=1))
    assert not can_edit(bram, done, TODAY)
    assert not can_edit(bram, open_one, TODAY)
    assert can_edit(coordinator, done, a_year_later)
