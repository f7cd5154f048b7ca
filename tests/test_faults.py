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

import pytest

from tests.harness import Peer
from tests.processes import ServerProcess, add_expert, login, peers, stamp_schema, wait_for

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


async def _chat_on(url: str, connect: Connect) -> tuple[Peer, Peer, str, dict[str, Any], str]:
    """An expert and a visitor talking through ``url``: seq 1 (visitor), seq 2 (expert)."""
    cookie = await login(url, "anna")
    expert = await connect(url, "/staff", headers={"Cookie": f"nabij_session={cookie}"})
    assert (await expert.call("presence:set", {"available": True}))["ok"]
    visitor = await connect(url, "/visitor")
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"] and ack["position"] == 0, ack
    cid = (await expert.next("chat:assigned"))["conversation_id"]
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

            await wait_for(both_told, 5, "the drained process to close both sockets")
        await _continue_on(second.url, connect, cid, ack["token"], cookie)


async def test_a_draining_process_refuses_new_chats_until_it_is_gone(
    cluster: Callable[[], ServerProcess], stack: dict[str, str | None]
) -> None:
    """Between SIGTERM and exit the port is closed: new visitors land elsewhere."""
    first = cluster()
    await first.ready()
    await add_expert(str(stack["database_url"]), "anna")
    first.signal(signal.SIGTERM)
    assert await first.exited(EXIT_BOUND_S) == 0
    log = first.log.read_text()
    assert 'msg="draining"' in log
    assert "127.0.0.1" not in log.replace(first.url, "")  # no client address logged
