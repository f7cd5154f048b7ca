"""Start load workers, step them through their phases, read CPU, collect their reports."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import psutil  # type: ignore[import-untyped]

from bench.load import STOP, RelaySpec, Tally, work
from bench.servers import Server

READY_TIMEOUT_S = 300.0


@dataclass
class Window:
    """One measured interval: seconds and CPU seconds used by servers and by the load."""

    seconds: float
    server_cpu: float
    load_cpu: float


@dataclass
class Control:
    """Handed to a scenario's body to drive the workers."""

    servers: list[Server]
    procs: list[Any]
    phase: Any
    measuring: Any
    out: Any
    extras: list[Any] = field(default_factory=list)

    def set_phase(self, value: int) -> None:
        self.phase.value = value

    async def gather(self, kind: str, count: int) -> list[Any]:
        """Wait for ``count`` messages of ``kind`` from the workers."""
        got: list[Any] = []
        deadline = time.monotonic() + READY_TIMEOUT_S
        while len(got) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"workers did not report {kind!r}")
            try:
                message = await asyncio.to_thread(self.out.get, True, min(left, 1.0))
            except Exception:
                if not any(proc.is_alive() for proc in self.procs):
                    raise RuntimeError("every load worker died") from None
                continue
            if message[0] == kind:
                got.append(message[1:])
            else:
                self.extras.append(message)
        return got

    def _cpu(self) -> tuple[float, float]:
        server = sum(s.cpu_s() for s in self.servers)
        load = 0.0
        for proc in self.procs:
            try:
                times = psutil.Process(proc.pid).cpu_times()
                load += times.user + times.system
            except psutil.Error:
                pass
        return server, load

    async def measure(self, warm_s: float, seconds: float) -> Window:
        """Let the step settle for ``warm_s``, then measure for ``seconds``."""
        await asyncio.sleep(warm_s)
        server0, load0 = self._cpu()
        start = time.monotonic()
        self.measuring.value = 1
        await asyncio.sleep(seconds)
        self.measuring.value = 0
        elapsed = time.monotonic() - start
        server1, load1 = self._cpu()
        return Window(elapsed, server1 - server0, load1 - load0)


async def run_workers(
    specs: list[RelaySpec],
    servers: list[Server],
    body: Callable[[Control], Awaitable[Any]],
) -> tuple[Any, list[Tally], list[Any]]:
    """Run one worker process per spec; ``body`` steps them after everything is open.

    Returns what ``body`` returned, every worker's Tally, and the 'ready' reports.
    """
    ctx = mp.get_context("spawn")
    phase = ctx.Value("i", 0)
    measuring = ctx.Value("i", 0)
    out = ctx.Queue()
    procs = [ctx.Process(target=work, args=(spec, phase, measuring, out)) for spec in specs]
    control = Control(servers, procs, phase, measuring, out)
    try:
        for proc in procs:
            proc.start()
        ready = await control.gather("ready", len(procs))
        control.set_phase(1)
        ready += await control.gather("ready", len(procs))
        result = await body(control)
        control.set_phase(STOP)
        reports = [r[0] for r in await control.gather("report", len(procs))]
        return result, reports, ready
    finally:
        control.set_phase(STOP)
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
