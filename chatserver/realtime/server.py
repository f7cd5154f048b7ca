"""Socket.IO server set-up: namespaces, origin allow-list, scale-out manager."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any

import socketio
from aiohttp import web

from chatserver import keys
from chatserver.chat.notify import STAFF, STAFF_CHANGED, VISITOR
from chatserver.chat.services import Services
from chatserver.realtime import libcompat
from chatserver.realtime.events import events_of
from chatserver.realtime.jsoncodec import PacketJson
from chatserver.realtime.manager import InlineAsyncManager
from chatserver.realtime.packets import StrictServer
from chatserver.realtime.redis_manager import ReconnectingRedisManager
from chatserver.realtime.staff import StaffNamespace
from chatserver.realtime.transport import with_checked_transport
from chatserver.realtime.visitor import VisitorNamespace
from chatserver.schema import MAX_MESSAGE_CHARS
from nabij.settings import Settings

logger = logging.getLogger(__name__)

#: How long shutdown waits for sockets to say goodbye before it goes on regardless.
SOCKET_CLOSE_TIMEOUT_S = 2.0

#: Largest Socket.IO/Engine.IO packet accepted: a full message plus JSON overhead.
MAX_PACKET_BYTES = 4 * MAX_MESSAGE_CHARS + 4096


def create_sio(settings: Settings) -> socketio.AsyncServer:
    """The Socket.IO server; with a Redis URL, events cross processes through Redis.

    ``logger`` and ``engineio_logger`` stay off: python-socketio would log raw payloads,
    and message content must never reach a log.
    """
    manager: socketio.AsyncManager = InlineAsyncManager()
    if settings.redis_url:
        manager = ReconnectingRedisManager(
            settings.redis_url,
            channel=f"{settings.redis_prefix}socketio",
            pool_size=settings.redis_pool_size,
        )
    sio = StrictServer(
        async_mode="aiohttp",
        client_manager=manager,
        cors_allowed_origins=settings.allowed_origins,
        logger=False,
        engineio_logger=False,
        max_http_buffer_size=MAX_PACKET_BYTES,
        json=PacketJson,
    )
    with_checked_transport(sio.eio)
    libcompat.refuse_gone_sessions(sio.eio)
    return sio


def setup_socketio(app: web.Application, sio: socketio.AsyncServer, services: Services) -> None:
    """Attach the server to the app and register both namespaces with their declared events."""
    staff = StaffNamespace(services, events_of(STAFF))
    sio.register_namespace(VisitorNamespace(services, events_of(VISITOR)))
    sio.register_namespace(staff)
    app[keys.staff_access_key] = staff.access
    if isinstance(sio.manager, ReconnectingRedisManager):
        sio.manager.on_nudge(STAFF_CHANGED, staff.access.changed_elsewhere)
    sio.attach(app, socketio_path="socket.io")


async def close_socketio(sio: socketio.AsyncServer) -> None:
    """Disconnect clients and stop the Redis listener task (a leaked task outlives the app)."""
    with suppress(Exception):
        await sio.shutdown()
    manager = sio.manager
    if isinstance(manager, ReconnectingRedisManager):
        # Bounded: a Redis that hangs (there is no socket timeout) must not stop shutdown.
        with suppress(TimeoutError):
            await asyncio.wait_for(manager.flush(), SOCKET_CLOSE_TIMEOUT_S)
    thread = libcompat.listener_task(manager)
    if thread is not None:
        thread.cancel()
        with suppress(asyncio.CancelledError):
            await thread
    redis = libcompat.redis_client(manager)
    if redis is not None:
        await redis.aclose()


def socketio_ctx(sio: socketio.AsyncServer) -> Any:
    """Close every socket when shutdown begins (aiohttp would wait for them), then the server."""

    async def disconnect_all(_app: web.Application) -> None:
        # Bounded: a socket whose peer vanished mid-close never drains its send queue,
        # and engineio's close() would wait for it forever.
        closing = [socket.close() for socket in libcompat.engine_sockets(sio.eio)]
        if closing:
            with suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*closing), SOCKET_CLOSE_TIMEOUT_S)
        logger.info("sockets closed count=%d", len(closing))

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        app.on_shutdown.append(disconnect_all)
        yield
        await close_socketio(sio)

    return ctx
