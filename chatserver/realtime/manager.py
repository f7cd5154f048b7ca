"""The client manager of a single process: emits without a task per recipient."""

from __future__ import annotations

import logging
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

logger = logging.getLogger(__name__)


class InlineAsyncManager(socketio.AsyncManager):  # type: ignore[misc]
    """``AsyncManager`` whose ``emit`` sends to each recipient in turn.

    python-socketio's ``emit`` starts one task per recipient and waits for them all. An
    Engine.IO send only puts the packet on the socket's queue (its writer task does the
    network write), so those tasks buy no concurrency, while making and awaiting them cost
    about as much as the rest of the emit (relay profile, docs/performance.md). The packet
    is encoded once, as in the original; an emit with a callback takes the original path.
    """

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: str | None = None,
        skip_sid: str | list[str] | None = None,
        callback: Any = None,
        to: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Send ``event`` to every socket of ``room`` (or ``to``) but ``skip_sid``."""
        if callback is not None or namespace not in self.get_namespaces():
            await super().emit(
                event, data, namespace, room, skip_sid, callback=callback, to=to, **kwargs
            )
            return
        skipped = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        packets: list[eio_packet.Packet] | None = None
        for sid, eio_sid in self.get_participants(namespace, to or room):
            if sid in skipped:
                continue
            if packets is None:
                packets = self._encode(event, data, namespace)
            for pkt in packets:
                await self._send(eio_sid, pkt, event)

    def _encode(self, event: str, data: Any, namespace: str) -> list[eio_packet.Packet]:
        """The Engine.IO packets of one event, as ``AsyncManager.emit`` builds them."""
        # As in python-socketio: a tuple is several arguments, None is none.
        args = [] if data is None else list(data) if isinstance(data, tuple) else [data]
        pkt = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *args])
        encoded = pkt.encode()
        parts = encoded if isinstance(encoded, list) else [encoded]
        return [eio_packet.Packet(eio_packet.MESSAGE, part) for part in parts]

    async def _send(self, eio_sid: str, pkt: eio_packet.Packet, event: str) -> None:
        """Queue one packet; a socket that fails must not keep the others from theirs."""
        try:
            await self.server.eio.send_packet(eio_sid, pkt)
        except Exception as exc:
            logger.warning("emit failed event=%s error=%s", event, type(exc).__name__)
