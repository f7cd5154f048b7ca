"""Who is on shift is one shared read: exact at every instant, fresh after any roster write
in this app, re-read in the background, one query for a burst (docs/performance.md)."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chatserver.chat.roster import ON_SHIFT_FRESH_S, ON_SHIFT_STALE_S, Roster
from chatserver.chat.sharedread import SharedRead
from chatserver.http.status import ALTERNATIVES, StatusBody
from chatserver.keys import chat_key, engine_key, roster_version_key
from nabij.db import make_sessionmaker
from staffing.experts import create_staff_user, set_staff_active
from staffing.patterns import create_pattern, end_pattern, extend_patterns, skip_pattern_days
from staffing.requests import decide_shift_request, request_shift_change
from staffing.rosterversion import RosterVersion
from staffing.shifts import add_shift, change_shift, delete_shift
from staffing.weekly import WeeklyWindow
from tests.harness import Nabij
from tests.waiting import eventually

Maker = async_sessionmaker[Any]
T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


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


class AppDB:
    """A sessionmaker carrying a roster version, as create_app makes them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.version = RosterVersion()
        self.maker = make_sessionmaker(engine, info=self.version.session_info())

    def roster(self) -> Roster:
        """A roster whose clock never moves: only a write can refresh its read."""
        return Roster(self.maker, self.version, FakeMonotonic())


@pytest.fixture
def app_db(engine: AsyncEngine) -> AppDB:
    return AppDB(engine)


async def test_a_shift_starts_and_ends_exactly_inside_one_read(app_db: AppDB) -> None:
    anna = await expert(app_db.maker, "anna")
    await shift(app_db.maker, anna, T0 + dt.timedelta(seconds=10), T0 + dt.timedelta(seconds=20))
    roster = app_db.roster()
    assert await roster.on_shift(at(0)) == []
    assert await roster.on_shift(at(10)) == [anna]  # start inclusive
    assert await roster.on_shift(at(19.9)) == [anna]
    assert await roster.on_shift(at(20)) == []  # end exclusive


async def test_writes_in_this_app_show_at_once(app_db: AppDB) -> None:
    maker = app_db.maker
    anna, ben = await expert(maker, "anna"), await expert(maker, "ben")
    roster = app_db.roster()
    assert await roster.on_shift(at(0)) == []
    shift_id = await shift(maker, anna, T0, T0 + dt.timedelta(hours=1))
    assert await roster.on_shift(at(0)) == [anna]
    await shift(maker, ben, T0, T0 + dt.timedelta(hours=1))
    assert await roster.on_shift(at(0)) == [anna, ben]
    async with maker.begin() as session:
        await set_staff_active(session, ben, False)
    assert await roster.on_shift(at(0)) == [anna]
    async with maker.begin() as session:
        await delete_shift(session, shift_id)
    assert await roster.on_shift(at(0)) == []


async def test_a_write_counts_once_its_transaction_has_ended(app_db: AppDB) -> None:
    """A read made while the write is still open sees the old roster: it must not stay."""
    anna = await expert(app_db.maker, "anna")
    roster = app_db.roster()
    before = app_db.version.generation
    async with app_db.maker.begin() as session:
        await add_shift(session, user_id=anna, starts_at=T0, ends_at=T0 + dt.timedelta(hours=1))
        assert await roster.on_shift(at(0)) == []  # not committed yet
        assert app_db.version.generation == before
    assert app_db.version.generation == before + 1
    assert await roster.on_shift(at(0)) == [anna]


async def test_other_writes_do_not_touch_the_roster_version(app_db: AppDB) -> None:
    from staffing.models import QuickReply

    anna = await expert(app_db.maker, "anna")
    before = app_db.version.generation
    async with app_db.maker.begin() as session:
        session.add(QuickReply(created_by=anna, title="Hoi", body="Fijn dat je er bent."))
    assert app_db.version.generation == before


AMS = ZoneInfo("Europe/Amsterdam")
TODAY = T0.date()
#: A pattern for every day, 11:00-15:00 Amsterdam: T0's hour (12:00 UTC) on later days.
DAILY = WeeklyWindow(frozenset(range(7)), dt.time(11, 0), dt.time(15, 0))
Write = Callable[[AsyncSession, int, int], Awaitable[object]]


async def _add(session: AsyncSession, anna: int, _shift: int) -> object:
    tomorrow = T0 + dt.timedelta(days=1)
    return await add_shift(session, user_id=anna, starts_at=tomorrow, ends_at=tomorrow + HOUR)


async def _change(session: AsyncSession, anna: int, shift_id: int) -> object:
    later = T0 + dt.timedelta(days=1)
    return await change_shift(
        session, shift_id, user_id=anna, starts_at=later, ends_at=later + HOUR
    )


async def _delete(session: AsyncSession, _anna: int, shift_id: int) -> object:
    return await delete_shift(session, shift_id)


async def _deactivate(session: AsyncSession, anna: int, _shift: int) -> object:
    return await set_staff_active(session, anna, False)


async def _pattern(session: AsyncSession, anna: int, _shift: int) -> object:
    return await create_pattern(
        session,
        user_id=anna,
        window=DAILY,
        starts_on=TODAY + dt.timedelta(days=2),
        ends_on=None,
        today=TODAY,
        tz=AMS,
    )


async def _drop_request(session: AsyncSession, anna: int, shift_id: int) -> object:
    request = await request_shift_change(
        session,
        requester_id=anna,
        shift_id=shift_id,
        kind="drop",
        to_user_id=None,
        note="",
        now=T0 - dt.timedelta(days=1),
    )
    return await decide_shift_request(session, request.id, approve=True, decided_by=anna, now=T0)


#: Every staffing function that writes shifts or an expert's active flag (the AST test
#: below finds them; this list runs each).
WRITES: dict[str, Write] = {
    "add_shift": _add,
    "change_shift": _change,
    "delete_shift": _delete,
    "set_staff_active": _deactivate,
    "create_pattern": _pattern,
    "decide_shift_request": _drop_request,
}


@pytest.mark.parametrize("name", WRITES)
async def test_each_roster_write_drops_the_shared_read(app_db: AppDB, name: str) -> None:
    anna = await expert(app_db.maker, "anna")
    shift_id = await shift(app_db.maker, anna, T0, T0 + HOUR)
    roster = app_db.roster()
    before = await roster.on_shift(at(0))
    generation = app_db.version.generation
    async with app_db.maker.begin() as session:
        assert await WRITES[name](session, anna, shift_id)
    assert app_db.version.generation > generation
    if name in ("change_shift", "delete_shift", "set_staff_active", "decide_shift_request"):
        assert before == [anna] and await roster.on_shift(at(0)) == []  # seen at once


async def test_pattern_days_skipped_ended_and_extended_drop_the_shared_read(
    app_db: AppDB,
) -> None:
    anna = await expert(app_db.maker, "anna")
    async with app_db.maker.begin() as session:
        pattern = await _pattern(session, anna, 0)
    counts = [app_db.version.generation]
    steps: list[Callable[[AsyncSession], Awaitable[int]]] = [  # in PATTERN_STEPS' order
        lambda s: skip_pattern_days(
            s, pattern.id, TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=3), AMS
        ),
        lambda s: extend_patterns(s, TODAY + dt.timedelta(days=30), AMS),
        lambda s: end_pattern(s, pattern.id, TODAY + dt.timedelta(days=5), AMS),
    ]
    for step in steps:
        async with app_db.maker.begin() as session:
            assert await step(session) > 0
        counts.append(app_db.version.generation)
    assert counts == sorted(set(counts)), counts  # each step counted


PATTERN_STEPS = ("skip_pattern_days", "extend_patterns", "end_pattern")


def _writes_roster(node: ast.AST) -> bool:
    """A new Shift row, a bulk delete/update of shifts, or a shift's or user's key field set."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "Shift":
            return True
        if node.func.id in ("delete", "update", "insert") and any(
            isinstance(a, ast.Name) and a.id in ("Shift", "StaffUser") for a in node.args
        ):
            return True
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        on_a_row = not (isinstance(node.value, ast.Name) and node.value.id == "self")
        return on_a_row and node.attr in ("active", "starts_at", "ends_at", "user_id")
    return False


def test_every_function_writing_the_roster_says_so() -> None:
    """Found by reading the code, so a new write path cannot forget the invalidation.

    Handlers, the CLI and the sweeper write through the staffing functions; a handler
    writing a shift itself would be found here too.
    """
    writers, silent = set(), []
    paths = [
        p
        for package in ("staffing", "chatserver", "registration", "nabij")
        for p in Path(package).rglob("*.py")
    ]
    for path in sorted(p for p in paths if "migrations" not in p.parts):
        for fn in ast.walk(ast.parse(path.read_text())):
            if not isinstance(fn, ast.AsyncFunctionDef | ast.FunctionDef):
                continue
            if any(_writes_roster(node) for node in ast.walk(fn)):
                writers.add(fn.name)
                calls = {
                    n.func.id
                    for n in ast.walk(fn)
                    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                }
                if "roster_written" not in calls:
                    silent.append(f"{path}:{fn.name}")
    assert silent == []
    # The list the behaviour tests run covers every public writer found.
    public = {name for name in writers if not name.startswith("_")}
    assert public <= set(WRITES) | set(PATTERN_STEPS), public


async def test_a_shift_planned_through_the_api_is_seen_at_once(nabij: Nabij) -> None:
    """Not after the refresh: the status a widget reads follows the coordinator's click."""
    anna = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("cora", role="coordinator", on_shift=False)
    status = f"{nabij.url}/api/status"
    now = dt.datetime.now(dt.UTC)
    body = {
        "user_id": anna,
        "starts_at": (now - HOUR).isoformat(),
        "ends_at": (now + HOUR).isoformat(),
    }
    async with nabij.http(await nabij.login("cora")) as http:
        assert (await (await http.get(status)).json())["state"] == "closed"
        before = nabij.app[roster_version_key].generation
        assert (await http.post(f"{nabij.url}/api/shifts", json=body)).status == 201
        assert (await (await http.get(status)).json())["state"] == "unstaffed"
    assert nabij.app[roster_version_key].generation == before + 1


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


async def test_a_shift_planned_by_another_process_never_leaves_the_status_contradicting_itself(
    nabij: Nabij,
) -> None:
    """A shift written as the CLI writes it (no version told): the state and the hours agree.

    The published hours had just been read (and are reused for up to 30 s); once the
    roster's own read sees the new shift, ``unstaffed`` comes with the hours that hold now
    and an ``open_until``, never ``open_until: null`` beside "within the hours".
    """
    anna = await nabij.add_expert("anna", on_shift=False)
    status = f"{nabij.url}/api/status"
    async with aiohttp.ClientSession() as http:
        assert (await (await http.get(status)).json())["state"] == "closed"  # hours read
        now = dt.datetime.now(dt.UTC)
        elsewhere = make_sessionmaker(nabij.app[engine_key])  # not the app's: no version
        async with elsewhere.begin() as session:
            await add_shift(session, user_id=anna, starts_at=now - HOUR, ends_at=now + HOUR)

        async def state() -> dict[str, Any]:
            body: dict[str, Any] = await (await http.get(status)).json()
            return body

        body = await eventually(
            state, what="the roster to see the shift", until=lambda b: b["state"] != "closed"
        )
    assert body["state"] == "unstaffed", body
    assert body["open_until"] is not None, body
    windows = [(w["starts_at"], w["ends_at"]) for w in body["opening_hours"]]
    assert any(s <= now.isoformat() < e for s, e in windows), windows
