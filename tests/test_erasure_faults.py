"""A process killed between claiming an erase and doing it: another process erases it.

Real processes on PostgreSQL and Redis: one ``python -m chatserver serve`` carries the chat;
``tests/deadline_claimer.py``, a second process, claims the erase deadline through the
sweeper's own code and is SIGKILLed before it erases. The server's sweeper takes the
deadline over once the lease has run out, well before the content TTL would have.
"""

from __future__ import annotations

import asyncio
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from tests.content import redis_content
from tests.processes import ROOT, ServerProcess, add_expert, login, peers, stamp_schema
from tests.waiting import eventually

pytestmark = [
    pytest.mark.faults,
    pytest.mark.parametrize("stack", ["postgres+redis"], indirect=True),
]

SECRET = "roodborst-geheim-3307"
GRACE_S = 3.0
LEASE_S = 2.0
#: grace + two leases + a heartbeat's life (5 s): the TTL would erase it only this late.
TTL_S = GRACE_S + 2 * LEASE_S + 5.0


@pytest.fixture
async def server(
    stack: dict[str, str | None], tmp_path: Path
) -> AsyncIterator[tuple[ServerProcess, str]]:
    """One server process with a short grace and lease, and its own key prefix."""
    env = {
        "NABIJ_SECRET_KEY": secrets.token_urlsafe(48),
        "NABIJ_DATABASE_URL": str(stack["database_url"]),
        "NABIJ_REDIS_URL": str(stack["redis_url"]),
        "NABIJ_REDIS_PREFIX": f"nabij-test:{secrets.token_hex(6)}:",
        "NABIJ_RECONNECT_GRACE_S": str(GRACE_S),
        "NABIJ_DEADLINE_LEASE_S": str(LEASE_S),
    }
    await stamp_schema(str(stack["database_url"]))
    process = ServerProcess(env, tmp_path / "server.log")
    try:
        await process.ready()
        yield process, env["NABIJ_REDIS_PREFIX"]
    finally:
        process.stop()


async def _ended_chat(url: str) -> str:
    """A chat with something private said, ended by the visitor; its conversation id."""
    async with peers() as connect:
        cookie = await login(url, "anna")
        expert = await connect(url, "/staff", headers={"Cookie": f"nabij_session={cookie}"})
        assert (await expert.call("presence:set", {"available": True}))["ok"]
        visitor = await connect(url, "/visitor")
        ack = await visitor.call("chat:request", {"audience": "victim"})
        assert ack["ok"], ack
        assert (await visitor.call("message:send", {"client_id": "v1", "body": SECRET}))["ok"]
        assert (await visitor.call("chat:end"))["ok"]
        return str(ack["conversation_id"])


async def _claim_and_die(redis_url: str, prefix: str, erase_at: float) -> None:
    """Run the claimer at the erase's own moment, wait for its claim, and SIGKILL it."""
    args = [redis_url, prefix, "erase", repr(erase_at), str(LEASE_S)]
    claimer = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.deadline_claimer", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert claimer.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(claimer.stdout.readline), 15)
        assert line.decode().startswith("claimed "), line
    finally:
        claimer.send_signal(signal.SIGKILL)
        claimer.wait(10)
        if claimer.stdout is not None:
            claimer.stdout.close()


async def test_a_process_killed_between_claim_and_erase_leaves_the_erase_to_another(
    server: tuple[ServerProcess, str], stack: dict[str, str | None]
) -> None:
    (process, prefix), redis_url = server, str(stack["redis_url"])
    await add_expert(str(stack["database_url"]), "anna")
    cid = await _ended_chat(process.url)
    ended_at = time.monotonic()
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        erase_at = await client.zscore(f"{prefix}due:erase", cid)
        assert erase_at is not None, "the end scheduled no erase"
        await _claim_and_die(redis_url, prefix, erase_at)
        assert await client.zscore(f"{prefix}due:erase", cid) == erase_at + LEASE_S  # leased
        await eventually(
            lambda: client.exists(f"{prefix}conv:{cid}"),
            what="the erase before the TTL",
            until=lambda exists: not exists,
            timeout=TTL_S - 1 - (time.monotonic() - ended_at),
            interval=0.1,
        )
    finally:
        await client.aclose()
    erased = [
        line for line in process.log.read_text().splitlines() if "conversation erased" in line
    ]
    assert [f"conversation={cid}" in line for line in erased] == [True]
    assert not await redis_content(redis_url, prefix, (SECRET,))
