"""Start load workers, step them through their phases, read CPU, collect their reports.

Two generators speak the same phases and reports: ``node`` (the default; one
``node bench/node/worker.mjs`` per spec, steered over stdin and reporting on stdout, see
bench/nodeproto.py) and ``python`` (bench/load.py's Worker in multiprocessing processes,
steered through shared values and a queue).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import queue
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import psutil  # type: ignore[import-untyped]

from bench.load import STOP, RelaySpec, Tally, work
from bench.nodeproto import parse_line, spec_line, steer_line
from bench.servers import Server

READY_TIMEOUT_S = 300.0
EXIT_WAIT_S = 10.0
GENERATORS = ("node", "python")
NODE_WORKER = Path(__file__).resolve().parent / "node" / "worker.mjs"
NODE_MODULES = Path(__file__).resolve().parent.parent / "widget" / "node_modules"
REPORT_LINE_LIMIT = 1 << 28  # a report line carries every latency of the run


class Fleet(Protocol):
    """The load worker processes of one run, whichever generator runs them."""

    async def start(self) -> None: ...
    def set_phase(self, value: int) -> None: ...
    def set_measuring(self, value: int) -> None: ...
    async def next_message(self, timeout: float) -> tuple[Any, ...] | None: ...
    def alive(self) -> bool: ...
    def pids(self) -> list[int]: ...
    async def stop(self) -> None: ...


class PythonFleet:
    """bench/load.py workers in spawned processes; shared ``phase``/``measuring``, one queue."""

    def __init__(self, specs: list[RelaySpec]) -> None:
        ctx = mp.get_context("spawn")
        self.phase = ctx.Value("i", 0)
        self.measuring = ctx.Value("i", 0)
        self.out = ctx.Queue()
        self.procs = [
            ctx.Process(target=work, args=(spec, self.phase, self.measuring, self.out))
            for spec in specs
        ]

    async def start(self) -> None:
        for proc in self.procs:
            proc.start()

    def set_phase(self, value: int) -> None:
        self.phase.value = value

    def set_measuring(self, value: int) -> None:
        self.measuring.value = value

    async def next_message(self, timeout: float) -> tuple[Any, ...] | None:
        try:
            message: tuple[Any, ...] = await asyncio.to_thread(self.out.get, True, timeout)
        except queue.Empty:
            return None
        return message

    def alive(self) -> bool:
        return any(proc.is_alive() for proc in self.procs)

    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs if proc.pid is not None]

    async def stop(self) -> None:
        self.set_phase(STOP)
        for proc in self.procs:
            await asyncio.to_thread(proc.join, EXIT_WAIT_S)
            if proc.is_alive():
                proc.kill()
                await asyncio.to_thread(proc.join, 5)


class NodeFleet:
    """``node bench/node/worker.mjs`` per spec: the spec and steering on stdin, JSON lines out."""

    def __init__(self, specs: list[RelaySpec]) -> None:
        self.specs = specs
        self.procs: list[asyncio.subprocess.Process] = []
        self.readers: list[asyncio.Task[None]] = []
        self.inbox: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()

    async def start(self) -> None:
        node = node_executable()
        for spec in self.specs:
            proc = await asyncio.create_subprocess_exec(
                node,
                str(NODE_WORKER),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=REPORT_LINE_LIMIT,
            )
            self.procs.append(proc)
            self._send(proc, spec_line(spec))
            self.readers.append(asyncio.ensure_future(self._read(proc)))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            if line.strip():
                await self.inbox.put(parse_line(line))

    def _send(self, proc: asyncio.subprocess.Process, line: bytes) -> None:
        if proc.stdin is not None and proc.returncode is None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                proc.stdin.write(line)

    def _broadcast(self, line: bytes) -> None:
        for proc in self.procs:
            self._send(proc, line)

    def set_phase(self, value: int) -> None:
        self._broadcast(steer_line(phase=value))

    def set_measuring(self, value: int) -> None:
        self._broadcast(steer_line(measuring=value))

    async def next_message(self, timeout: float) -> tuple[Any, ...] | None:
        try:
            return await asyncio.wait_for(self.inbox.get(), timeout)
        except TimeoutError:
            for reader in self.readers:
                if reader.done() and not reader.cancelled() and reader.exception() is not None:
                    error = reader.exception()
                    raise RuntimeError(f"reading a Node worker: {error!r}") from error
            return None

    def alive(self) -> bool:
        """A worker still runs, or its last lines are still being read."""
        running = any(proc.returncode is None for proc in self.procs)
        return running or not all(reader.done() for reader in self.readers)

    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    async def stop(self) -> None:
        """Tell every worker STOP, close its stdin (it exits on end of input), then kill."""
        self._broadcast(steer_line(phase=STOP))
        for proc in self.procs:
            if proc.stdin is not None:
                proc.stdin.close()
        for proc in self.procs:
            try:
                await asyncio.wait_for(proc.wait(), EXIT_WAIT_S)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        for reader in self.readers:
            reader.cancel()


def node_executable() -> str:
    """The ``node`` binary; a clear error when Node or the widget's packages are missing."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed: install Node.js or use --generator python")
    if not (NODE_MODULES / "socket.io-client").is_dir():
        raise RuntimeError(
            f"{NODE_MODULES} has no socket.io-client: run `npm ci` in widget/ "
            "(scripts/lib.sh ensure_widget) or use --generator python"
        )
    return node


def make_fleet(generator: str, specs: list[RelaySpec]) -> Fleet:
    """The fleet of ``generator`` (one of GENERATORS)."""
    if generator == "node":
        return NodeFleet(specs)
    if generator == "python":
        return PythonFleet(specs)
    raise ValueError(f"unknown generator {generator!r}; expected one of {', '.join(GENERATORS)}")


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
    fleet: Fleet
    workers: int
    extras: list[Any] = field(default_factory=list)

    def set_phase(self, value: int) -> None:
        self.fleet.set_phase(value)

    async def gather(self, kind: str, count: int) -> list[Any]:
        """Wait for ``count`` messages of ``kind`` from the workers."""
        got: list[Any] = []
        deadline = time.monotonic() + READY_TIMEOUT_S
        while len(got) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"workers did not report {kind!r}")
            message = await self.fleet.next_message(min(left, 1.0))
            if message is None:
                if not self.fleet.alive():
                    raise RuntimeError("every load worker died")
                continue
            if message[0] == kind:
                got.append(message[1:])
            else:
                self.extras.append(message)
        return got

    def _cpu(self) -> tuple[float, float]:
        server = sum(s.cpu_s() for s in self.servers)
        load = 0.0
        for pid in self.fleet.pids():
            try:
                times = psutil.Process(pid).cpu_times()
                load += times.user + times.system
            except psutil.Error:
                pass
        return server, load

    async def measure(self, warm_s: float, seconds: float) -> Window:
        """Let the step settle for ``warm_s``, then measure for ``seconds``."""
        await asyncio.sleep(warm_s)
        server0, load0 = self._cpu()
        start = time.monotonic()
        self.fleet.set_measuring(1)
        await asyncio.sleep(seconds)
        self.fleet.set_measuring(0)
        elapsed = time.monotonic() - start
        server1, load1 = self._cpu()
        return Window(elapsed, server1 - server0, load1 - load0)


async def run_workers(
    specs: list[RelaySpec],
    servers: list[Server],
    body: Callable[[Control], Awaitable[Any]],
    generator: str = "node",
) -> tuple[Any, list[Tally], list[Any]]:
    """Run one worker process per spec; ``body`` steps them after everything is open.

    Returns what ``body`` returned, every worker's Tally, and the 'ready' reports.
    """
    fleet = make_fleet(generator, specs)
    control = Control(servers, fleet, len(specs))
    try:
        await fleet.start()
        ready = await control.gather("ready", len(specs))
        control.set_phase(1)
        ready += await control.gather("ready", len(specs))
        result = await body(control)
        control.set_phase(STOP)
        reports = [r[0] for r in await control.gather("report", len(specs))]
        return result, reports, ready
    finally:
        await fleet.stop()
