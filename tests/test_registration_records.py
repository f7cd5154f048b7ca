"""Conversation records: wait and talk seconds, outcomes, idempotent saves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from registration.models import ConversationRecord
from registration.records import save_conversation_record

Maker = async_sessionmaker[Any]
REQUESTED = dt.datetime(2026, 5, 4, 21, 0, 0, tzinfo=dt.UTC)


def later(seconds: float) -> dt.datetime:
    """Return REQUESTED plus ``seconds``."""
    return REQUESTED + dt.timedelta(seconds=seconds)


async def save(maker: Maker, **changes: Any) -> ConversationRecord:
    """Save an answered conversation, with ``changes``."""
    values: dict[str, Any] = {
        "conversation_id": "c1",
        "audience": "victim",
        "requested_at": REQUESTED,
        "assigned_at": later(42.7),
        "ended_at": later(42.7 + 35 * 60),
        "outcome": "answered",
        "expert_id": None,
    }
    values.update(changes)
    async with maker.begin() as session:
        return await save_conversation_record(session, **values)


async def test_answered_conversation_has_wait_and_talk_seconds(sessionmaker: Maker) -> None:
    record = await save(sessionmaker)
    async with sessionmaker.begin() as session:
        stored = await session.get(ConversationRecord, record.id)
    assert stored is not None
    assert (stored.wait_s, stored.talk_s) == (42, 35 * 60)
    assert stored.requested_at == REQUESTED
    assert stored.outcome == "answered"


@pytest.mark.parametrize("outcome", ["missed", "abandoned"])
async def test_never_assigned_waits_until_the_end(sessionmaker: Maker, outcome: str) -> None:
    record = await save(sessionmaker, assigned_at=None, ended_at=later(90), outcome=outcome)
    assert (record.wait_s, record.talk_s) == (90, None)


async def test_saving_again_overwrites_by_id(sessionmaker: Maker) -> None:
    await save(sessionmaker, assigned_at=None, ended_at=None)
    await save(sessionmaker)
    async with sessionmaker.begin() as session:
        count = (
            await session.execute(select(func.count()).select_from(ConversationRecord))
        ).scalar()
        stored = await session.get(ConversationRecord, "c1")
    assert count == 1
    assert stored is not None and stored.talk_s == 35 * 60


async def test_clock_skew_never_gives_negative_seconds(sessionmaker: Maker) -> None:
    record = await save(sessionmaker, assigned_at=later(-1), ended_at=later(-2))
    assert (record.wait_s, record.talk_s) == (0, 0)


@pytest.mark.parametrize(
    "changes",
    [
        {"outcome": "lost"},
        {"audience": "robot"},
        {"requested_at": dt.datetime(2026, 5, 4, 21)},  # noqa: DTZ001 - naive on purpose
    ],
)
async def test_bad_record_is_refused(sessionmaker: Maker, changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        await save(sessionmaker, **changes)
    async with sessionmaker.begin() as session:
        assert await session.get(ConversationRecord, "c1") is None
