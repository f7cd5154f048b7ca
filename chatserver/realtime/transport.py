"""Engine.IO's aiohttp websocket without permessage-deflate.

python-engineio's aiohttp driver accepts the compression every browser offers, and aiohttp
then keeps a zlib compressor per socket and deflates every frame: 139.5 KB of server memory
per idle browser socket instead of 34.5 KB (docs/performance.md), and CPU on every message,
for chat frames of a few hundred bytes. Compressing secrets together with text an attacker
can choose is also what CRIME-style attacks need. So Nabij's websockets are never compressed.
"""

from __future__ import annotations

from typing import Any

import engineio.async_drivers.aiohttp as engineio_aiohttp
from aiohttp.web import WebSocketResponse


class UncompressedWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """The driver's websocket, answering the upgrade without accepting compression."""

    async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse:
        request = environ["aiohttp.request"]
        self._sock = WebSocketResponse(
            max_msg_size=self.server.max_http_buffer_size, compress=False
        )
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock


def without_websocket_compression(eio: Any) -> None:
    """Make this Engine.IO server (not the driver module every server shares) use it."""
    eio._async = {**eio._async, "websocket": UncompressedWebSocket}
