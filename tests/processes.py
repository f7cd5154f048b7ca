"""Real server processes and a private Redis for the fault tests, each killed at teardown.

``ServerProcess`` runs ``python -m chatserver serve`` as production does (SIGTERM drains);
``RedisServer`` runs a ``redis-server`` of our own on a free port, so restarting it never
disturbs the machine's shared Redis. ``TcpProxy`` stands between the app and PostgreSQL so a
test can cut the database off without touching the shared server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from alembic import command
from sqlalchemy.engine import Connection

from nabij.db import create_engine, make_sessionmaker
from nabij.migrate import alembic_config
from staffing.experts import create_staff_user
from tests.harness import PASSWORD, Peer, connect_peer, roster_now, unused_port
from tests.waiting import eventually

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 15.0


async def http_status(url: str) -> int:
    """The status of GET ``url``, or 0 when nothing answers."""
    try:
        async with aiohttp.ClientSession() as http, http.get(url, timeout=3) as response:
            return response.status
    except (aiohttp.ClientError, OSError, TimeoutError):
        return 0


class ServerProcess:
    """One ``python -m chatserver serve`` on a free port."""

    def __init__(self, env: dict[str, str], log: Path, *, defaults: bool = False) -> None:
        """``defaults``: no ``NABIJ_*`` from this process's environment, only ``env``'s."""
        self.port = unused_port()
        self.url = f"http://127.0.0.1:{self.port}"
        inherited = {
            k: v for k, v in os.environ.items() if not (defaults and k.startswith("NABIJ_"))
        }
        full = {**inherited, **env, "NABIJ_PORT": str(self.port), "NABIJ_PUBLIC_URL": self.url}
        self.database_url = full.get("NABIJ_DATABASE_URL", "")
        self.env = env
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "chatserver", "serve"],
                cwd=ROOT,
                env=full,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    async def ready(self) -> None:
        """Wait until ``/readyz`` answers 200."""

        async def up() -> bool:
            assert self.proc.poll() is None, self.log.read_text()
            return await http_status(f"{self.url}/readyz") == 200

        await eventually(up, what=f"{self.url} to be ready", timeout=START_TIMEOUT_S)

    def signal(self, signum: int) -> None:
        """Send ``signum`` (SIGTERM to drain, SIGKILL to crash)."""
        self.proc.send_signal(signum)

    async def exited(self, timeout: float) -> int:
        """Wait for the process to end; return its exit status."""

        async def gone() -> bool:
            return self.proc.poll() is not None

        await eventually(gone, what="the server process to exit", timeout=timeout)
        return int(self.proc.returncode)

    def stop(self) -> None:
        """Kill it if still running (teardown)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class RedisServer:
    """A private ``redis-server``; with ``keep`` it persists (AOF) across restarts."""

    def __init__(self, workdir: Path, *, keep: bool) -> None:
        self.port = unused_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.keep = keep
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        """Start (or restart) it and wait until it answers."""
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.keep else []
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += persistence or ["--appendonly", "no"]
        args += ["--dir", str(self.workdir)]
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        await eventually(self._answers, what="redis-server to start", timeout=START_TIMEOUT_S)

    async def _answers(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        return True

    def kill(self) -> None:
        """SIGKILL: no goodbye, as when the host or container dies."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


class TcpProxy:
    """A TCP relay to ``target``; ``cut()`` drops every connection and refuses new ones."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = unused_port()
        self.open = True
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        """Listen on the loopback."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update({writer, up_writer})
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    def cut(self) -> None:
        """The database becomes unreachable: live connections die, new ones are refused."""
        self.open = False
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def restore(self) -> None:
        """The database is reachable again."""
        self.open = True

    async def close(self) -> None:
        """Stop listening and drop everything."""
        self.cut()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


async def stamp_schema(database_url: str) -> None:
    """Mark the test database (made by ``create_all``) as at the newest migration.

    ``serve`` upgrades before it starts; without the stamp it would create existing tables.
    """

    def stamp(connection: Connection) -> None:
        command.stamp(alembic_config(connection), "head")

    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(stamp)
    finally:
        await engine.dispose()


async def add_expert(
    database_url: str,
    username: str,
    capacity: int = 2,
    *,
    role: str = "expert",
    on_shift: bool = True,
) -> int:
    """A staff account (on shift now unless told otherwise), written straight into the database."""
    engine = create_engine(database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            user = await create_staff_user(
                session,
                username=username,
                display_name=username.capitalize(),
                password=PASSWORD,
                role=role,
                focus=(),
                capacity=capacity,
                cooldown_s=0,
            )
            if on_shift:
                await roster_now(session, user.id)
            return int(user.id)
    finally:
        await engine.dispose()


async def login(url: str, username: str) -> str:
    """Sign in over HTTP; return the session cookie value (valid on every process)."""
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{url}/api/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert response.status == 200, await response.text()
        return response.cookies["nabij_session"].value


@contextlib.asynccontextmanager
async def peers() -> AsyncIterator[Callable[..., Awaitable[Peer]]]:
    """Connect Socket.IO clients to any URL; all are disconnected at the end."""
    made: list[Peer] = []

    async def connect(url: str, namespace: str, **kwargs: Any) -> Peer:
        peer = await connect_peer(url, namespace, **kwargs)
        made.append(peer)
        return peer

    try:
        yield connect
    finally:
        for peer in made:
            if peer.client.connected:
                with contextlib.suppress(Exception):
                    await peer.disconnect()
