"""The six scenarios. Each returns a JSON-able dict; each is bounded by the caller's timeout."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

from bench.control import Control, Window, run_workers
from bench.load import RelaySpec
from bench.servers import (
    Server,
    fresh_postgres,
    nabij_env,
    seed_experts,
    start_baseline,
    start_nabij,
)
from bench.stats import errors, percentile, step_summary

WORKERS = 3
CAPACITY = 10
RELAY_INTERVAL_S = 2.0


@dataclass
class Options:
    """Sizes and times of a run (``--quick`` shrinks them)."""

    results: Path
    sizes: tuple[int, ...] = (100, 500, 1000)
    saturation_size: int = 1000
    saturation_intervals: tuple[float, ...] = (8.0, 4.0, 2.0, 1.0, 0.5)
    #: Redis (1 vs 2 processes): a ladder that starts below what one process keeps under
    #: p99 100 ms and ends above it, with experts sending every ``redis_expert_interval``.
    redis_intervals: tuple[float, ...] = (8.0, 4.0, 2.0, 1.0, 0.5)
    redis_expert_interval: float = 4.0
    warm_s: float = 2.0
    measure_s: float = 6.0
    routing_visitors: int = 200
    routing_experts: int = 20
    idle_sockets: int = 5000
    profile: bool = True
    #: Nabij's database: ``sqlite`` (a fresh file) or ``postgres`` (a fresh database).
    database: str = "sqlite"
    generator: str = "node"


@contextlib.asynccontextmanager
async def servers(
    kind: str, opts: Options, experts: int, *, redis: int = 0
) -> AsyncIterator[list[Server]]:
    """Start one server (or ``redis`` Nabij processes sharing Redis), seeded, and stop it."""
    workdir = Path(tempfile.mkdtemp(prefix="nabij-bench-"))
    started: list[Server] = []
    prefix = f"bench-{uuid.uuid4().hex[:12]}:" if redis else None
    databases = contextlib.AsyncExitStack()
    try:
        if kind == "nabij":
            database_url = None
            if opts.database == "postgres":
                database_url = await databases.enter_async_context(fresh_postgres())
            env = nabij_env(workdir, prefix, database_url)
            started.append(start_nabij(env, opts.results / f"server-{workdir.name}-0.log"))
            await started[0].ready()  # migrated
            await seed_experts(env["NABIJ_DATABASE_URL"], experts, CAPACITY)
            for index in range(1, max(redis, 1)):
                log = opts.results / f"server-{workdir.name}-{index}.log"
                started.append(start_nabij(env, log))
                await started[-1].ready()
        else:
            started.append(start_baseline(kind, opts.results / f"server-{kind}.log"))
            await started[0].ready()
        yield started
    finally:
        for server in started:
            server.stop()
        await databases.aclose()
        shutil.rmtree(workdir, ignore_errors=True)
        if prefix is not None:
            client = aioredis.from_url("redis://127.0.0.1:6379/0")
            try:
                keys = [key async for key in client.scan_iter(f"{prefix}*")]
                if keys:
                    await client.delete(*keys)
            finally:
                await client.aclose()


def split(
    kind: str,
    urls: tuple[str, str],
    conversations: int,
    intervals: list[float],
    mode: str = "relay",
    experts: int | None = None,
    expert_interval: float = 2.0,
    expert_follows: bool = False,
) -> list[RelaySpec]:
    """Spread experts and visitors over the worker processes."""
    count = experts if experts is not None else -(-conversations // CAPACITY)
    return [
        RelaySpec(
            kind,
            urls[0],
            urls[1],
            list(range(count))[w::WORKERS],
            list(range(conversations))[w::WORKERS],
            intervals,
            expert_interval=expert_interval,
            mode=mode,
            expert_follows=expert_follows,
        )
        for w in range(WORKERS)
    ]


async def relay_run(
    kind: str,
    opts: Options,
    conversations: int,
    intervals: list[float],
    redis: int = 0,
    profile: Path | None = None,
    expert_interval: float = 2.0,
    both_sides: bool = False,
) -> dict[str, Any]:
    """N conversations; visitors send at each step's interval, experts every ``expert_interval``.

    With ``both_sides`` (the saturation ladder) the experts follow the step's interval down
    to ``expert_interval``, so the ladder can start below the relay scenario's rate. With
    ``redis`` processes, visitors connect to the first and experts to the last, so with two
    every message crosses between processes through Redis.
    """
    experts = -(-conversations // CAPACITY)
    async with servers(kind, opts, experts, redis=redis) as started:
        urls = (started[0].url, started[-1].url)  # visitors on the first, experts on the last

        async def body(control: Control) -> list[Window]:
            windows = []
            for step, _interval in enumerate(intervals):
                control.set_phase(2 + step)
                profiled = profile is not None and step == relay_step(intervals)
                spy = _py_spy(started[0].proc.pid, profile, opts) if profiled else None
                windows.append(await control.measure(opts.warm_s, opts.measure_s))
                if spy is not None:
                    spy.wait(30)
            return windows

        specs = split(
            kind,
            urls,
            conversations,
            intervals,
            expert_interval=expert_interval,
            expert_follows=both_sides,
        )
        windows, tallies, _ = await run_workers(specs, started, body, opts.generator)
    steps = [
        step_summary(
            tallies,
            step,
            window,
            offered_rate(conversations, interval, expert_interval, both_sides),
        )
        | {
            "visitor_interval_s": interval,
            "expert_interval_s": experts_interval(interval, expert_interval, both_sides),
        }
        for step, (interval, window) in enumerate(zip(intervals, windows, strict=True))
    ]
    return {
        "kind": kind,
        "conversations": conversations,
        "processes": max(redis, 1),
        "redis": bool(redis),
        "steps": steps,
        "errors": errors(tallies),
    }


def relay_step(intervals: list[float]) -> int:
    """The step that runs the relay scenario's schedule (every 2 s), else the first."""
    return intervals.index(RELAY_INTERVAL_S) if RELAY_INTERVAL_S in intervals else 0


def experts_interval(interval: float, expert_interval: float, both_sides: bool) -> float:
    """The experts' interval in a step (as bench/load.py's Worker.interval): ``expert_interval``,
    or with ``both_sides`` the step's interval but never below ``expert_interval`` (2 s: with
    10 chats, Nabij's 5 messages/s per socket).
    """
    return max(interval, expert_interval) if both_sides else expert_interval


def offered_rate(
    conversations: int, interval: float, expert_interval: float, both_sides: bool
) -> float:
    """Messages/s the schedule asks for: visitors every ``interval``, experts as above."""
    return conversations * (
        1 / interval + 1 / experts_interval(interval, expert_interval, both_sides)
    )


def _profile_path(opts: Options, name: str) -> Path | None:
    return opts.results / f"profile-nabij-{name}.txt" if opts.profile else None


def _py_spy(
    pid: int, out: Path | None, opts: Options, rate: int = 100
) -> subprocess.Popen[bytes] | None:
    exe = shutil.which("py-spy") or str(Path(__import__("sys").executable).parent / "py-spy")
    if out is None or not Path(exe).exists():
        return None
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            exe,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(opts.warm_s + opts.measure_s)),
            "--rate",
            str(rate),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def routing(kind: str, opts: Options) -> dict[str, Any]:
    """Many visitors ask at once; time to chat:assigned; nobody assigned twice."""
    async with servers(kind, opts, opts.routing_experts) as started:
        url = started[0].url
        specs = split(
            kind,
            (url, url),
            opts.routing_visitors,
            [],
            mode="routing",
            experts=opts.routing_experts,
        )

        async def body(control: Control) -> float:
            server = started[0]
            profile = _profile_path(opts, "routing") if kind == "nabij" else None
            spy = _py_spy(server.proc.pid, profile, opts, rate=1000)
            await asyncio.sleep(1 if spy else 0)  # py-spy attaches before the burst
            cpu_before = server.cpu_s()
            control.set_phase(2)
            await asyncio.sleep(8)
            cpu_s = server.cpu_s() - cpu_before
            control.set_phase(3)
            await asyncio.sleep(1)
            if spy is not None:
                spy.wait(30)
            return cpu_s

        cpu_s, tallies, _ = await run_workers(specs, started, body, opts.generator)
    assigned = [ms for tally in tallies for ms in tally.assigned_ms]
    counts = [count for tally in tallies for count in tally.assigned_counts]
    conversations = [c for tally in tallies for c in tally.expert_conversations]
    return {
        "kind": kind,
        "visitors": opts.routing_visitors,
        "experts": opts.routing_experts,
        "assigned": len(assigned),
        "p50_ms": percentile(assigned, 50),
        "p99_ms": percentile(assigned, 99),
        "max_ms": percentile(assigned, 100),
        "server_cpu_ms_per_request": round(cpu_s * 1000 / max(1, len(assigned)), 3),
        "visitors_assigned_twice": sum(1 for c in counts if c > 1),
        "conversations_at_two_experts": len(conversations) - len(set(conversations)),
        "errors": errors(tallies),
    }


async def connections(kind: str, opts: Options) -> dict[str, Any]:
    """Idle visitor sockets (websocket); server RSS growth per connection."""
    async with servers(kind, opts, 1) as started:
        url = started[0].url
        specs = split(kind, (url, url), opts.idle_sockets, [], mode="idle", experts=0)
        before: list[int] = []

        async def body(control: Control) -> int:
            await asyncio.sleep(2)
            return started[0].rss()

        # RSS before: after start-up and one round of warm-up sockets would be fairer, but
        # the server's own start-up is what an operator sees; measured right before the load.
        await asyncio.sleep(1)
        before.append(started[0].rss())
        after, tallies, _ = await run_workers(specs, started, body, opts.generator)
    opened = sum(tally.opened for tally in tallies)
    return {
        "kind": kind,
        "sockets": opened,
        "rss_before_mb": round(before[0] / 2**20, 1),
        "rss_after_mb": round(after / 2**20, 1),
        "kb_per_socket": round((after - before[0]) / max(opened, 1) / 1024, 1),
        "errors": errors(tallies),
    }


async def status(kind: str, opts: Options) -> dict[str, Any]:
    """``GET /api/status`` requests/s with wrk (2 threads, 64 connections, 8 s).

    ``ws``: the raw aiohttp baseline answers a fixed body of the same size (no middlewares).
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install -y wrk)"}
    async with servers(kind, opts, 20) as started:
        url = started[0].url + "/api/status"
        cpu0 = started[0].cpu_s()
        proc = await asyncio.create_subprocess_exec(
            wrk,
            "-t2",
            "-c64",
            "-d8s",
            "--latency",
            url,
            stdout=subprocess.PIPE,
        )
        output = (await proc.communicate())[0].decode()
        cpu = started[0].cpu_s() - cpu0
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "kind": kind,
        "requests_per_s": float(rate.group(1)) if rate else None,
        "p99": p99.group(1) if p99 else None,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "server_cpu_cores": round(cpu / 8, 2),
        "wrk": output,
    }
