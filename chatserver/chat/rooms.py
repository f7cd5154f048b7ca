"""Socket.IO room names, and the one emit helper that skips rooms that reach nobody.

Rooms: ``/visitor`` has ``conv:{id}`` (the visitor's sockets); ``/staff`` has
``expert:{id}`` (all consoles of one expert), ``staff`` (everyone signed in),
``coordinators`` (coordinators and admins, who receive alerts and their closing) and
``watch:{id}`` (the coordinators reading along with one conversation).

Shared by the staff side (chat/notify.py) and the web channel (chat/channels/web.py), so
that neither imports the other.
"""

from __future__ import annotations

from typing import Any

import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager

from chatserver.realtime.libcompat import room_members

VISITOR = "/visitor"
STAFF = "/staff"


def conversation_room(conversation_id: str) -> str:
    """The ``/visitor`` room of one conversation."""
    return f"conv:{conversation_id}"


def expert_room(expert_id: int) -> str:
    """The ``/staff`` room of all consoles of one expert."""
    return f"expert:{expert_id}"


def watch_room(conversation_id: str) -> str:
    """The ``/staff`` room of the coordinators reading along with one conversation."""
    return f"watch:{conversation_id}"


class RoomEmitter:
    """Emits to one room, unless that room can reach nobody (holds no state but the server)."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio
        #: With a pub/sub manager (Redis) a room's members may be on other processes.
        self._rooms_elsewhere = isinstance(sio.manager, AsyncPubSubManager)

    async def emit(
        self, event: str, data: dict[str, Any], room: str, namespace: str, skip_sid: str | None
    ) -> None:
        """Emit ``event`` to ``room`` but ``skip_sid``, when it may reach anyone."""
        if self._may_reach(room, namespace, skip_sid):
            await self.sio.emit(event, data, to=room, namespace=namespace, skip_sid=skip_sid)

    def _may_reach(self, room: str, namespace: str, skip_sid: str | None) -> bool:
        """Whether ``room`` may hold a socket other than ``skip_sid``.

        python-socketio builds and encodes a packet even for an empty room; of the three
        emits of a relayed message two usually reach nobody (the sender's own room, the
        watchers of an unwatched chat). With one process every socket is in this process's
        rooms, so those emits are skipped; with a pub/sub manager they always go out. The
        room's members are read, not copied as ``get_participants`` would: nothing awaits
        while they are looked at.
        """
        if self._rooms_elsewhere:
            return True
        members = room_members(self.sio.manager, namespace, room)
        return bool(members) and (len(members) > 1 or skip_sid not in members)
