"""Contract tests of chatserver/realtime/libcompat.py against the pinned libraries.

Each test states one assumption the adapter makes about python-socketio, python-engineio
or redis-py internals and checks it on real library objects (a real Engine.IO/Socket.IO
server on a loopback aiohttp server, a real manager, the shared test Redis), so that a
library upgrade that breaks one fails here, by name, before it fails in production.
The last test keeps every such use inside the adapter.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import engineio
import engineio.async_drivers.aiohttp as engineio_aiohttp
import redis.asyncio as aioredis
import socketio
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer
from socketio.async_pubsub_manager import AsyncPubSubManager

from chatserver.realtime import libcompat
from tests.libscan import Scan

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 5.0


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


# --- the private names exist with the signatures the adapter calls ---------------------


def test_socketio_server_dispatch_methods_keep_their_signatures() -> None:
    server = socketio.AsyncServer
    assert _parameters(server._handle_eio_message) == ["self", "eio_sid", "data"]
    assert _parameters(server._handle_event) == ["self", "eio_sid", "namespace", "id", "data"]
    assert _parameters(server._handle_connect) == ["self", "eio_sid", "namespace", "data"]
    assert _parameters(server._handle_disconnect) == ["self", "eio_sid", "namespace", "reason"]
    assert _parameters(server._handle_ack) == ["self", "eio_sid", "namespace", "id", "data"]
    assert _parameters(server._send_packet) == ["self", "eio_sid", "pkt"]
    assert hasattr(socketio.AsyncServer(), "reason")
    assert socketio.AsyncServer().reason.CLIENT_DISCONNECT


def test_redis_manager_private_steps_keep_their_signatures() -> None:
    manager = socketio.AsyncRedisManager
    assert _parameters(manager._redis_connect) == ["self"]
    assert _parameters(manager._publish) == ["self", "data"]
    assert _parameters(manager._listen) == ["self"]
    assert inspect.isasyncgenfunction(manager._listen)
    assert inspect.iscoroutinefunction(manager._publish)
    # The library's own retry paths go through these names, so our overrides see them.
    source = inspect.getsource(manager)
    assert "self._redis_connect()" in source and "self.redis.publish(" in source
    assert "self.pubsub.subscribe(" in source and "self.connected" in source
    assert "self._listen()" in inspect.getsource(AsyncPubSubManager._thread)


def test_engineio_driver_websocket_keeps_its_response_in_sock() -> None:
    websocket = engineio_aiohttp.WebSocket
    assert _parameters(websocket.__init__) == ["self", "handler", "server"]
    for method in (websocket.send, websocket.wait, websocket.close):
        assert "self._sock" in inspect.getsource(method), method.__name__
    eio = engineio.AsyncServer(async_mode="aiohttp")
    assert eio._async["websocket"] is websocket
    assert eio._async["translate_request"] is engineio_aiohttp.translate_request


# --- the behaviour relied on holds ---------------------------------------------------


class RecordingWebSocket(libcompat.DriverWebSocket):
    """A driver websocket noting that Engine.IO served through it."""

    served: ClassVar[list[str]] = []

    def websocket_response(self) -> web.WebSocketResponse:
        RecordingWebSocket.served.append("websocket")
        return web.WebSocketResponse(compress=False)


class RecordingServer(libcompat.PacketHookServer):
    """A Socket.IO server noting every client packet its hook sees."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(async_mode="aiohttp", **kwargs)
        self.packets: list[str] = []

    async def handle_client_packet(self, eio_sid: str, data: Any) -> None:
        self.packets.append(data)
        await super().handle_client_packet(eio_sid, data)


async def _served(app: web.Application) -> AsyncIterator[TestClient[Any, Any]]:
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def _receive(ws: Any) -> str:
    message = await asyncio.wait_for(ws.receive(), TIMEOUT_S)
    assert message.type == WSMsgType.TEXT, message
    return str(message.data)


async def test_engine_io_serves_through_the_installed_transport() -> None:
    eio = engineio.AsyncServer(async_mode="aiohttp")
    translated: list[str] = []
    received: list[str] = []

    def translate(request: Any) -> dict[str, Any]:
        translated.append(request.path)
        environ: dict[str, Any] = engineio_aiohttp.translate_request(request)
        assert libcompat.aiohttp_request(environ) is request
        return environ

    eio.on("message", lambda _sid, data: received.append(data))
    libcompat.install_engine_transport(eio, RecordingWebSocket, translate)
    assert engineio.AsyncServer(async_mode="aiohttp")._async["websocket"] is not RecordingWebSocket
    app = web.Application()
    eio.attach(app)
    RecordingWebSocket.served.clear()
    async for client in _served(app):
        async with client.ws_connect("/engine.io/?EIO=4&transport=websocket", compress=15) as ws:
            assert (await _receive(ws)).startswith("0{")  # the driver's send used our response
            assert ws.compress == 0  # the response we built was served: no deflate
            await ws.send_str("4hello")  # the driver's wait read from our response
            for _ in range(50):
                if received:
                    break
                await asyncio.sleep(0.05)
            assert received == ["hello"]
            sockets = libcompat.engine_sockets(eio)
            assert len(sockets) == 1
            await asyncio.wait_for(sockets[0].close(), TIMEOUT_S)
        assert libcompat.engine_sockets(eio) == [] or all(s.closed for s in eio.sockets.values())
        await eio.shutdown()  # its ping task must not outlive the test
    assert translated and RecordingWebSocket.served == ["websocket"]


async def test_every_client_packet_passes_the_hook_and_dispatches() -> None:
    sio = RecordingServer()
    seen: list[Any] = []
    sio.on("connect", lambda sid, environ: seen.append("connect"))
    sio.on("hi", lambda sid, data: seen.append(("hi", data)) or "ho")
    sio.on("disconnect", lambda sid, reason: seen.append(("disconnect", reason)))
    app = web.Application()
    sio.attach(app)
    async for client in _served(app):
        async with client.ws_connect("/socket.io/?EIO=4&transport=websocket") as ws:
            await _receive(ws)  # Engine.IO open
            await ws.send_str("40")
            assert (await _receive(ws)).startswith("40{")  # dispatch_connect answered
            sid = next(iter(libcompat.room_members(sio.manager, "/", None)))
            await ws.send_str('421["hi",7]')
            assert await _receive(ws) == '431["ho"]'  # dispatch_event ran the handler
            acked: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            await sio.emit("ask", to=sid, callback=acked.set_result)
            asked = await _receive(ws)
            assert asked.startswith("42") and asked.endswith('["ask"]')
            await ws.send_str(f'43{asked[2:-7]}["yes"]')
            assert await asyncio.wait_for(acked, TIMEOUT_S) == "yes"  # dispatch_ack
            await ws.send_str("41")
            for _ in range(50):
                if len(seen) == 3:
                    break
                await asyncio.sleep(0.05)
        await sio.shutdown()
    assert [packet[:1] for packet in sio.packets] == ["0", "2", "3", "1"]
    assert seen == ["connect", ("hi", 7), ("disconnect", sio.reason.CLIENT_DISCONNECT)]


async def test_room_lookups_return_the_live_members() -> None:
    sio = socketio.AsyncServer(async_mode="aiohttp")
    manager = sio.manager
    sid = await manager.connect("eio-1", "/")
    other = await manager.connect("eio-2", "/")
    await manager.enter_room(sid, "/", "conv:a")
    members = libcompat.room_members(manager, "/", "conv:a")
    assert dict(members) == {sid: "eio-1"}
    assert set(libcompat.room_members(manager, "/", None)) == {sid, other}
    assert dict(libcompat.namespace_rooms(manager, "/")["conv:a"]) == {sid: "eio-1"}
    await manager.enter_room(other, "/", "conv:a")
    assert dict(members) == {sid: "eio-1", other: "eio-2"}  # a live view, not a copy
    assert libcompat.room_members(manager, "/", "nobody") == {}
    assert libcompat.room_members(manager, "/elsewhere", None) == {}
    assert "/" in manager.get_namespaces()  # InlineAsyncManager's public check


class ListenedManager(libcompat.RedisManagerHooks):
    """A Redis manager whose channel is a queue: no Redis needed to test the dispatch."""

    def __init__(self) -> None:
        super().__init__("redis://127.0.0.1:1", channel="unused")
        self.inbox: asyncio.Queue[Any] = asyncio.Queue()
        self.published: list[dict[str, Any]] = []

    async def messages(self) -> AsyncIterator[Any]:
        while True:
            yield await self.inbox.get()

    async def publish(self, data: dict[str, Any]) -> None:
        self.published.append(data)


async def test_listener_dispatches_messages_and_publish_hook_sees_every_emit() -> None:
    manager = ListenedManager()
    socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)
    assert libcompat.listener_task(manager) is None
    sid = await manager.connect("eio-1", "/")
    manager.initialize()
    task = libcompat.listener_task(manager)
    assert task is not None and not task.done()
    try:
        message = {"method": "enter_room", "sid": sid, "namespace": "/", "room": "r"}
        await manager.inbox.put(json.dumps({**message, "host_id": "another process"}))
        for _ in range(50):
            if libcompat.room_members(manager, "/", "r"):
                break
            await asyncio.sleep(0.02)
        assert dict(libcompat.room_members(manager, "/", "r")) == {sid: "eio-1"}
        await manager.emit("ev", {"a": 1}, namespace="/", room="r")
        assert [m["method"] for m in manager.published] == ["emit"]
        assert manager.published[0]["host_id"] == manager.process_id == manager.host_id
    finally:
        task.cancel()  # the library's listener ends quietly when cancelled
        await asyncio.wait([task], timeout=TIMEOUT_S)
    assert task.done()


async def test_connect_hook_builds_the_client_the_library_publishes_on(redis_url: str) -> None:
    channel = f"nabij-test:{secrets.token_hex(6)}:libcompat"
    connects: list[int] = []

    class Connecting(libcompat.RedisManagerHooks):
        def connect_redis(self) -> None:
            connects.append(1)
            self.use_redis_client(aioredis.Redis.from_url(redis_url))

    manager = Connecting(redis_url, channel=channel)
    reader = aioredis.Redis.from_url(redis_url)
    pubsub = reader.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(channel)
        await manager.publish_to_redis({"method": "x", "n": 1})
        assert connects == [1] and manager.connected
        got = await _next_message(pubsub)
        assert manager.decode_message(got["data"]) == {"method": "x", "n": 1}
        first = libcompat.redis_client(manager)
        assert manager.use_redis_client(aioredis.Redis.from_url(redis_url))[1] is first
        await first.aclose()
    finally:
        await pubsub.aclose()
        await reader.aclose()
        client = libcompat.redis_client(manager)
        if client is not None:
            await client.aclose()


async def _next_message(pubsub: Any) -> dict[str, Any]:
    """The next published message (the subscribe confirmation reads as None)."""
    for _ in range(20):
        got = await pubsub.get_message(timeout=TIMEOUT_S / 20)
        if got is not None:
            return dict(got)
    raise AssertionError("nothing published")


# --- nothing else touches a private name ----------------------------------------------


def test_only_the_adapter_touches_library_internals() -> None:
    findings = list(Scan(ROOT).findings())
    assert findings == [], "\n".join(findings)


def test_the_scan_sees_each_kind_of_use(tmp_path: Path) -> None:
    """The scan reports the uses the adapter replaced, so the test above can fail."""
    package = tmp_path / "chatserver"
    package.mkdir()
    (package / "uses.py").write_text(
        "import socketio\n"
        "def rooms(sio):\n"
        "    return sio.manager.rooms, sio.eio.sockets, getattr(sio.manager, 'thread')\n"
        "def transport(eio):\n"
        "    eio._async = {}\n"
        "class Manager(socketio.AsyncRedisManager):\n"
        "    def _redis_connect(self):\n"
        "        self.pubsub = None\n"
        "    async def _publish(self, data):\n"
        "        await super()._publish(data)\n",
        encoding="utf-8",
    )
    found = "\n".join(Scan(tmp_path).findings())
    for what in (
        "manager.rooms",
        "eio.sockets",
        "'thread'",
        "._async",
        "overrides the library's _redis_connect",
        "overrides the library's _publish",
        "self.pubsub",
        "private library name ._publish",
    ):
        assert what in found, what
