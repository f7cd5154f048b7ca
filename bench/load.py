"""Load workers: each runs in its own process (multiprocessing, spawn) with its own event loop.

The parent steers them through a shared ``phase`` number and collects one report each from
``out``: ``0`` open experts; ``1`` open visitors (and ask for chats); ``2 + k`` run step k;
``STOP`` report and close. Latency is measured at the receiving client from a wall-clock
timestamp (``time.time_ns()``) written into the message body by the sender.
"""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from bench.clients import Conn
from bench.targets import open_expert, open_visitor

STOP = 100
OPEN_CONCURRENCY = 20


@dataclass
class RelaySpec:
    """What one relay worker opens and how fast it sends (visitor interval per step)."""

    kind: str
    visitor_url: str
    expert_url: str
    experts: list[int]
    visitors: list[int]
    intervals: list[float]
    expert_interval: float = 2.0
    body_size: int = 100
    mode: str = "relay"  # relay | routing | idle
    expert_follows: bool = False  # experts follow the step's interval, down to expert_interval


@dataclass
class Tally:
    """What a worker reports."""

    v2e: dict[int, list[float]] = field(default_factory=dict)
    e2v: dict[int, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    opened: int = 0
    assigned_ms: list[float] = field(default_factory=list)
    assigned_counts: list[int] = field(default_factory=list)
    expert_conversations: list[str] = field(default_factory=list)


class Worker:
    """The state of one worker process."""

    def __init__(self, spec: RelaySpec, phase: Synchronized[int], measuring: Synchronized[int]):
        self.spec = spec
        self.phase = phase
        self.measuring = measuring
        self.tally = Tally()
        self.conns: list[Conn] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.senders: list[tuple[Conn, Callable[[str], dict[str, Any]], bool]] = []
        self.pad = "x" * spec.body_size

    async def wait_phase(self, at_least: int) -> None:
        while self.phase.value < at_least:
            await asyncio.sleep(0.02)

    def body(self, step: int) -> str:
        return f"{step}|{self.measuring.value}|{time.time_ns()}|{self.pad}"

    def receiver(self, into: dict[int, list[float]]) -> Callable[[Any], None]:
        def record(data: Any) -> None:
            now = time.time_ns()
            step, measured, sent, _ = str(data["body"]).split("|", 3)
            if measured == "1":
                into.setdefault(int(step), []).append((now - int(sent)) / 1e6)

        return record

    def acked(self, ack: Any) -> None:
        if not (isinstance(ack, dict) and ack.get("ok")):
            code = ack.get("error", {}).get("code", "?") if isinstance(ack, dict) else "?"
            self.tally.errors[f"send:{code}"] += 1

    def interval(self, expert: bool, step: int) -> float:
        """Seconds between two messages of one client in ``step``.

        Experts never go below ``expert_interval``: with 10 chats an expert at 2 s already
        sends Nabij's per-connection limit of 5 messages a second.
        """
        own = self.spec.intervals[step]
        if not expert:
            return own
        fixed = self.spec.expert_interval
        return max(own, fixed) if self.spec.expert_follows else fixed

    def start_sender(
        self, conn: Conn, payload: Callable[[str], dict[str, Any]], expert: bool
    ) -> None:
        """Send from ``conn``; restarted (a new random phase) at every step by watch_steps."""
        self.senders.append((conn, payload, expert))
        self.tasks.append(asyncio.ensure_future(self.sender(conn, payload, expert)))

    async def watch_steps(self) -> None:
        """At each new step restart every sender, so none waits out the last step's interval."""
        seen = self.phase.value
        while (phase := self.phase.value) < STOP:
            if phase != seen and phase >= 2:
                for task in self.tasks:
                    task.cancel()
                self.tasks = [
                    asyncio.ensure_future(self.sender(*sender)) for sender in self.senders
                ]
            seen = phase
            await asyncio.sleep(0.02)

    async def sender(
        self, conn: Conn, payload: Callable[[str], dict[str, Any]], expert: bool
    ) -> None:
        loop = asyncio.get_running_loop()
        next_at: float | None = None
        while (phase := self.phase.value) < STOP:
            step = phase - 2
            if step < 0:
                await asyncio.sleep(0.05)
                continue
            interval = self.interval(expert, step)
            now = loop.time()
            if next_at is None or next_at < now - interval:
                next_at = now + random.uniform(0, interval)  # noqa: S311 - spreading load
            await asyncio.sleep(max(0.0, next_at - now))
            next_at += interval
            if self.phase.value >= STOP:
                break
            conn.emit("message:send", payload(self.body(self.phase.value - 2)), self.acked)

    async def open_experts(self) -> None:
        gate = asyncio.Semaphore(OPEN_CONCURRENCY // 2)

        async def one(index: int) -> None:
            async with gate:
                try:
                    conn = await open_expert(self.spec.kind, self.spec.expert_url, index)
                except Exception as error:
                    self.tally.errors[f"expert:{type(error).__name__}:{error}"[:120]] += 1
                    return
            self.conns.append(conn)
            conn.on("message:new", self.receiver(self.tally.v2e))
            conn.on("chat:assigned", functools.partial(self.assigned, conn))

        await asyncio.gather(*(one(index) for index in self.spec.experts))

    def assigned(self, conn: Conn, data: Any) -> None:
        conversation = str(data["conversation_id"])
        self.tally.expert_conversations.append(conversation)
        if self.spec.mode == "relay":

            def payload(body: str) -> dict[str, Any]:
                return {"conversation_id": conversation, "client_id": _cid(), "body": body}

            self.start_sender(conn, payload, expert=True)

    async def open_visitor(self, index: int, gate: asyncio.Semaphore) -> Conn | None:
        async with gate:
            try:
                conn = await open_visitor(self.spec.kind, self.spec.visitor_url, index)
            except Exception as error:
                self.tally.errors[f"visitor:{type(error).__name__}"] += 1
                return None
        self.conns.append(conn)
        self.tally.opened += 1
        return conn

    async def request(self, conn: Conn) -> bool:
        ack = await conn.call("chat:request", {"audience": "unknown"}, timeout=30)
        if not ack.get("ok"):
            self.tally.errors[f"request:{ack.get('error', {}).get('code')}"] += 1
            return False
        if ack.get("position", 0) > 0:
            self.tally.errors["request:queued"] += 1
        return True

    async def relay_visitor(self, index: int, gate: asyncio.Semaphore) -> None:
        conn = await self.open_visitor(index, gate)
        if conn is None:
            return
        conn.on("message:new", self.receiver(self.tally.e2v))
        try:
            async with gate:
                ok = await self.request(conn)
        except Exception as error:
            self.tally.errors[f"request:{type(error).__name__}"] += 1
            return
        if ok:

            def payload(body: str) -> dict[str, Any]:
                return {"client_id": _cid(), "body": body}

            self.start_sender(conn, payload, expert=False)

    async def routing_visitors(self) -> None:
        gate = asyncio.Semaphore(OPEN_CONCURRENCY)
        conns = [await self.open_visitor(i, gate) for i in self.spec.visitors]
        loop = asyncio.get_running_loop()
        await self.report_ready()
        await self.wait_phase(2)

        async def ask(conn: Conn) -> None:
            counts = [0]
            start = loop.time()
            first = loop.create_future()

            def on_assigned(_data: Any) -> None:
                counts[0] += 1
                if not first.done():
                    first.set_result(loop.time())

            conn.on("chat:assigned", on_assigned)
            try:
                await self.request(conn)
                done = await asyncio.wait_for(first, 30)
                self.tally.assigned_ms.append((done - start) * 1000)
            except Exception as error:
                self.tally.errors[f"routing:{type(error).__name__}"] += 1
            await self.wait_phase(3)
            self.tally.assigned_counts.append(counts[0])

        await asyncio.gather(*(ask(conn) for conn in conns if conn is not None))

    async def report_ready(self) -> None:
        self.out.put(("ready", self.tally.opened, dict(self.tally.errors)))

    async def run(self, out: Queue[Any]) -> None:
        self.out = out
        watcher = asyncio.ensure_future(self.watch_steps())
        try:
            await self.open_experts()
            await self.report_ready()
            await self.wait_phase(1)
            if self.spec.mode == "routing":
                await self.routing_visitors()
            else:
                gate = asyncio.Semaphore(OPEN_CONCURRENCY)
                if self.spec.mode == "idle":
                    await asyncio.gather(*(self.open_visitor(i, gate) for i in self.spec.visitors))
                else:
                    await asyncio.gather(*(self.relay_visitor(i, gate) for i in self.spec.visitors))
                await self.report_ready()
            await self.wait_phase(STOP)
            await asyncio.sleep(0.5)  # let the last in-flight messages land
            out.put(("report", self.tally))
        finally:
            watcher.cancel()
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*(conn.close() for conn in self.conns))


_counter = iter(range(1 << 62))


def _cid() -> str:
    return f"b{next(_counter)}"


def work(
    spec: RelaySpec, phase: Synchronized[int], measuring: Synchronized[int], out: Queue[Any]
) -> None:
    """Process entry point."""
    asyncio.run(Worker(spec, phase, measuring).run(out))
