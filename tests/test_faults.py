"""Faults survived for real: processes drained or killed, Redis restarted, PostgreSQL cut off.

Run alone with ``pytest -m faults``; they also run in the normal suite and, like every
PostgreSQL/Redis test, fail (not skip) under CI=true when those are missing.

Covered elsewhere, not repeated here:

- an expert's network drops: grace, then back to the head of the queue
  (tests/test_resume_and_grace.py::test_an_expert_gone_past_the_grace_returns_the_chat_to_the_queue_head);
- a visitor's network drops and resumes within the grace with every missed message
  (tests/test_resume_and_grace.py::test_resume_replays_every_later_message_then_chat_resumed).
"""

from __future__ import annotations

import asyncio
import secrets
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from chatserver.keys import db_key, store_key
from registration.models import ConversationRecord
from tests.harness import NabijFactory, Peer, assert_refused
from tests.processes import (
    RedisServer,
    ServerProcess,
    TcpProxy,
    add_expert,
    http_status,
    login,
    peers,
    stamp_schema,
)
from tests.waiting import eventually

pytestmark = [
    pytest.mark.faults,
    pytest.mark.parametrize("stack", ["postgres+redis"], indirect=True),
]

Connect = Callable[..., Awaitable[Peer]]
#: Long enough for both sides to reconnect to the other process under load.
GRACE_S = 10
#: SIGTERM must have the process gone within this (drain, close sockets, stop).
EXIT_BOUND_S = 15.0


@pytest.fixture
async def cluster(
    stack: dict[str, str | None], tmp_path: Path
) -> AsyncIterator[Callable[[], ServerProcess]]:
    """Start server processes sharing one database, one Redis and one key prefix."""
    env = {
        "NABIJ_SECRET_KEY": secrets.token_urlsafe(48),
        "NABIJ_DATABASE_URL": str(stack["database_url"]),
        "NABIJ_REDIS_URL": str(stack["redis_url"]),
        "NABIJ_REDIS_PREFIX": f"nabij-test:{secrets.token_hex(6)}:",
        "NABIJ_RECONNECT_GRACE_S": str(GRACE_S),
    }
    await stamp_schema(str(stack["database_url"]))
    started: list[ServerProcess] = []

    def start() -> ServerProcess:
        server = ServerProcess(env, tmp_path / f"server{len(started)}.log")
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


async def _expert_says(expert: Peer, cid: str, client_id: str, body: str) -> dict[str, Any]:
    data = {"conversation_id": cid, "client_id": client_id, "body": body}
    return await expert.call("message:send", data)


async def _assigned(
    expert_url: str, visitor_url: str, connect: Connect
) -> tuple[Peer, Peer, str, dict[str, Any], str]:
    """Anna available on ``expert_url``, a visitor's chat requested on ``visitor_url`` and
    assigned to her: (expert, visitor, conversation id, request ack, session cookie)."""
    cookie = await login(expert_url, "anna")
    expert = await connect(expert_url, "/staff", headers={"Cookie": f"nabij_session={cookie}"})
    assert (await expert.call("presence:set", {"available": True}))["ok"]
    visitor = await connect(visitor_url, "/visitor")
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"] and ack["position"] == 0, ack
    cid = (await expert.next("chat:assigned"))["conversation_id"]
    return expert, visitor, cid, ack, cookie


async def _chat_on(url: str, connect: Connect) -> tuple[Peer, Peer, str, dict[str, Any], str]:
    """An expert and a visitor talking through ``url``: seq 1 (visitor), seq 2 (expert)."""
    expert, visitor, cid, ack, cookie = await _assigned(url, url, connect)
    assert (await visitor.call("message:send", {"client_id": "v1", "body": "een"}))["seq"] == 1
    sent = await _expert_says(expert, cid, "e1", "twee")
    assert sent["seq"] == 2
    assert (await visitor.next("message:new"))["seq"] == 2
    return expert, visitor, cid, ack, cookie


async def _continue_on(url: str, connect: Connect, cid: str, token: str, cookie: str) -> None:
    """Both sides come back on ``url``; the chat goes on with nothing lost or doubled."""
    visitor = await connect(url, "/visitor", auth={"token": token, "last_seq": 2})
    resumed = await visitor.next("chat:resumed")
    assert (resumed["state"], resumed["last_seq"]) == ("active", 2)
    expert = await connect(url, "/staff", headers={"Cookie": f"nabij_session={cookie}"})
    sync = await expert.call("chats:sync")
    assert [c["conversation_id"] for c in sync["chats"]] == [cid]
    # The widget resends what it never saw acked: the same client_id is the same message.
    again = await visitor.call("message:send", {"client_id": "v1", "body": "een"})
    assert again["seq"] == 1
    assert (await visitor.call("message:send", {"client_id": "v2", "body": "drie"}))["seq"] == 3
    assert (await expert.next("message:new"))["seq"] == 3
    sent = await _expert_says(expert, cid, "e2", "vier")
    assert sent["seq"] == 4
    assert (await visitor.next("message:new"))["seq"] == 4
    assert await expert.quiet("message:new", 0.3)  # no doubles
    transcript = (await expert.call("chats:sync"))["chats"][0]["messages"]
    assert [(m["seq"], m["body"]) for m in transcript] == [
        (1, "een"),
        (2, "twee"),
        (3, "drie"),
        (4, "vier"),
    ]


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
async def test_a_chat_survives_its_process_going_away(
    cluster: Callable[[], ServerProcess], stack: dict[str, str | None], how: signal.Signals
) -> None:
    first, second = cluster(), cluster()
    await asyncio.gather(first.ready(), second.ready())
    await add_expert(str(stack["database_url"]), "anna")
    async with peers() as connect:
        old_expert, old_visitor, cid, ack, cookie = await _chat_on(first.url, connect)
        started = time.monotonic()
        first.signal(how)
        status = await first.exited(EXIT_BOUND_S)
        if how == signal.SIGTERM:
            assert status == 0, first.log.read_text()
            assert time.monotonic() - started < EXIT_BOUND_S

            async def both_told() -> bool:
                return not (old_visitor.client.connected or old_expert.client.connected)

            await eventually(both_told, what="the drained process to close both sockets", timeout=5)
        await _continue_on(second.url, connect, cid, ack["token"], cookie)


#: A killed process is taken for dead within the heartbeat's life (5 s at a 1 s sweep)
#: and a sweep; generous, as another job may share the two cores.
DEATH_DETECTED_S = 20.0
#: How long a call may stay ``temporarily_unavailable`` while Redis comes back.
AVAILABLE_AGAIN_S = 5.0


async def test_a_visitor_on_a_killed_process_who_never_returns_ends_the_chat(
    cluster: Callable[[], ServerProcess], stack: dict[str, str | None]
) -> None:
    """The killed process never closed the visitor's socket; a live one releases it."""
    first, second = cluster(), cluster()
    await asyncio.gather(first.ready(), second.ready())
    await add_expert(str(stack["database_url"]), "anna")
    async with peers() as connect:
        expert, _, cid, _, _ = await _assigned(second.url, first.url, connect)
        first.signal(signal.SIGKILL)
        await first.exited(EXIT_BOUND_S)

        ended = await expert.next("chat:ended", timeout=GRACE_S + DEATH_DETECTED_S)
        assert (ended["conversation_id"], ended["by"], ended["reason"]) == (
            cid,
            "visitor",
            "visitor_left",
        )
        assert (await expert.next("registration:pending"))["prefill"]["contact_type"] == "chat"
    assert "process gone" in second.log.read_text()


async def test_an_expert_on_a_killed_process_stops_being_eligible(
    cluster: Callable[[], ServerProcess], stack: dict[str, str | None]
) -> None:
    """The chat is closed once the dead console is released; the expert's chat is requeued."""
    first, second = cluster(), cluster()
    await asyncio.gather(first.ready(), second.ready())
    await add_expert(str(stack["database_url"]), "anna")
    async with peers() as connect:
        _, visitor, _, _, _ = await _assigned(first.url, second.url, connect)
        assert await _open(second.url)
        first.signal(signal.SIGKILL)
        await first.exited(EXIT_BOUND_S)

        async def closed() -> bool:
            return not await _open(second.url)

        await eventually(
            closed, what="the killed expert to stop being eligible", timeout=DEATH_DETECTED_S
        )
        queued = await visitor.next("chat:queued", timeout=GRACE_S + DEATH_DETECTED_S)
        assert queued["position"] == 1


async def _open(url: str) -> bool:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/api/status") as response:
        return bool((await response.json())["open"])


async def test_sigterm_exits_cleanly_and_logs_as_logfmt_without_addresses(
    cluster: Callable[[], ServerProcess], stack: dict[str, str | None]
) -> None:
    """An idle process drains and exits 0; its log lines are key=value, with no client IP."""
    first = cluster()
    await first.ready()
    await add_expert(str(stack["database_url"]), "anna")
    first.signal(signal.SIGTERM)
    assert await first.exited(EXIT_BOUND_S) == 0
    log = first.log.read_text()
    assert 'msg="draining"' in log
    assert "127.0.0.1" not in log.replace(first.url, "")  # no client address logged


async def test_chat_goes_on_while_postgresql_is_cut_off_and_nothing_is_lost(
    nabij_factory: NabijFactory, stack: dict[str, str | None]
) -> None:
    """Messages never touch the database; the record written at the end waits in the outbox."""
    url = make_url(str(stack["database_url"]))
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    try:
        nabij = await nabij_factory(database_url=url.set(port=proxy.port).render_as_string(False))
        await nabij.add_expert("anna")
        cookie = await nabij.login("anna")
        expert = await nabij.staff("anna")
        visitor = await nabij.visitor()
        await visitor.call("chat:request", {"audience": "victim"})
        cid = (await expert.next("chat:assigned"))["conversation_id"]

        proxy.cut()
        assert (await visitor.call("message:send", {"client_id": "v1", "body": "een"}))["ok"]
        assert (await expert.next("message:new"))["body"] == "een"
        assert (await _expert_says(expert, cid, "e1", "twee"))["ok"]
        assert (await visitor.next("message:new"))["body"] == "twee"
        async with nabij.http(cookie) as http:
            response = await http.put(f"{nabij.url}/api/registrations/1", json={})
            assert response.status == 503
            assert (await response.json())["error"]["code"] == "unavailable"
        assert (await expert.call("chat:end", {"conversation_id": cid}))["ok"]
        assert (await visitor.next("chat:ended"))["by"] == "expert"
        store = nabij.app[store_key]
        assert await store.outbox_size() == 1
        assert await expert.quiet("registration:pending", 0.5)

        proxy.restore()
        pending = await expert.next("registration:pending", timeout=10)
        assert pending["conversation_id"] == cid

        async def emptied() -> bool:  # the item goes right after its write succeeded
            return await store.outbox_size() == 0

        await eventually(emptied, what="the outbox to empty", timeout=5)
        async with nabij.app[db_key]() as session:
            record = await session.get(ConversationRecord, cid)
        assert record is not None and record.outcome == "answered"
    finally:
        await proxy.close()


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "lost"])
async def test_a_redis_restart_is_said_clearly_and_recovered_from(
    nabij_factory: NabijFactory, tmp_path: Path, keep: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """While Redis is down events get ``temporarily_unavailable`` and /readyz 503; after it,
    what Redis kept goes on, and when it kept nothing the visitor is told to start anew.
    The background loops (heartbeat, sweeper, staff access) say so in one line each, with
    no traceback.
    """
    redis = RedisServer(tmp_path, keep=keep)
    await redis.start()
    try:
        nabij = await nabij_factory(redis_url=redis.url)
        await nabij.add_expert("anna")
        expert = await nabij.staff("anna")
        visitor = await nabij.visitor()
        ack = await visitor.call("chat:request", {"audience": "victim"})
        cid = (await expert.next("chat:assigned"))["conversation_id"]
        assert (await visitor.call("message:send", {"client_id": "v1", "body": "een"}))["seq"] == 1

        redis.kill()
        refused = await visitor.call("message:send", {"client_id": "v2", "body": "twee"})
        assert refused["error"]["code"] == "temporarily_unavailable"
        status, body = await _get(f"{nabij.url}/readyz")
        assert status == 503 and "redis" in body
        await eventually(
            lambda: any(r.getMessage().startswith("sweep failed") for r in caplog.records),
            what="a sweep to meet the outage",
        )

        await redis.start()
        await eventually(lambda: _ready(nabij.url), what="/readyz to recover", timeout=10)
        # A pooled connection from before the restart may fail once more: retry, as told.
        sent = await _until_available(visitor, "message:send", {"client_id": "v2", "body": "twee"})
        if keep:
            assert sent["seq"] == 2
            sync = await _until_available(expert, "chats:sync", {})
            assert [m["seq"] for m in sync["chats"][0]["messages"]] == [1, 2]
        else:
            assert sent["error"]["code"] == "not_found"
            await visitor.disconnect()
            await assert_refused(nabij.url, "/visitor", auth={"token": ack["token"]})
            assert (await _until_available(expert, "chats:sync", {}))["chats"] == []
        assert cid
        tracebacks = [r.getMessage() for r in caplog.records if r.exc_info]
        assert tracebacks == []
    finally:
        redis.kill()


async def _until_available(peer: Peer, event: str, data: dict[str, Any]) -> dict[str, Any]:
    """Call ``event`` again while the answer is ``temporarily_unavailable`` (what clients do)."""
    return await eventually(
        lambda: peer.call(event, data),
        what=f"{event} to be available again",
        until=lambda ack: ack.get("error", {}).get("code") != "temporarily_unavailable",
        timeout=AVAILABLE_AGAIN_S,
        interval=0.1,
    )


async def _ready(url: str) -> bool:
    return await http_status(f"{url}/readyz") == 200


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def test_fifty_concurrent_accepts_across_two_processes_have_one_winner(
    nabij_factory: NabijFactory,
) -> None:
    first, second = await nabij_factory(), await nabij_factory()
    names = [f"expert{n}" for n in range(10)]
    for name in names:
        await first.add_expert(name)
    consoles = [
        await (first if n % 2 else second).staff(name, available=False)
        for n, name in enumerate(names)
    ]
    await first.add_expert("busy", capacity=1)  # open, but full: the next visitor waits
    await second.staff("busy")
    assert (await (await first.visitor()).call("chat:request", {"audience": "victim"}))["ok"]
    visitor = await second.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["position"] == 1, ack
    cid = ack["conversation_id"]
    acks = await asyncio.gather(
        *(
            console.call("chat:accept", {"conversation_id": cid})
            for console in consoles
            for _ in range(5)
        )
    )
    assert sum(1 for ack in acks if ack["ok"]) == 1
    assert {ack["error"]["code"] for ack in acks if not ack["ok"]} == {"taken"}
