"""Every server→client event goes out from here: pick the recipients, then emit.

Staff events go to the ``/staff`` rooms (chat/rooms.py). Whatever is for the visitor goes
through the conversation's channel (chat/channels.py), the only part that knows how its
visitor is reached: for the widget, the ``/visitor`` room ``conv:{id}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import socketio

from chatserver.chat.channels import Assigned, Channels, Queued, Typing, WebChannel
from chatserver.chat.rooms import (
    STAFF,
    VISITOR,
    RoomEmitter,
    conversation_room,
    expert_room,
    watch_room,
)
from chatserver.chat.waitestimate import WaitEstimate
from chatserver.chat.wire import (
    message_payload,
    sender_payload,
    staff_chat_payload,
    waiting_payload,
)
from chatserver.live.models import Alert, Conversation, Message
from chatserver.realtime.libcompat import room_members
from chatserver.realtime.redis_manager import ReconnectingRedisManager

# The room names stay importable from here, where the namespaces have always found them.
__all__ = [
    "STAFF",
    "STAFF_CHANGED",
    "VISITOR",
    "Notifier",
    "conversation_room",
    "expert_room",
    "watch_room",
]

#: The nudge topic of a changed staff account (chatserver/realtime/staffaccess.py).
STAFF_CHANGED = "staff_changed"


class Notifier:
    """Emits events; holds no state but the Socket.IO server and the visitor channels."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio
        self._rooms = RoomEmitter(sio)
        #: The visitor side of every conversation: the widget's room, or another channel.
        self.channels = Channels(WebChannel(self._rooms))

    async def _to_expert(
        self, expert_id: int, event: str, data: dict[str, Any], skip_sid: str | None = None
    ) -> None:
        await self._rooms.emit(event, data, expert_room(expert_id), STAFF, skip_sid)

    async def notify_conversation_queued(
        self, conversation: Conversation, position: int, wait: WaitEstimate | None
    ) -> None:
        """Tell a waiting visitor their place in the queue and the likely wait, if known."""
        state = Queued(position, wait)
        await self.channels.of(conversation).deliver_state(conversation, state)

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

        ``names``: the display names of the experts who wrote ``messages``. ``extra`` goes
        to the expert's ``chat:assigned``; with ``transferred_from`` (a transfer, a take-over)
        the visitor's channel learns that the chat was handed over.
        """
        assert conversation.expert_id is not None
        state = Assigned(conversation.expert_name, handed_over="transferred_from" in extra)
        await self.channels.of(conversation).deliver_state(conversation, state)
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
        channel = self.channels.of(conversation)
        await channel.deliver_message(conversation, message, skip_sid)
        if conversation.expert_id is not None and conversation.state == "active":
            staff = message_payload(message, conversation.id)
            if message.sender == "expert":
                name = conversation.expert_name
                holder = {conversation.expert_id: name} if name is not None else {}
                staff["expert"] = sender_payload(message, holder)
            await self._to_expert(conversation.expert_id, "message:new", staff, skip_sid)
            await self._to_watchers(conversation.id, "message:new", staff, skip_sid)

    async def _to_watchers(
        self, conversation_id: str, event: str, data: dict[str, Any], skip_sid: str | None = None
    ) -> None:
        await self._rooms.emit(event, data, watch_room(conversation_id), STAFF, skip_sid)

    async def notify_typing_to_expert(self, conversation: Conversation, is_typing: bool) -> None:
        """Show the expert that the visitor is typing."""
        if conversation.expert_id is not None:
            payload = {"conversation_id": conversation.id, "is_typing": is_typing}
            await self._to_expert(conversation.expert_id, "typing", payload)

    async def notify_typing_to_visitor(self, conversation: Conversation, is_typing: bool) -> None:
        """Show the visitor that the expert is typing."""
        await self.channels.of(conversation).deliver_state(conversation, Typing(is_typing))

    async def notify_conversation_ended(self, conversation: Conversation) -> None:
        """Tell both sides the conversation ended, by whom and why."""
        await self.channels.of(conversation).deliver_ending(conversation)
        if conversation.expert_id is not None:
            payload = {"by": conversation.ended_by, "reason": conversation.end_reason}
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
        return self.channels.web.local_conversations()

    def local_consoles(self) -> list[str]:
        """The ``/staff`` sockets of this process."""
        return list(room_members(self.sio.manager, STAFF, "staff"))

    async def notify_conversation_lost(self, conversation_id: str) -> None:
        """The live store lost the conversation (Redis lost its data): the visitor starts anew."""
        await self.channels.web.deliver_lost(conversation_id)

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
