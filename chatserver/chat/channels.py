"""The visitor's side of a conversation, whatever carries it (DESIGN.md "Channels").

The service layer speaks to "the visitor of conversation X" through a ``VisitorChannel``
picked by the conversation's ``channel`` (``Channels.of``); only a channel knows how its
visitor is reached. Today there is one: ``WebChannel``, the widget's Socket.IO room. The
seam and what the message box and WhatsApp need from it: docs/architecture.md "Channels".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from chatserver.chat.rooms import VISITOR, RoomEmitter, conversation_room
from chatserver.chat.waitestimate import WaitEstimate, wait_fields
from chatserver.chat.wire import message_payload
from chatserver.live.models import Conversation, Message
from chatserver.realtime.libcompat import namespace_rooms

#: The widget; the channel of every conversation that does not name one.
WEB = "web"


@dataclass(frozen=True)
class Assigned:
    """An expert holds the conversation now: the first one, or another after a hand-over."""

    expert_name: str | None
    #: True when it moved from one expert to another (transfer, take-over).
    handed_over: bool = False


@dataclass(frozen=True)
class Queued:
    """The visitor waits at ``position`` (1: next), with the likely wait when known."""

    position: int
    wait: WaitEstimate | None


@dataclass(frozen=True)
class Typing:
    """The expert started or stopped typing."""

    is_typing: bool


#: A change the visitor may be shown; a channel that cannot show one lets it pass.
VisitorState = Assigned | Queued | Typing


class VisitorChannel(Protocol):
    """How the service reaches the visitor of one conversation.

    Every delivery comes after the store has the change (the ordering rule of
    chat/service.py): the live store is the record, a delivery only tells the visitor.
    A channel returns once the delivery is handed over and keeps any retry to itself.
    """

    async def deliver_message(
        self, conversation: Conversation, message: Message, skip: str | None
    ) -> None:
        """A new message in the conversation, from either side.

        ``skip``: the connection that sent it and has it by its ack (a web socket id), or
        None. The visitor's own messages come here too: the widget shows them in its other
        tabs; a channel whose visitor has one place only leaves them out.
        """

    async def deliver_state(self, conversation: Conversation, state: VisitorState) -> None:
        """A change the visitor may be shown (assigned, place in the queue, typing)."""

    async def deliver_ending(self, conversation: Conversation) -> None:
        """The conversation ended (``ended_by``, ``end_reason`` of ``conversation``)."""


class UnknownChannel(LookupError):
    """A conversation names a channel this process has not registered."""


class Channels:
    """The registry: one channel per name; the web channel always."""

    def __init__(self, web: WebChannel) -> None:
        self.web = web
        self._by_name: dict[str, VisitorChannel] = {WEB: web}

    def register(self, name: str, channel: VisitorChannel) -> None:
        """Serve conversations whose ``channel`` is ``name`` by ``channel`` (once per name)."""
        if name in self._by_name:
            raise ValueError(f"channel {name!r} is registered already")
        self._by_name[name] = channel

    def of(self, conversation: Conversation) -> VisitorChannel:
        """The channel of ``conversation``'s visitor; UnknownChannel when none is registered."""
        try:
            return self._by_name[conversation.channel]
        except KeyError:
            raise UnknownChannel(f"no channel {conversation.channel!r}") from None


class WebChannel:
    """The widget: the conversation's ``/visitor`` room, the events of docs/protocol.md."""

    def __init__(self, rooms: RoomEmitter) -> None:
        self._rooms = rooms

    async def deliver_message(
        self, conversation: Conversation, message: Message, skip: str | None
    ) -> None:
        payload = message_payload(message)
        await self._rooms.emit(
            "message:new", payload, conversation_room(conversation.id), VISITOR, skip
        )

    async def deliver_state(self, conversation: Conversation, state: VisitorState) -> None:
        payload: dict[str, Any]
        if isinstance(state, Assigned):
            event, payload = "chat:assigned", {"expert": {"display_name": state.expert_name}}
        elif isinstance(state, Queued):
            event, payload = "chat:queued", {"position": state.position, **wait_fields(state.wait)}
        else:
            event, payload = "typing", {"is_typing": state.is_typing}
        await self._rooms.emit(event, payload, conversation_room(conversation.id), VISITOR, None)

    async def deliver_ending(self, conversation: Conversation) -> None:
        payload = {"by": conversation.ended_by, "reason": conversation.end_reason}
        await self._rooms.emit(
            "chat:ended", payload, conversation_room(conversation.id), VISITOR, None
        )

    async def deliver_lost(self, conversation_id: str) -> None:
        """The store lost the conversation: its sockets here start anew (``reason: lost``).

        Web only: the store is gone, so only this process's sockets remember the
        conversation (``local_conversations``); no other channel can be found then.
        """
        payload = {"by": "system", "reason": "lost"}
        await self._rooms.emit(
            "chat:ended", payload, conversation_room(conversation_id), VISITOR, None
        )

    def local_conversations(self) -> list[str]:
        """The conversations with a visitor socket on this process (rooms are per process)."""
        rooms = namespace_rooms(self._rooms.sio.manager, VISITOR)
        # python-socketio keeps every socket in the room None too, and one per sid.
        return [
            room[5:]
            for room, members in rooms.items()
            if isinstance(room, str) and room.startswith("conv:") and members
        ]
