"""The one decode of Socket.IO packets from clients: strict, and never an exception.

python-socketio's own decode lets malformed input through to places that raise in a task
nobody awaits: ``42/visitor,1[{},{}]`` (an event name that is an object) ends in "Task
exception was never retrieved", ``42/visitor,1[]`` in an ``IndexError``, bad or hostile
JSON in an engineio traceback, and none of them gets an ack. Here a packet is either what
the protocol allows or it is *malformed*: an event then reaches the namespace as the
event ``MALFORMED`` (answered ``invalid`` through the ack, when the packet had an ack id),
a connect is refused with ``invalid``, and anything else is dropped with an info line
(no payload in it). Nabij sends and takes no binary attachments, so binary packets are
malformed too.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from socketio import packet as sio_packet

from chatserver.realtime.libcompat import PacketHookServer

logger = logging.getLogger(__name__)

#: The event name a malformed event packet is delivered as: no client can send it, as
#: an event name must be letters and colons (chatserver/realtime/base.py).
MALFORMED = "\x00malformed"
#: An ack id is at most this many ASCII digits (python-socketio's own limit is 100).
MAX_ACK_ID_DIGITS = 15
_DIGITS = frozenset("0123456789")
_CLIENT_TYPES = (sio_packet.CONNECT, sio_packet.DISCONNECT, sio_packet.EVENT, sio_packet.ACK)


class StrictPacket(socketio.packet.Packet):  # type: ignore[misc]
    """A Socket.IO packet whose ``decode`` sets ``malformed`` instead of raising."""

    malformed: str | None = None
    namespace: str | None
    id: int | None

    @classmethod
    def from_client(cls, encoded_packet: Any) -> StrictPacket:
        """Decode what a client sent (the constructor skips ``decode`` for an empty text)."""
        pkt = cls(packet_type=-1)
        pkt.decode(encoded_packet)
        return pkt

    def decode(self, encoded_packet: Any) -> int:
        """Read ``encoded_packet``; on anything outside the protocol set ``malformed``."""
        self.namespace, self.id, self.data, self.malformed = None, None, None, None
        self.packet_type = -1
        if not isinstance(encoded_packet, str) or not encoded_packet:
            self.malformed = "not a text packet"
            return 0
        try:
            self._decode_text(encoded_packet)
        except ValueError as exc:  # strictjson.JSONRejected included
            self.malformed = str(exc)
        else:
            self.malformed = _shape_problem(self.packet_type, self.data)
        if self.malformed is not None and self.packet_type == sio_packet.EVENT:
            self.data = [MALFORMED]
        return 0

    def _decode_text(self, text: str) -> None:
        kind, rest = text[0], text[1:]
        if kind not in _DIGITS or int(kind) not in _CLIENT_TYPES:
            raise ValueError("not a packet type a client sends")
        self.packet_type = int(kind)
        if rest.startswith("/"):
            namespace, comma, rest = rest.partition(",")
            self.namespace = namespace.partition("?")[0]
            if not comma:
                rest = ""
        digits = len(rest) - len(rest.lstrip("0123456789"))
        if digits > MAX_ACK_ID_DIGITS:
            raise ValueError("ack id too long")
        if digits:
            self.id, rest = int(rest[:digits]), rest[digits:]
        if rest:
            self.data = self.json.loads(rest)


def _shape_problem(packet_type: int, data: Any) -> str | None:
    """What is wrong with a decoded packet's data for its type, or None."""
    if packet_type == sio_packet.EVENT:
        if not isinstance(data, list) or not data:
            return "an event is a non-empty array"
        if not isinstance(data[0], str):
            return "an event name is a string"
    if packet_type == sio_packet.CONNECT and data is not None and not isinstance(data, dict):
        return "connect data is an object"
    return None


class StrictServer(PacketHookServer):
    """python-socketio's server, reading client packets only through StrictPacket.

    The hook it overrides stands in for a private method of python-socketio
    (chatserver/realtime/libcompat.py); tests/test_libcompat.py checks that it is called
    and tests/test_fuzz.py sends every kind of packet through it.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(serializer=StrictPacket, **kwargs)

    async def handle_client_packet(self, eio_sid: str, data: Any) -> None:
        """Dispatch one client packet; malformed ones are answered or dropped, never raised."""
        pkt = StrictPacket.from_client(data)
        if pkt.packet_type == sio_packet.EVENT:
            await self.dispatch_event(eio_sid, pkt.namespace, pkt.id, pkt.data)
        elif pkt.malformed is not None:
            await self._refuse_malformed(eio_sid, pkt)
        elif pkt.packet_type == sio_packet.CONNECT:
            await self.dispatch_connect(eio_sid, pkt.namespace, pkt.data)
        elif pkt.packet_type == sio_packet.DISCONNECT:
            await self.dispatch_disconnect(eio_sid, pkt.namespace)
        else:
            await self.dispatch_ack(eio_sid, pkt.namespace, pkt.id, pkt.data)

    async def _refuse_malformed(self, eio_sid: str, pkt: StrictPacket) -> None:
        logger.info("malformed packet dropped type=%s reason=%s", pkt.packet_type, pkt.malformed)
        if pkt.packet_type == sio_packet.CONNECT:
            message = "The connect packet is malformed."
            refusal = {"message": message, "data": {"code": "invalid", "message": message}}
            await self.send_socketio_packet(
                eio_sid,
                self.packet_class(
                    sio_packet.CONNECT_ERROR, data=refusal, namespace=pkt.namespace or "/"
                ),
            )
