"""The message box's workflow on both databases (chatserver/messagebox/threads.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.messagebox.models import MessageThread, ThreadMessage
from chatserver.messagebox.threads import (
    BoxKeys,
    MessageBoxError,
    MessageRetention,
    answer_thread,
    claim_thread,
    close_by_visitor,
    leave_message,
    purge_expired,
    read_by_visitor,
    reply_by_visitor,
    thread_for_code,
    waiting_threads,
)
from nabij.db import Base
from registration.models import MessageRecord, Registration
from staffing.experts import create_staff_user

KEYS = BoxKeys.of("k" * 40)
RETENTION = MessageRetention(days=14)
T0 = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)
TEXT = "Hij is vanavond weer boos geworden. Wat kan ik doen?"


async def _leave(maker: async_sessionmaker[Any], body: str = TEXT, at: dt.datetime = T0) -> str:
    async with maker.begin() as session:
        return await leave_message(
            session, KEYS, audience="victim", lang="nl", body=body, now=at, retention=RETENTION
        )


async def _thread_id(maker: async_sessionmaker[Any], code: str) -> int:
    async with maker.begin() as session:
        return (await thread_for_code(session, KEYS, code, T0)).id


async def _experts(maker: async_sessionmaker[Any], n: int) -> list[int]:
    async with maker.begin() as session:
        users = [
            await create_staff_user(
                session, username=f"expert{i}", display_name=f"Expert {i}", password="p" * 12
            )
            for i in range(n)
        ]
        return [user.id for user in users]


async def _answer(
    maker: async_sessionmaker[Any], thread_id: int, expert_id: int, body: str
) -> Registration:
    async with maker.begin() as session:
        return await answer_thread(
            session,
            KEYS,
            thread_id,
            expert_id,
            body,
            now=T0 + dt.timedelta(hours=20),
            retention=RETENTION,
            today=dt.date(2026, 12, 2),
        )


async def test_the_round_trip_leave_claim_answer_read_reply_close(
    sessionmaker: async_sessionmaker[Any],
) -> None:
    (anna,) = await _experts(sessionmaker, 1)
    code = await _leave(sessionmaker)
    thread_id = await _thread_id(sessionmaker, code)
    async with sessionmaker.begin() as session:
        listed = await waiting_threads(session, {anna}, anna)
        assert [(t.id, t.audience, t.follow_up) for t in listed] == [(thread_id, "victim", False)]
        await claim_thread(session, thread_id, anna, {anna})
    registration = await _answer(sessionmaker, thread_id, anna, "Wat fijn dat je schrijft.")
    assert (registration.status, registration.source, registration.contact_type) == (
        "pending",
        "message",
        "email",
    )
    assert registration.contact_seeker == "victim"
    async with sessionmaker.begin() as session:
        thread = await thread_for_code(session, KEYS, code.replace("-", " ").upper(), T0)
        view = await read_by_visitor(session, KEYS, thread, T0 + dt.timedelta(days=1))
        assert [(m.sender, m.body) for m in view.messages] == [
            ("visitor", TEXT),
            ("expert", "Wat fijn dat je schrijft."),
        ]
        assert view.visitor_may_reply
        await reply_by_visitor(session, KEYS, thread, "Dank je.", now=T0, retention=RETENTION)
        with pytest.raises(MessageBoxError) as refused:
            await reply_by_visitor(session, KEYS, thread, "Nog iets.", now=T0, retention=RETENTION)
        assert refused.value.code == "invalid"
    async with sessionmaker.begin() as session:
        listed = await waiting_threads(session, {anna}, anna)
        assert [(t.id, t.claimed_by, t.follow_up) for t in listed] == [(thread_id, anna, True)]
    again = await _answer(sessionmaker, thread_id, anna, "Graag gedaan.")
    assert again.id == registration.id  # one registration per thread
    async with sessionmaker.begin() as session:
        await close_by_visitor(session, await thread_for_code(session, KEYS, code, T0))
    async with sessionmaker.begin() as session:
        with pytest.raises(MessageBoxError) as gone:
            await thread_for_code(session, KEYS, code, T0)
        assert gone.value.code == "not_found"
        assert (await session.execute(select(ThreadMessage))).first() is None
        record = (await session.execute(select(MessageRecord))).scalar_one()
        assert record.first_answer_at is not None and record.picked_up_at is not None


async def test_two_experts_claiming_at_once_one_wins(
    sessionmaker: async_sessionmaker[Any], db_backend: str
) -> None:
    anna, bram = await _experts(sessionmaker, 2)
    thread_id = await _thread_id(sessionmaker, await _leave(sessionmaker))

    async def claim(expert_id: int) -> str:
        try:
            async with sessionmaker.begin() as session:
                await claim_thread(session, thread_id, expert_id, {anna, bram})
        except MessageBoxError as exc:
            return exc.code
        return "claimed"

    outcomes = await asyncio.gather(claim(anna), claim(bram))
    assert sorted(outcomes) == ["claimed", "taken"]
    loser = bram if outcomes[0] == "claimed" else anna
    with pytest.raises(MessageBoxError) as refused:
        await _answer(sessionmaker, thread_id, loser, "Ik ook!")
    assert refused.value.code == "forbidden"


async def test_a_claim_by_someone_off_the_roster_puts_the_message_back_in_the_list(
    sessionmaker: async_sessionmaker[Any],
) -> None:
    anna, bram = await _experts(sessionmaker, 2)
    thread_id = await _thread_id(sessionmaker, await _leave(sessionmaker))
    async with sessionmaker.begin() as session:
        await claim_thread(session, thread_id, anna, {anna, bram})
        assert await waiting_threads(session, {anna, bram}, bram) == []
        with pytest.raises(MessageBoxError):
            await claim_thread(session, thread_id, bram, {anna, bram})
    async with sessionmaker.begin() as session:  # Anna's shift is over
        listed = await waiting_threads(session, {bram}, bram)
        assert [(t.id, t.claimed_by) for t in listed] == [(thread_id, None)]
        await claim_thread(session, thread_id, bram, {bram})
        with pytest.raises(MessageBoxError) as refused:
            await claim_thread(session, thread_id, anna, set())
        assert refused.value.code == "not_on_shift"


@pytest.mark.parametrize(
    "typed",
    ["", "appel-brug-kaars-molen-vos-417", "niet een code", "x" * 500],
)
async def test_a_wrong_code_finds_nothing_and_changes_nothing(
    sessionmaker: async_sessionmaker[Any], typed: str
) -> None:
    await _leave(sessionmaker)
    async with sessionmaker.begin() as session:
        with pytest.raises(MessageBoxError) as refused:
            await thread_for_code(session, KEYS, typed, T0)
        assert refused.value.code == "not_found"
        assert len(list((await session.execute(select(MessageThread))).scalars())) == 1


async def test_retention_deletes_every_trace_of_the_text(
    sessionmaker: async_sessionmaker[Any],
) -> None:
    code = await _leave(sessionmaker, body="Mijn geheime zin 7431")
    await _leave(sessionmaker, body="Later bericht", at=T0 + dt.timedelta(days=10))
    async with sessionmaker.begin() as session:
        with pytest.raises(MessageBoxError):  # expired: unreadable before the sweep
            await thread_for_code(session, KEYS, code, T0 + dt.timedelta(days=14))
        assert await purge_expired(session, T0 + dt.timedelta(days=14, seconds=1)) == 1
        assert await purge_expired(session, T0 + dt.timedelta(days=14, seconds=2)) == 0
    async with sessionmaker.begin() as session:
        threads = list((await session.execute(select(MessageThread))).scalars())
        assert len(threads) == 1 and threads[0].last_message_at == T0 + dt.timedelta(days=10)
        await _assert_no_plain_text(session, ["Mijn geheime zin", "Later bericht", code])


async def _assert_no_plain_text(session: Any, needles: list[str]) -> None:
    """No table holds the needles as text (sealed bytes are not readable as text)."""
    for table in ("message_threads", "thread_messages", "message_records", "registrations"):
        rows = (await session.execute(Base.metadata.tables[table].select())).all()
        dump = repr(rows)
        for needle in needles:
            assert needle not in dump, (table, needle)
