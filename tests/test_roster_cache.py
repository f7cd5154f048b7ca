"""Who is on shift is one shared read: exact at every instant, fresh after any roster write
in this process, re-read in the background, one query for a burst (docs/performance.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.roster import ON_SHIFT_FRESH_S, ON_SHIFT_STALE_S, Roster
from chatserver.chat.sharedread import SharedRead
from chatserver.http.status import ALTERNATIVES, StatusBody
from chatserver.keys import chat_key
from staffing import rosterversion
from staffing.experts import create_staff_user, set_staff_active
from staffing.shifts import add_shift, delete_shift
from tests.harness import Nabij

Maker = async_sessionmaker[Any]
T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


class FakeMonotonic:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def expert(maker: Maker, name: str) -> int:
    async with maker.begin() as session:
        user = await create_staff_user(
            session, username=name, display_name=name.title(), password="x" * 12
        )
        return user.id


async def shift(maker: Maker, user_id: int, start: dt.datetime, end: dt.datetime) -> int:
    async with maker.begin() as session:
        return (await add_shift(session, user_id=user_id, starts_at=start, ends_at=end)).id


def at(delta_s: float) -> float:
    return (T0 + dt.timedelta(seconds=delta_s)).timestamp()


async def test_a_shift_starts_and_ends_exactly_inside_one_read(sessionmaker: Maker) -> None:
    anna = await expert(sessionmaker, "anna")
    await shift(sessionmaker, anna, T0 + dt.timedelta(seconds=10), T0 + dt.timedelta(seconds=20))
    roster = Roster(sessionmaker, FakeMonotonic())
    assert await roster.on_shift(at(0)) == []
    assert await roster.on_shift(at(10)) == [anna]  # start inclusive
    assert await roster.on_shift(at(19.9)) == [anna]
    assert await roster.on_shift(at(20)) == []  # end exclusive


async def test_writes_in_this_process_show_at_once(sessionmaker: Maker) -> None:
    anna, ben = await expert(sessionmaker, "anna"), await expert(sessionmaker, "ben")
    roster = Roster(sessionmaker, FakeMonotonic())  # the clock never moves: only writes refresh
    assert await roster.on_shift(at(0)) == []
    shift_id = await shift(sessionmaker, anna, T0, T0 + dt.timedelta(hours=1))
    assert await roster.on_shift(at(0)) == [anna]
    await shift(sessionmaker, ben, T0, T0 + dt.timedelta(hours=1))
    assert await roster.on_shift(at(0)) == [anna, ben]
    async with sessionmaker.begin() as session:
        await set_staff_active(session, ben, False)
    assert await roster.on_shift(at(0)) == [anna]
    async with sessionmaker.begin() as session:
        await delete_shift(session, shift_id)
    assert await roster.on_shift(at(0)) == []


async def test_a_rolled_back_write_also_counts(sessionmaker: Maker) -> None:
    anna = await expert(sessionmaker, "anna")
    before = rosterversion.generation()
    with pytest.raises(RuntimeError):
        async with sessionmaker.begin() as session:
            await add_shift(session, user_id=anna, starts_at=T0, ends_at=T0 + dt.timedelta(hours=1))
            raise RuntimeError("changed my mind")
    assert rosterversion.generation() > before


async def test_other_writes_do_not_touch_the_roster_generation(sessionmaker: Maker) -> None:
    from staffing.models import QuickReply

    anna = await expert(sessionmaker, "anna")
    before = rosterversion.generation()
    async with sessionmaker.begin() as session:
        session.add(QuickReply(created_by=anna, title="Hoi", body="Fijn dat je er bent."))
    assert rosterversion.generation() == before


async def test_a_burst_of_questions_shares_one_read() -> None:
    reads = 0

    async def read() -> str:
        nonlocal reads
        reads += 1
        await asyncio.sleep(0.01)
        return "value"

    shared: SharedRead[str] = SharedRead(1.0, 30.0, FakeMonotonic())
    answers = await asyncio.gather(*(shared.get(read) for _ in range(200)))
    assert answers == ["value"] * 200 and reads == 1


async def test_an_old_read_answers_while_one_background_read_renews_it() -> None:
    clock = FakeMonotonic()
    values = iter(["first", "second", "third"])
    release = asyncio.Event()

    async def read() -> str:
        value = next(values)
        if value == "second":
            await release.wait()
        return value

    shared: SharedRead[str] = SharedRead(ON_SHIFT_FRESH_S, ON_SHIFT_STALE_S, clock)
    assert await shared.get(read) == "first"
    clock.now += ON_SHIFT_FRESH_S
    # Old but not stale: answered at once, twice, while one re-read waits on the database.
    assert await asyncio.wait_for(shared.get(read), 0.5) == "first"
    assert await asyncio.wait_for(shared.get(read), 0.5) == "first"
    release.set()
    for _ in range(10):
        await asyncio.sleep(0)
    assert await shared.get(read) == "second"


async def test_a_failing_database_is_seen_once_the_read_is_stale() -> None:
    clock = FakeMonotonic()
    healthy = True

    async def read() -> str:
        if not healthy:
            raise OSError("database unreachable")
        return "value"

    shared: SharedRead[str] = SharedRead(1.0, 30.0, clock)
    assert await shared.get(read) == "value"
    healthy = False
    clock.now += 5
    assert await shared.get(read) == "value"  # still young enough; the re-read fails quietly
    await asyncio.sleep(0)
    clock.now += 30
    with pytest.raises(OSError, match="unreachable"):
        await shared.get(read)


async def test_an_unusable_read_makes_the_caller_wait_for_a_new_one() -> None:
    reads: list[int] = []

    async def read_for(value: int) -> int:
        reads.append(value)
        return value

    shared: SharedRead[int] = SharedRead(1.0, 30.0, FakeMonotonic())
    assert await shared.get(lambda: read_for(1), lambda v: v == 1) == 1
    assert await shared.get(lambda: read_for(2), lambda v: v == 2) == 2
    assert reads == [1, 2]


async def test_a_chat_request_is_not_refused_on_an_old_roster_read(
    nabij: Nabij, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process may have planned the shift a moment ago: a refusal reads afresh."""
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    roster = nabij.app[chat_key].roster
    real = roster.on_shift

    async def old_read_unless_fresh(at: float, *, fresh: bool = False) -> list[int]:
        return await real(at, fresh=True) if fresh else []

    monkeypatch.setattr(roster, "on_shift", old_read_unless_fresh)
    async with aiohttp.ClientSession() as http, http.get(f"{nabij.url}/api/status") as response:
        assert (await response.json())["open"] is False  # the widget may lag a second
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"] and ack["position"] == 0
    assert (await visitor.next("chat:assigned"))["expert"]["display_name"] == "Anna"


async def test_closing_waits_for_a_background_read() -> None:
    """The engine is disposed after it: no read is cut off with its connection open."""
    clock = FakeMonotonic()
    finished: list[str] = []
    release = asyncio.Event()

    async def read() -> str:
        if finished:
            await release.wait()
        finished.append("read")
        return "value"

    shared: SharedRead[str] = SharedRead(1.0, 30.0, clock)
    await shared.get(read)
    clock.now += 2
    await shared.get(read)  # starts the background read, which waits
    closing = asyncio.ensure_future(shared.close())
    await asyncio.sleep(0.05)
    assert not closing.done()
    release.set()
    await asyncio.wait_for(closing, 1)
    assert finished == ["read", "read"]


def test_the_status_body_is_rendered_again_only_when_its_answer_changes() -> None:
    body = StatusBody()
    published = {"next_opening": None, "opening_hours": []}
    first = body.render({"open": True, "state": "open"}, published)
    assert json.loads(first) == {
        "ok": True,
        "open": True,
        "state": "open",
        **published,
        "alternatives": ALTERNATIVES,
    }
    assert body.render({"open": True, "state": "open"}, published) is first
    closed = json.loads(body.render({"open": False, "state": "closed"}, published))
    assert (closed["open"], closed["state"]) == (False, "closed")
    busy = json.loads(body.render({"open": True, "state": "busy", "queue_length": 2}, published))
    assert busy["queue_length"] == 2
    later = {"next_opening": "2026-11-24T08:00:00+00:00", "opening_hours": []}
    again = json.loads(body.render({"open": True, "state": "busy", "queue_length": 2}, later))
    assert again["next_opening"] == later["next_opening"]
