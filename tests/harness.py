"""A running Nabij for tests: the real app factory on a real port, and Socket.IO clients.

``Peer`` wraps python-socketio's AsyncClient: every event it receives lands in a queue per
event name, and ``call`` sends an event and returns its ack.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
import socket
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.app import create_app
from chatserver.http.csrf import CSRF_HEADER, csrf_token
from chatserver.keys import db_key, settings_key
from nabij.settings import Secret, Settings
from staffing.experts import create_staff_user
from staffing.shifts import add_shift

PASSWORD = "correct horse battery"
EVENT_TIMEOUT_S = 5.0


def make_settings(stack: dict[str, str | None], redis_prefix: str, **overrides: Any) -> Settings:
    """Settings for a test: fast grace and sweeps, a random Redis prefix."""
    base = Settings(
        secret_key=Secret(secrets.token_urlsafe(48)),
        database_url=str(stack["database_url"]),
        redis_url=stack["redis_url"],
        redis_prefix=redis_prefix,
        reconnect_grace_s=0.6,
        sweep_interval_s=0.05,
        chat_requests_per_hour=50,
    )
    return base.replace(**overrides)


@dataclass
class Peer:
    """One Socket.IO client on one namespace, recording what the server sends it."""

    client: socketio.AsyncClient
    namespace: str
    events: dict[str, asyncio.Queue[Any]] = field(
        default_factory=lambda: defaultdict(asyncio.Queue)
    )

    async def call(self, event: str, data: Any = None) -> dict[str, Any]:
        """Send ``event`` and return the server's ack."""
        args = () if data is None else (data,)
        ack: dict[str, Any] = await self.client.call(
            event, *args, namespace=self.namespace, timeout=EVENT_TIMEOUT_S
        )
        return ack

    async def next(self, event: str, timeout: float = EVENT_TIMEOUT_S) -> Any:
        """The next ``event`` received (waiting for it)."""
        return await asyncio.wait_for(self.events[event].get(), timeout)

    async def until(self, event: str, predicate: Callable[[Any], bool]) -> Any:
        """Skip ``event``s until one matches ``predicate``."""
        while True:
            data = await self.next(event)
            if predicate(data):
                return data

    def pending(self, event: str) -> list[Any]:
        """The ``event``s received and not yet consumed."""
        queue = self.events[event]
        return [queue.get_nowait() for _ in range(queue.qsize())]

    async def quiet(self, event: str, seconds: float = 0.3) -> bool:
        """Whether no ``event`` arrives within ``seconds``."""
        try:
            await self.next(event, seconds)
        except TimeoutError:
            return True
        return False

    async def disconnect(self) -> None:
        """Close the connection."""
        await self.client.disconnect()


async def connect_peer(url: str, namespace: str, **kwargs: Any) -> Peer:
    """A Socket.IO client on ``namespace`` (websocket only) that records every event."""
    client = socketio.AsyncClient(reconnection=False)
    peer = Peer(client, namespace)

    async def record(event: str, data: Any = None) -> None:
        await peer.events[event].put(data)

    client.on("*", record, namespace=namespace)
    await client.connect(
        url, namespaces=[namespace], transports=["websocket"], wait_timeout=5, **kwargs
    )
    return peer


async def roster_now(session: AsyncSession, user_id: int) -> None:
    """Put ``user_id`` on a shift from an hour ago until two hours from now."""
    now = dt.datetime.now(dt.UTC)
    await add_shift(
        session,
        user_id=user_id,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
    )


class Nabij:
    """A running service plus helpers to add staff and connect clients."""

    def __init__(self, app: web.Application, server: TestServer) -> None:
        self.app = app
        self.server = server
        self.url = str(server.make_url("/")).rstrip("/")
        self.peers: list[Peer] = []

    async def add_expert(
        self,
        username: str,
        *,
        focus: tuple[str, ...] = (),
        capacity: int = 2,
        role: str = "expert",
        on_shift: bool = True,
        cooldown_s: int = 0,
    ) -> int:
        """Create a staff account (on a shift from an hour ago until in two hours)."""
        async with self.app[db_key].begin() as session:
            user = await create_staff_user(
                session,
                username=username,
                display_name=username.capitalize(),
                password=PASSWORD,
                role=role,
                focus=focus,
                capacity=capacity,
                cooldown_s=cooldown_s,
            )
            user_id = user.id
            if on_shift:
                await roster_now(session, user_id)
        return user_id

    async def add_shift(self, user_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
        """Roster an existing expert."""
        async with self.app[db_key].begin() as session:
            await add_shift(session, user_id=user_id, starts_at=starts_at, ends_at=ends_at)

    async def login(self, username: str, password: str = PASSWORD) -> str:
        """Sign in over HTTP; return the session cookie value."""
        async with aiohttp.ClientSession() as http:
            response = await http.post(
                f"{self.url}/api/auth/login", json={"username": username, "password": password}
            )
            assert response.status == 200, await response.text()
            return response.cookies["nabij_session"].value

    def csrf(self, token: str) -> str:
        """The CSRF token that goes with a session token (header or form field)."""
        return csrf_token(self.app[settings_key].secret_key.reveal(), token)

    def http(self, token: str, **headers: str) -> aiohttp.ClientSession:
        """An HTTP client carrying one staff session cookie and its CSRF header."""
        return aiohttp.ClientSession(
            headers={"Cookie": f"nabij_session={token}", CSRF_HEADER: self.csrf(token), **headers}
        )

    async def _connect(self, namespace: str, **kwargs: Any) -> Peer:
        peer = await connect_peer(self.url, namespace, **kwargs)
        self.peers.append(peer)
        return peer

    async def visitor(self, auth: dict[str, Any] | None = None) -> Peer:
        """An anonymous visitor socket (optionally resuming with ``auth``)."""
        return await self._connect("/visitor", auth=auth)

    async def staff(self, username: str, *, available: bool = True) -> Peer:
        """A signed-in console socket, marked available unless told otherwise."""
        token = await self.login(username)
        peer = await self._connect("/staff", headers={"Cookie": f"nabij_session={token}"})
        if available:
            ack = await peer.call("presence:set", {"available": True})
            assert ack["ok"], ack
        return peer

    async def close(self) -> None:
        """Disconnect every client."""
        for peer in self.peers:
            if peer.client.connected:
                await peer.disconnect()


async def assert_refused(url: str, namespace: str, **kwargs: Any) -> Any:
    """Connecting to ``namespace`` must fail; return what the refusal carried.

    The client's HTTP session is closed after, so the server can shut down promptly.
    """
    refusals: list[Any] = []
    async with aiohttp.ClientSession() as http:
        client = socketio.AsyncClient(reconnection=False, http_session=http)
        client.on("connect_error", refusals.append, namespace=namespace)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(url, namespaces=[namespace], transports=["websocket"], **kwargs)
        await client.disconnect()
    return refusals[0] if refusals else None


async def json_body(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The JSON object ``response`` carries (typed for the tests that index into it)."""
    body: dict[str, Any] = await response.json()
    return body


def unused_port() -> int:
    """A free TCP port on the loopback (free now; the server binds it right after)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


NabijFactory = Callable[..., Awaitable[Nabij]]


@pytest.fixture
async def nabij_factory(
    stack: dict[str, str | None], redis_prefix: str
) -> AsyncIterator[NabijFactory]:
    """Start Nabij with test settings (overridable) on a real port; clean up after."""
    started: list[tuple[Nabij, TestServer]] = []

    async def start(**overrides: Any) -> Nabij:
        port = unused_port()
        # The console's origin checks need the address browsers really use.
        overrides.setdefault("public_url", f"http://127.0.0.1:{port}")
        app = create_app(make_settings(stack, redis_prefix, **overrides))
        server = TestServer(app, host="127.0.0.1", port=port, shutdown_timeout=5)
        await server.start_server()
        nabij = Nabij(app, server)
        started.append((nabij, server))
        return nabij

    yield start
    for nabij, server in started:
        await nabij.close()
        try:
            await asyncio.wait_for(asyncio.shield(server.close()), 8)
        except TimeoutError:
            for t in asyncio.all_tasks():
                t.print_stack(limit=8)
            raise
    if stack["redis_url"]:
        await _drop_prefix(str(stack["redis_url"]), redis_prefix)


async def _drop_prefix(url: str, prefix: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url)
    keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def nabij(nabij_factory: NabijFactory) -> Nabij:
    """One running Nabij with the default test settings."""
    return await nabij_factory()
