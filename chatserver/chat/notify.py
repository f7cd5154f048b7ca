"""Every server→client event goes out from here: pick the recipients, then emit.

Rooms: ``/visitor`` has ``conv:{id}`` (the visitor's sockets); ``/staff`` has
``expert:{id}`` (all consoles of one expert), ``staff`` (everyone signed in),
``coordinators`` (coordinators and admins, who receive alerts and their closing) and
``watch:{id}`` (the coordinators reading along with one conversation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager

from chatserver.chat.waitestimate import WaitEstimate, wait_fields
from chatserver.chat.wire import (
    message_payload,
    sender_payload,
    staff_chat_payload,
    waiting_payload,
)
from chatserver.live.models import Alert, Conversation, Message
from chatserver.realtime.libcompat import namespace_rooms, room_members
from chatserver.realtime.redis_manager import ReconnectingRedisManager

VISITOR = "/visitor"
STAFF = "/staff"
#: The nudge topic of a changed staff account (chatserver/realtime/staffaccess.py).
STAFF_CHANGED = "staff_changed"


def conversation_room(conversation_id: str) -> str:
    """The ``/visitor`` room of one conversation."""
    return f"conv:{conversation_id}"


def expert_room(expert_id: int) -> str:
    """The ``/staff`` room of all consoles of one expert."""
    return f"expert:{expert_id}"


def watch_room(conversation_id: str) -> str:
    """The ``/staff`` room of the coordinators reading along with one conversation."""
    return f"watch:{conversation_id}"


class Notifier:
    """Emits events; holds no state but the Socket.IO server."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio
        #: With a pub/sub manager (Redis) a room's members may be on other processes.
        self._rooms_elsewhere = isinstance(sio.manager, AsyncPubSubManager)

    async def _emit(
        self, event: str, data: dict[str, Any], room: str, namespace: str, skip_sid: str | None
    ) -> None:
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

    async def _to_visitor(
        self, conversation_id: str, event: str, data: dict[str, Any], skip_sid: str | None = None
    ) -> None:
        await self._emit(event, data, conversation_room(conversation_id), VISITOR, skip_sid)

    async def _to_expert(
        self, expert_id: int, event: str, data: dict[str, Any], skip_sid: str | None = None
    ) -> None:
        await self._emit(event, data, expert_room(expert_id), STAFF, skip_sid)

    async def notify_conversation_queued(
        self, conversation_id: str, position: int, wait: WaitEstimate | None
    ) -> None:
        """Tell a waiting visitor their place in the queue and the likely wait, if known."""
        payload = {"position": position, **wait_fields(wait)}
        await self._to_visitor(conversation_id, "chat:queued", payload)

    async def notify_queue_changed(
        self, waiting: list[Conversation], *, coordinators_only: bool = False
    ) -> None:
        """Show every signed-in console who is waiting (coordinators: also a cue that the
        running chats changed, for their overview)."""
        payload = {"waiting": [waiting_payload(c) for c in waiting]}
        room = "coordinators" if coordinators_only else "staff"
        await self.sio.emit("queue:update", payload, to=room, namespace=STAFF)

    async def notify_conversation_assigned(
        self,
        conversation: Conversation,
        messages: list[Message],
        names: Mapping[int, str] | None = None,
        **extra: Any,
    ) -> None:
        """Tell the visitor who they talk to and give the expert the chat so far.

        ``names``: the display names of the experts who wrote ``messages``.
        """
        assert conversation.expert_id is not None
        visitor = {"expert": {"display_name": conversation.expert_name}}
        await self._to_visitor(conversation.id, "chat:assigned", visitor)
        staff = {**staff_chat_payload(conversation, messages, names), **extra}
        await self._to_expert(conversation.expert_id, "chat:assigned", staff)

    async def notify_conversation_released(
        self, expert_id: int, conversation_id: str, reason: str
    ) -> None:
        """Tell an expert's consoles that a chat left them (it was transferred)."""
        payload = {"conversation_id": conversation_id, "reason": reason}
        await self._to_expert(expert_id, "chat:released", payload)

    async def notify_message_new(
        self, conversation: Conversation, message: Message, skip_sid: str | None
    ) -> None:
        """Deliver a stored message to both sides (the sending socket has it through its ack).

        The consoles learn which expert wrote it: the one holding the chat right after the
        append (``conversation``) is the sender, but for a transfer racing the send.
        """
        payload = message_payload(message)
        await self._to_visitor(conversation.id, "message:new", payload, skip_sid)
        if conversation.expert_id is not None and conversation.state == "active":
            staff = {**payload, "conversation_id": conversation.id}
            if message.sender == "expert":
                name = conversation.expert_name
                holder = {conversation.expert_id: name} if name is not None else {}
                staff["expert"] = sender_payload(message, holder)
            await self._to_expert(conversation.expert_id, "message:new", staff, skip_sid)
            await self._to_watchers(conversation.id, "message:new", staff, skip_sid)

    async def _to_watchers(
        self, conversation_id: str, event: str, data: dict[str, Any], skip_sid: str | None = None
    ) -> None:
        await self._emit(event, data, watch_room(conversation_id), STAFF, skip_sid)

    async def notify_typing_to_expert(self, conversation: Conversation, is_typing: bool) -> None:
        """Show the expert that the visitor is typing."""
        if conversation.expert_id is not None:
            payload = {"conversation_id": conversation.id, "is_typing": is_typing}
            await self._to_expert(conversation.expert_id, "typing", payload)

    async def notify_typing_to_visitor(self, conversation_id: str, is_typing: bool) -> None:
        """Show the visitor that the expert is typing."""
        await self._to_visitor(conversation_id, "typing", {"is_typing": is_typing})

    async def notify_conversation_ended(self, conversation: Conversation) -> None:
        """Tell both sides the conversation ended, by whom and why."""
        payload = {"by": conversation.ended_by, "reason": conversation.end_reason}
        await self._to_visitor(conversation.id, "chat:ended", payload)
        if conversation.expert_id is not None:
            staff = {**payload, "conversation_id": conversation.id}
            await self._to_expert(conversation.expert_id, "chat:ended", staff)
            await self._to_watchers(conversation.id, "chat:ended", staff)

    async def notify_registration_pending(self, expert_id: int, payload: dict[str, Any]) -> None:
        """Open the registration form of a chat that just ended on the expert's consoles."""
        await self._to_expert(expert_id, "registration:pending", payload)

    async def notify_alert_raised(self, payload: dict[str, Any]) -> None:
        """Reach the coordinators and mentors signed in now."""
        await self.sio.emit("alert:new", payload, to="coordinators", namespace=STAFF)

    async def notify_alert_acked(self, alert: Alert, by_name: str) -> None:
        """Close the alert on every coordinator's list; tell its expert who picked it up."""
        by = {"display_name": by_name}
        closed = {"alert_id": alert.alert_id, "by": by}
        await self.sio.emit("alert:closed", closed, to="coordinators", namespace=STAFF)
        acked = {"alert_id": alert.alert_id, "conversation_id": alert.conversation_id, "by": by}
        await self._to_expert(alert.expert_id, "alert:acked", acked)

    async def notify_quick_replies_changed(self) -> None:
        """Tell every open console to load the quick replies again (added or deleted)."""
        await self.sio.emit("quickreplies:changed", {}, to="staff", namespace=STAFF)

    async def notify_signed_out(self, expert_id: int) -> None:
        """Tell every console of ``expert_id`` that its session has ended (deactivated)."""
        payload = {"reason": "deactivated"}
        await self.sio.emit("session:ended", payload, to=expert_room(expert_id), namespace=STAFF)

    async def notify_presence_changed(self, expert_id: int, available: bool) -> None:
        """Show every console of the expert their availability (several tabs agree)."""
        await self._to_expert(expert_id, "presence:changed", {"available": available})

    def local_conversations(self) -> list[str]:
        """The conversations with a visitor socket on this process (rooms are per process)."""
        rooms = namespace_rooms(self.sio.manager, VISITOR)
        # python-socketio keeps every socket in the room None too, and one per sid.
        return [
            room[5:]
            for room, members in rooms.items()
            if isinstance(room, str) and room.startswith("conv:") and members
        ]

    def local_consoles(self) -> list[str]:
        """The ``/staff`` sockets of this process."""
        return list(room_members(self.sio.manager, STAFF, "staff"))

    async def notify_conversation_lost(self, conversation_id: str) -> None:
        """The live store lost the conversation (Redis lost its data): the visitor starts anew."""
        payload = {"by": "system", "reason": "lost"}
        await self._to_visitor(conversation_id, "chat:ended", payload)

    async def notify_session_changed(self, sid: str, user: dict[str, Any]) -> None:
        """Tell one console that its account changed (role, name, focus, capacity)."""
        await self.sio.emit("session:changed", {"user": user}, to=sid, namespace=STAFF)

    async def notify_session_ended(self, sid: str, reason: str) -> None:
        """Tell one console it is signed out (``signed_out``) or deactivated."""
        await self.sio.emit("session:ended", {"reason": reason}, to=sid, namespace=STAFF)

    async def notify_staff_changed(self, user_id: int) -> None:
        """Nudge the other processes to check the consoles of a changed staff account."""
        manager = self.sio.manager
        if isinstance(manager, ReconnectingRedisManager):
            await manager.nudge(STAFF_CHANGED, user_id)

    async def notify_resync(self, sid: str) -> None:
        """Ask one console to resync (``chats:sync``): chats missing from it have ended."""
        await self.sio.emit("chats:resync", {}, to=sid, namespace=STAFF)
