"""One client interface over Socket.IO (Nabij, the python-socketio baseline) and raw websockets.

Both speak the same events and payloads, so the load generator is the same for every server:
``emit(event, data, callback)``, ``call(event, data)`` (await the ack) and ``on(event, fn)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any, Protocol

import aiohttp
import socketio

Handler = Callable[[Any], None]
CONNECT_TIMEOUT_S = 10.0


class Conn(Protocol):
    """A connected client."""

    def on(self, event: str, handler: Handler) -> None: ...
    def emit(self, event: str, data: Any, callback: Handler | None = None) -> None: ...
    async def call(self, event: str, data: Any, timeout: float = 10.0) -> Any: ...
    async def close(self) -> None: ...


class SioConn:
    """A python-socketio AsyncClient on one namespace, websocket transport only."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.client = socketio.AsyncClient(reconnection=False)
        self._tasks: set[asyncio.Task[None]] = set()

    async def connect(
        self, url: str, headers: dict[str, str] | None = None, auth: Any = None
    ) -> SioConn:
        await self.client.connect(
            url,
            namespaces=[self.namespace],
            transports=["websocket"],
            headers=headers or {},
            auth=auth,
            wait_timeout=CONNECT_TIMEOUT_S,
        )
        return self

    def on(self, event: str, handler: Handler) -> None:
        def wrapped(data: Any = None) -> None:
            handler(data)

        self.client.on(event, wrapped, namespace=self.namespace)

    def emit(self, event: str, data: Any, callback: Handler | None = None) -> None:
        task = asyncio.ensure_future(
            self.client.emit(event, data, namespace=self.namespace, callback=callback)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def call(self, event: str, data: Any, timeout: float = 10.0) -> Any:
        return await self.client.call(event, data, namespace=self.namespace, timeout=timeout)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.disconnect(), 5)


class WsConn:
    """A raw aiohttp websocket: JSON frames ``[event, data, ack_id]``; acks ``["ack", id, x]``."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._acks: dict[int, Handler] = {}
        self._next = 0
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(self, url: str, auth: dict[str, Any]) -> WsConn:
        self._session = aiohttp.ClientSession()
        self._ws = await asyncio.wait_for(self._session.ws_connect(f"{url}/ws"), CONNECT_TIMEOUT_S)
        await self._ws.send_str(json.dumps(["hello", auth, None]))
        self._reader = asyncio.ensure_future(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for frame in self._ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            event, data, extra = json.loads(frame.data)
            if event == "ack":
                callback = self._acks.pop(data, None)
                if callback is not None:
                    callback(extra)
            elif (handler := self._handlers.get(event)) is not None:
                handler(data)

    def on(self, event: str, handler: Handler) -> None:
        self._handlers[event] = handler

    def emit(self, event: str, data: Any, callback: Handler | None = None) -> None:
        assert self._ws is not None
        ack_id = None
        if callback is not None:
            self._next += 1
            ack_id = self._next
            self._acks[ack_id] = callback
        task = asyncio.ensure_future(self._ws.send_str(json.dumps([event, data, ack_id])))
        task.add_done_callback(lambda t: t.exception())

    async def call(self, event: str, data: Any, timeout: float = 10.0) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def settle(ack: Any) -> None:
            if not future.done():
                future.set_result(ack)

        self.emit(event, data, settle)
        return await asyncio.wait_for(future, timeout)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            if self._ws is not None:
                await asyncio.wait_for(self._ws.close(), 5)
        if self._reader is not None:
            self._reader.cancel()
        if self._session is not None:
            await self._session.close()
