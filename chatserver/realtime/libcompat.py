"""Every use of python-socketio's, python-engineio's and redis-py's internals, in one place.

Nabij needs a few things those libraries do not offer publicly: a websocket without
compression, a strict packet decode, a Redis manager on a bounded pool that batches its
publishes, and a look at which sockets this process holds. Each is built on a private (or
undocumented) name. This module is the only one that touches those names; every function
and class here says which name it relies on and why. tests/test_libcompat.py checks each
assumption against the pinned versions (constraints.txt) with real library objects, and
scans chatserver/ so that no other module touches such a name. After an upgrade, run it
first: a failure there names the assumption that broke.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import engineio.async_drivers.aiohttp as engineio_aiohttp
import socketio
from aiohttp.web import Response, WebSocketResponse

# --- Engine.IO ---------------------------------------------------------------------------


def install_engine_transport(
    eio: Any, websocket: type[Any], translate_request: Callable[[Any], dict[str, Any]]
) -> None:
    """Make this Engine.IO server (only it) serve websockets and read requests our way.

    Relies on ``eio._async``: the dict of driver hooks an ``engineio.AsyncServer`` copies
    from its async driver at construction and looks ``"websocket"`` and
    ``"translate_request"`` up in per request. Replacing the dict (not its entries) leaves
    the driver module, shared by every server in the process, untouched.
    """
    eio._async = {**eio._async, "websocket": websocket, "translate_request": translate_request}


def aiohttp_request(environ: dict[str, Any]) -> Any | None:
    """The aiohttp request behind a Socket.IO connection's environ, or None.

    Relies on the aiohttp driver's ``translate_request`` keeping it under
    ``"aiohttp.request"``: its ``REMOTE_ADDR`` is a fixed 127.0.0.1, the peer is on the request.
    """
    return environ.get("aiohttp.request")


class DriverWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """The aiohttp driver's websocket, served on the response ``websocket_response`` makes.

    Relies on the driver's ``WebSocket`` keeping its aiohttp ``WebSocketResponse`` in
    ``_sock``, which its ``send``, ``wait`` and ``close`` use: the driver builds that
    response itself with aiohttp's defaults (compression on), with no option to change it.
    """

    def websocket_response(self) -> WebSocketResponse:
        """The response the websocket runs on; override to choose its options."""
        return WebSocketResponse(max_msg_size=self.server.max_http_buffer_size)

    async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse:
        """Serve one websocket, as the driver does, on ``websocket_response()``."""
        request = environ["aiohttp.request"]
        self._sock = self.websocket_response()
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock


#: What python-engineio's ``_get_socket`` raises for a session that is gone.
GONE_SESSION_ERRORS = (("Session is disconnected",), ("Session not found",))


def refuse_gone_sessions(eio: Any) -> None:
    """Answer a request for a session that closed meanwhile with 400, as for an unknown one.

    python-engineio 4.x checks ``sid in self.sockets`` and then calls ``_get_socket(sid)``,
    which raises ``KeyError("Session is disconnected")`` when the socket was closed in
    between (a close packet in an earlier POST, a quick exit with a request in flight).
    Unhandled, that was a 500 with a traceback. Wraps the instance's ``handle_request``, so
    call it before ``attach`` (the route is bound to it then).
    """
    handle = eio.handle_request

    async def handle_request(*args: Any, **kwargs: Any) -> Any:
        try:
            return await handle(*args, **kwargs)
        except KeyError as exc:
            if exc.args not in GONE_SESSION_ERRORS:
                raise
            return Response(status=400, text="Session closed", content_type="text/plain")

    eio.handle_request = handle_request


def engine_sockets(eio: Any) -> list[Any]:
    """The Engine.IO sockets open on this process (each has an async ``close()``).

    Relies on ``eio.sockets``, an undocumented dict (Engine.IO sid → socket); engineio's
    own ``shutdown`` would wait without a bound for a socket whose peer vanished.
    """
    return list(eio.sockets.values())


# --- Socket.IO server ------------------------------------------------------------------


class PacketHookServer(socketio.AsyncServer):  # type: ignore[misc]
    """``AsyncServer`` whose reading of client packets is the public-named hook below.

    Relies on ``_handle_eio_message(eio_sid, data)``, which ``BaseServer.__init__``
    registers as Engine.IO's ``message`` handler: every client packet passes it. Its
    dispatch steps ``_handle_event``, ``_handle_connect``, ``_handle_disconnect``,
    ``_handle_ack`` and ``_send_packet`` are reached through the ``dispatch_*`` methods.
    """

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        await self.handle_client_packet(eio_sid, data)

    async def handle_client_packet(self, eio_sid: str, data: Any) -> None:
        """Decode and dispatch one client packet; python-socketio's own way by default."""
        await super()._handle_eio_message(eio_sid, data)

    async def dispatch_event(self, eio_sid: str, namespace: Any, ack_id: Any, data: Any) -> None:
        """Hand an event (``data`` is ``[name, *args]``) to its namespace."""
        await self._handle_event(eio_sid, namespace, ack_id, data)

    async def dispatch_connect(self, eio_sid: str, namespace: Any, auth: Any) -> None:
        """Connect the socket to ``namespace`` (runs the namespace's ``on_connect``)."""
        await self._handle_connect(eio_sid, namespace, auth)

    async def dispatch_disconnect(self, eio_sid: str, namespace: Any) -> None:
        """Disconnect the socket from ``namespace``, as the client asked."""
        await self._handle_disconnect(eio_sid, namespace, self.reason.CLIENT_DISCONNECT)

    async def dispatch_ack(self, eio_sid: str, namespace: Any, ack_id: Any, data: Any) -> None:
        """Hand the client's answer to one of our emits to its callback."""
        await self._handle_ack(eio_sid, namespace, ack_id, data)

    async def send_socketio_packet(self, eio_sid: str, pkt: Any) -> None:
        """Send one Socket.IO packet to one Engine.IO socket."""
        await self._send_packet(eio_sid, pkt)


# --- Socket.IO client managers -----------------------------------------------------------


def room_members(manager: Any, namespace: str, room: str | None) -> Mapping[str, str]:
    """The live members (sid → Engine.IO sid) of ``room`` on this process; read, not copied.

    Relies on ``manager.rooms``, an undocumented dict namespace → room → members that
    ``get_participants`` copies (a copy per emit is what the relay avoids). The room
    ``None`` holds every socket of the namespace. Nothing may await while it is read.
    """
    members: Mapping[str, str] = manager.rooms.get(namespace, {}).get(room, {})
    return members


def namespace_rooms(manager: Any, namespace: str) -> Mapping[Any, Mapping[str, str]]:
    """Every room of ``namespace`` on this process with its members (as ``room_members``)."""
    rooms: Mapping[Any, Mapping[str, str]] = manager.rooms.get(namespace, {})
    return rooms


def listener_task(manager: Any) -> asyncio.Task[Any] | None:
    """A pub/sub manager's listener task, once started; None without one.

    Relies on ``AsyncPubSubManager.initialize`` keeping it in ``thread``: when that task
    has died this process hears no other's emits, and shutdown must cancel it.
    """
    task = getattr(manager, "thread", None)
    return task if isinstance(task, asyncio.Task) else None


def redis_client(manager: Any) -> Any | None:
    """The Redis client a Redis manager publishes on (``manager.redis``), or None."""
    return getattr(manager, "redis", None)


class RedisManagerHooks(socketio.AsyncRedisManager):  # type: ignore[misc]
    """``AsyncRedisManager`` whose private steps are public-named, overridable hooks.

    Relies on three private methods of ``AsyncRedisManager``/``AsyncPubSubManager``:
    ``_redis_connect()`` (called by ``_publish`` and ``_listen`` to build, after a failure
    rebuild, ``self.redis`` and ``self.pubsub`` and set ``self.connected``), ``_publish(data)``
    (every message for the other processes: emits, room changes, disconnects, callbacks)
    and ``_listen()`` (the async iterator of raw channel messages ``_thread`` dispatches).
    """

    def _redis_connect(self) -> None:
        self.connect_redis()

    async def _publish(self, data: dict[str, Any]) -> None:
        await self.publish(data)

    async def _listen(self) -> AsyncIterator[Any]:
        async for raw in self.messages():
            yield raw

    def connect_redis(self) -> None:
        """Build the Redis client and pub/sub (again, after a failure); the library's by default."""
        super()._redis_connect()

    async def publish(self, data: dict[str, Any]) -> None:
        """Send ``data`` to the other processes; one PUBLISH by default."""
        await self.publish_to_redis(data)

    async def publish_to_redis(self, data: dict[str, Any]) -> None:
        """One PUBLISH of ``data``, with python-socketio's reconnect and retry."""
        await super()._publish(data)

    def messages(self) -> AsyncIterator[Any]:
        """What the listener dispatches; the channel's raw messages by default."""
        return self.redis_messages()

    def redis_messages(self) -> AsyncIterator[Any]:
        """The channel's raw messages, with python-socketio's reconnect on failure."""
        listen: AsyncIterator[Any] = super()._listen()
        return listen

    def use_redis_client(self, client: Any) -> list[Any]:
        """Publish and listen on ``client`` from now on; returns the clients it replaces."""
        replaced = [c for c in (getattr(self, "pubsub", None), getattr(self, "redis", None)) if c]
        self.redis = client
        self.pubsub = client.pubsub(ignore_subscribe_messages=True)
        self.connected = True
        return replaced

    @property
    def process_id(self) -> str:
        """This process's id in published messages (``host_id``): its own are skipped."""
        host_id: str = self.host_id
        return host_id

    def decode_message(self, raw: Any) -> Any:
        """A raw channel message decoded with the manager's JSON module; ValueError if not."""
        return self.json.loads(raw)
