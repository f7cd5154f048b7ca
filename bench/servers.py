"""Server subprocesses for a run: Nabij (``python -m chatserver serve``) and the baselines.

Every server gets a fresh temporary SQLite database (or nothing, for the baselines), listens
on 127.0.0.1 on a free port, and is killed in ``stop()`` (callers use ``finally``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import psutil  # type: ignore[import-untyped]
from argon2 import PasswordHasher

from bench.targets import PASSWORD, expert_name

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 30.0


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One server process; ``url``, ``pid`` and CPU/RSS readings."""

    def __init__(
        self, args: list[str], env: dict[str, str], log: Path, probe: str, port_arg: bool
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.probe = probe
        self.log = log
        self.env = env
        full = {**os.environ, **env, "NABIJ_PORT": str(self.port), "NABIJ_PUBLIC_URL": self.url}
        with log.open("wb") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
                [sys.executable, *args, *(["--port", str(self.port)] if port_arg else [])],
                cwd=ROOT,
                env=full,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.ps = psutil.Process(self.proc.pid)

    async def ready(self) -> None:
        """Wait until the probe path answers (any HTTP status below 500)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        async with aiohttp.ClientSession() as http:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
                try:
                    async with http.get(
                        self.url + self.probe, timeout=aiohttp.ClientTimeout(total=2)
                    ) as response:
                        if response.status < 500:
                            return
                except (aiohttp.ClientError, OSError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.url} did not start")
                await asyncio.sleep(0.1)

    def cpu_s(self) -> float:
        """User + system CPU seconds used so far."""
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss(self) -> int:
        """Resident memory in bytes."""
        return int(self.ps.memory_info().rss)

    def stop(self) -> None:
        """Kill it if it still runs."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


#: The PostgreSQL server ``--database postgres`` creates a fresh database on (loopback).
POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def nabij_env(
    workdir: Path, redis_prefix: str | None = None, database_url: str | None = None
) -> dict[str, str]:
    """Settings for a bench Nabij process: a fresh database, limits raised for load."""
    env = {
        "NABIJ_SECRET_KEY": secrets.token_urlsafe(48),
        "NABIJ_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{workdir / 'nabij.db'}",
        "NABIJ_HOST": "127.0.0.1",
        "NABIJ_TRUSTED_PROXY": "true",
        "NABIJ_VISITOR_SOCKETS_PER_ADDRESS": "100000",
        "NABIJ_CHAT_REQUESTS_PER_HOUR": "100000",
    }
    if redis_prefix is not None:
        env["NABIJ_REDIS_URL"] = "redis://127.0.0.1:6379/0"
        env["NABIJ_REDIS_PREFIX"] = redis_prefix
    return env


def start_nabij(env: dict[str, str], log: Path) -> Server:
    """``python -m chatserver serve`` (it migrates the database before it listens)."""
    return Server(["-m", "chatserver", "serve"], env, log, "/readyz", port_arg=False)


def start_baseline(kind: str, log: Path) -> Server:
    """``sio`` or ``ws``: the minimal relays of bench/baselines/."""
    module = {"sio": "bench.baselines.sio_relay", "ws": "bench.baselines.ws_relay"}[kind]
    return Server(["-m", module], {}, log, "/", port_arg=True)


async def seed_experts(database_url: str, count: int, capacity: int) -> None:
    """``count`` experts with ``capacity``, on a shift from an hour ago for three hours.

    The password hash is made once with cheap argon2 parameters (the server verifies any
    parameters), so seeding 100 accounts takes no minutes.
    """
    from nabij.db import create_engine, make_sessionmaker
    from staffing import passwords
    from staffing.experts import create_staff_user
    from staffing.shifts import add_shift

    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    engine = create_engine(database_url)
    now = dt.datetime.now(dt.UTC)
    try:
        async with make_sessionmaker(engine).begin() as session:
            for index in range(count):
                user = await create_staff_user(
                    session,
                    username=expert_name(index),
                    display_name=f"Bench {index}",
                    password=PASSWORD,
                    role="expert",
                    capacity=capacity,
                )
                await add_shift(
                    session,
                    user_id=user.id,
                    starts_at=now - dt.timedelta(hours=1),
                    ends_at=now + dt.timedelta(hours=2),
                )
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one run (the server migrates it); dropped after."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    name = f"nabij_bench_{secrets.token_hex(6)}"
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
