"""Engine.IO's aiohttp transport: no websocket compression, only well-formed Engine.IO packets.

python-engineio's aiohttp driver accepts the compression every browser offers, and aiohttp
then keeps a zlib compressor per socket and deflates every frame: 139.5 KB of server memory
per idle browser socket instead of 34.5 KB (docs/performance.md), and CPU on every message,
for chat frames of a few hundred bytes. Compressing secrets together with text an attacker
can choose is also what CRIME-style attacks need. So Nabij's websockets are never compressed.

python-engineio also decodes a packet type it does not know (``9``), a frame that is not a
digit (``x``), an empty frame or bad base64 (``b!``) into an exception it logs with a
traceback, on the websocket outside any handler. Here each frame, and each packet of a
long-polling body, is checked first: a bad websocket frame is dropped, a bad polling body is
the client's error (HTTP 400, the session closed), and neither is ever logged with its bytes.
"""

from __future__ import annotations

import logging
from typing import Any

import engineio.async_drivers.aiohttp as engineio_aiohttp
from aiohttp.web import WebSocketResponse
from engineio.exceptions import EngineIOError
from engineio.payload import Payload

logger = logging.getLogger(__name__)

#: The Engine.IO packet types a client sends (CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP).
CLIENT_PACKET_TYPES = frozenset("123456")
#: Engine.IO's packet separator in a long-polling body.
SEPARATOR = "\x1e"


def is_engine_packet(frame: str | bytes) -> bool:
    """Whether ``frame`` is an Engine.IO packet engineio reads without raising.

    Binary frames are let through (Socket.IO drops them: chatserver/realtime/packets.py);
    text must start with a client packet type, so no base64 (``b``) and no empty frame.
    """
    return isinstance(frame, bytes) or frame[:1] in CLIENT_PACKET_TYPES


class MalformedPayload(EngineIOError):  # type: ignore[misc]
    """A long-polling body that is not Engine.IO packets; engineio answers 400."""


class CheckedBody:
    """A polling request's body stream that refuses a malformed payload on ``read``."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def read(self, length: int = -1) -> bytes:
        """The body, once it is UTF-8 holding at most 16 well-formed packets."""
        body: bytes = await self._stream.read(length)
        try:
            packets = body.decode("utf-8").split(SEPARATOR)
        except UnicodeDecodeError:
            raise MalformedPayload("not UTF-8") from None
        if len(packets) > Payload.max_decode_packets or not all(
            packet and is_engine_packet(packet) for packet in packets
        ):
            logger.info("malformed polling payload refused packets=%d", len(packets))
            raise MalformedPayload("not Engine.IO packets")
        return body


def checked_translate_request(request: Any) -> dict[str, Any]:
    """The driver's environ, with the body read through CheckedBody."""
    environ: dict[str, Any] = engineio_aiohttp.translate_request(request)
    environ["wsgi.input"] = CheckedBody(environ["wsgi.input"])
    return environ


class UncompressedWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """The driver's websocket, without compression, dropping frames engineio cannot read."""

    async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse:
        request = environ["aiohttp.request"]
        self._sock = WebSocketResponse(
            max_msg_size=self.server.max_http_buffer_size, compress=False
        )
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock

    async def wait(self) -> str | bytes:
        """The next frame that is an Engine.IO packet (the driver raises OSError at close)."""
        while True:
            frame: str | bytes = await super().wait()
            if is_engine_packet(frame):
                return frame
            logger.info("malformed websocket frame dropped length=%d", len(frame))


def with_checked_transport(eio: Any) -> None:
    """Make this Engine.IO server (not the driver module every server shares) use both."""
    eio._async = {
        **eio._async,
        "websocket": UncompressedWebSocket,
        "translate_request": checked_translate_request,
    }
