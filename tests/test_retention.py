"""Retention: conversation records older than NABIJ_RECORD_RETENTION_MONTHS are deleted by
the sweeper's upkeep; registrations (and everything else) stay."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from chatserver.chat.sweeper import Sweeper
from chatserver.keys import chat_key, db_key, messagebox_key
from registration.models import ConversationRecord, Registration
from registration.records import months_before, save_conversation_record
from tests.harness import NabijFactory


def test_months_before_clamps_the_day() -> None:
    moment = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert months_before(moment, 24) == dt.datetime(2024, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(moment, 15) == dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC)


async def test_old_conversation_records_are_pruned_registrations_kept(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(record_retention_months=12)
    expert_id = await nabij.add_expert("anna", on_shift=False)
    now = dt.datetime.now(dt.UTC)
    ages = {"old": 400, "edge": 370, "recent": 300}
    async with nabij.app[db_key].begin() as session:
        for name, days in ages.items():
            at = now - dt.timedelta(days=days)
            await save_conversation_record(
                session,
                conversation_id=name.ljust(32, "0"),
                audience="victim",
                requested_at=at,
                assigned_at=at,
                ended_at=at + dt.timedelta(minutes=5),
                outcome="answered",
                expert_id=expert_id,
            )
        old_contact = (now - dt.timedelta(days=500)).date()
        session.add(
            Registration(
                expert_id=expert_id, status="done", source="manual", contact_date=old_contact
            )
        )
    await Sweeper(nabij.app[chat_key], nabij.app[db_key], nabij.app[messagebox_key]).sweep()
    async with nabij.app[db_key]() as session:
        kept = sorted((await session.scalars(select(ConversationRecord.id))).all())
        registrations = await session.scalar(select(func.count()).select_from(Registration))
    assert kept == ["recent".ljust(32, "0")]
    assert registrations == 1
