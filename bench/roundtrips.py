"""``python -m bench.roundtrips [N]``: Redis commands per relayed message, by command.

Starts two Nabij processes on Redis (the visitor on one, the expert on the other), opens one
conversation, then counts with ``MONITOR`` the commands under the run's key prefix (the
EVALSHA scripts name it in ARGV, the Socket.IO channel carries it) while the visitor sends
``N`` messages one after the other (paced under the rate limit), each awaited until the
expert has it; then the same for the expert. Background work (heartbeats, sweepers) is
counted in an idle window of about the same length first and subtracted, command by command.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis

from bench.clients import Conn, SioConn
from bench.scenarios import Options, servers
from bench.servers import ROOT
from bench.targets import fake_address, open_expert

Counts = collections.Counter[str]
#: A socket may send 5 messages a second (``realtime/throttle.py``).
SEND_GAP_S = 0.21


@contextlib.asynccontextmanager
async def monitoring(prefix: str) -> AsyncIterator[Counts]:
    """Count the commands naming ``prefix`` while the block runs."""
    counts: Counts = collections.Counter()
    client = aioredis.from_url("redis://127.0.0.1:6379/0", decode_responses=True)
    monitor = client.monitor()

    async def listen() -> None:
        async with monitor as stream:
            async for command in stream.listen():
                text = str(command.get("command", ""))
                if prefix in text:
                    # Commands a script runs are inside its one round trip.
                    inside = "lua: " if command.get("client_type") == "lua" else ""
                    counts[inside + text.split(" ", 1)[0].upper()] += 1

    task = asyncio.ensure_future(listen())
    await asyncio.sleep(0.3)
    try:
        yield counts
        await asyncio.sleep(0.3)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await client.aclose()


async def timed(counts_of: Callable[[], Awaitable[None]], prefix: str) -> tuple[Counts, float]:
    """The commands and the seconds of one block."""
    async with monitoring(prefix) as counts:
        started = time.monotonic()
        await counts_of()
        elapsed = time.monotonic() - started
    return counts, elapsed


async def relay(sender: Conn, receiver: Conn, payload: dict[str, Any], n: int) -> None:
    """``n`` messages, each awaited until the receiver has it."""
    arrived: asyncio.Queue[Any] = asyncio.Queue()
    receiver.on("message:new", arrived.put_nowait)
    for index in range(n):
        ack = await sender.call("message:send", {**payload, "client_id": f"c{index}-{n}"})
        if not ack.get("ok"):
            raise RuntimeError(f"message:send: {ack}")
        await asyncio.wait_for(arrived.get(), 10)
        await asyncio.sleep(SEND_GAP_S)


def per_message(counts: Counts, idle: Counts, idle_share: float, n: int) -> dict[str, Any]:
    """Round trips (commands not run by a script) per message, background subtracted."""
    net = {k: (v - idle.get(k, 0) * idle_share) / n for k, v in counts.items()}
    trips = sum(v for k, v in net.items() if not k.startswith("lua: "))
    return {
        "round_trips_per_message": round(trips, 1),
        "by_command": {k: round(v, 1) for k, v in sorted(net.items()) if round(v, 1)},
    }


async def measure(n: int) -> dict[str, Any]:
    """Commands per visitor message and per expert message, by command."""
    opts = Options(results=ROOT / "bench" / "results")
    opts.results.mkdir(exist_ok=True)
    async with servers("nabij", opts, 1, redis=2) as started:
        prefix = str(started[0].env["NABIJ_REDIS_PREFIX"])
        expert = await open_expert("nabij", started[-1].url, 0)
        assigned: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def first_assignment(data: Any) -> None:
            if not assigned.done():
                assigned.set_result(data)

        expert.on("chat:assigned", first_assignment)
        visitor = await SioConn("/visitor").connect(
            started[0].url, headers={"X-Forwarded-For": fake_address(1, 0)}
        )
        await visitor.call("chat:request", {"audience": "victim", "lang": "nl"})
        conversation = (await asyncio.wait_for(assigned, 10))["conversation_id"]
        body = "x" * 100
        try:
            idle, idle_s = await timed(lambda: asyncio.sleep(n * SEND_GAP_S + 1), prefix)
            result: dict[str, Any] = {"n": n}
            counts, seconds = await timed(lambda: relay(visitor, expert, {"body": body}, n), prefix)
            result["visitor"] = per_message(counts, idle, seconds / idle_s, n)
            payload = {"conversation_id": conversation, "body": body}
            counts, seconds = await timed(lambda: relay(expert, visitor, payload, n), prefix)
            result["expert"] = per_message(counts, idle, seconds / idle_s, n)
        finally:
            await visitor.close()
            await expert.close()
    return result


def main() -> None:
    """Print the figures as JSON."""
    import json

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(json.dumps(asyncio.run(measure(n)), indent=2))


if __name__ == "__main__":
    main()
