"""Engine.IO's aiohttp transport: no websocket compression, only well-formed Engine.IO packets.

python-engineio's aiohttp driver accepts the compression every browser offers, and aiohttp
then keeps a zlib compressor per socket and deflates every frame: 139.5 KB of server memory
per idle browser socket instead of 34.5 KB (docs/performance.md), and CPU on every message,
for chat frames of a few hundred bytes. Compressing secrets together with text an attacker
can choose is also what CRIME-style attacks need. So Nabij's websockets are never compressed.

python-engineio also decodes a packet type it does not know (``9``), a frame that is not a
digit (``x``), an empty frame or bad base64 (``b!``) into an exception it logs with a
traceback, on the websocket outside any handler. Here each frame, and each packet of a
long-polling body, is checked first: a bad websocket frame is dropped, a bad polling body
ends the session (it is read as a CLOSE packet), and neither is ever logged with its bytes.
(Raising one of engineio's own errors instead would answer 400, but only once a GET polls
the session's queue: the attacker's POST would hang.)
"""

from __future__ import annotations

import logging
from typing import Any

import engineio.async_drivers.aiohttp as engineio_aiohttp
from aiohttp.web import WebSocketResponse
from engineio.payload import Payload

from chatserver.realtime import libcompat

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


#: What a malformed polling body is read as: Engine.IO's CLOSE, which ends the session.
CLOSE_PAYLOAD = b"1"


class CheckedBody:
    """A polling request's body stream that refuses a malformed payload on ``read``."""

    def __init__(self, stream: Any, oversize: bool) -> None:
        self._stream = stream
        self._oversize = oversize

    async def read(self, length: int = -1) -> bytes:
        """The body if it is UTF-8 holding 1 to 16 well-formed packets, else CLOSE_PAYLOAD."""
        body: bytes = b"" if self._oversize else await self._stream.read(length)
        try:
            packets = body.decode("utf-8").split(SEPARATOR)
        except UnicodeDecodeError:
            packets = []
        if 0 < len(packets) <= Payload.max_decode_packets and all(
            packet and is_engine_packet(packet) for packet in packets
        ):
            return body
        logger.info("malformed polling payload closes the session bytes=%d", len(body))
        return CLOSE_PAYLOAD


def checked_translate_request(max_bytes: int) -> Any:
    """The driver's ``translate_request``, with the body read through CheckedBody.

    A body over ``max_bytes`` is never read: engineio would refuse it with an error whose
    answer waits for a GET that drains the session (an attacker's POST would hang), so it
    ends the session like any other malformed body.
    """

    def translate_request(request: Any) -> dict[str, Any]:
        environ: dict[str, Any] = engineio_aiohttp.translate_request(request)
        oversize = (request.content_length or 0) > max_bytes
        if oversize:
            environ["CONTENT_LENGTH"] = str(len(CLOSE_PAYLOAD))
        environ["wsgi.input"] = CheckedBody(environ["wsgi.input"], oversize)
        return environ

    return translate_request


class UncompressedWebSocket(libcompat.DriverWebSocket):
    """The driver's websocket, without compression, dropping frames engineio cannot read."""

    def websocket_response(self) -> WebSocketResponse:
        """An uncompressed response: no zlib state per socket, no CRIME-style oracle."""
        return WebSocketResponse(max_msg_size=self.server.max_http_buffer_size, compress=False)

    async def wait(self) -> str | bytes:
        """The next frame that is an Engine.IO packet (the driver raises OSError at close)."""
        while True:
            frame: str | bytes = await super().wait()
            if is_engine_packet(frame):
                return frame
            logger.info("malformed websocket frame dropped length=%d", len(frame))


def with_checked_transport(eio: Any) -> None:
    """Make this Engine.IO server (not the driver module every server shares) use both."""
    libcompat.install_engine_transport(
        eio, UncompressedWebSocket, checked_translate_request(eio.max_http_buffer_size)
    )
