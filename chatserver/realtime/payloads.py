"""Every socket event's payload and ack, declared once (chatserver/schema.py).

A payload is decoded strictly before its handler runs (realtime/events.py): a wrong type,
a missing or unknown key is ``invalid``, with a message made from the declaration. An ack
is a ``Reply``: ``ok: true`` and then its fields are what the client gets, encoded as the
JSON the widget and the console read. docs/protocol.md's payload tables are generated from
these classes (``python -m chatserver.realtime.protocoldoc``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from chatserver.chat.wire import iso
from chatserver.live.models import Message
from chatserver.schema import (
    NO_NUL,
    AlertId,
    Audience,
    ClientId,
    ConversationId,
    Language,
    MessageBody,
    Note,
    Payload,
    RowId,
)

#: nabij.vocab.SAFETY_ANSWERS: "can you chat safely now?" (DESIGN.md "Safety check").
Safety = Literal["safe", "unsure", "unsafe"]
#: registration/feedback.py's answers: the report mark, HELPED and RECOMMEND.
Mark = Annotated[int, Meta(ge=1, le=10)]
Helped = Literal["yes", "a_bit", "no"]
Recommend = Literal["yes", "no"]
#: How a visitor left: the end button, or the quick exit.
EndReason = Literal["ended", "quick_exit"]
ResumeToken = Annotated[str, Meta(min_length=16, max_length=128, pattern=NO_NUL)]
#: A ``seq`` a client names (the last one it has).
Seq = Annotated[int, Meta(ge=0, le=10**9)]


# -- /visitor ------------------------------------------------------------------------------


class Resume(Payload):
    """The ``auth`` of a visitor socket that resumes: ``{token, last_seq?}``."""

    token: ResumeToken
    last_seq: Seq = 0


class RequestChat(Payload):
    """``chat:request``; ``safety`` is left out when the visitor skipped the question."""

    audience: Audience
    lang: Language = "nl"
    safety: Safety | UnsetType = UNSET

    @property
    def safety_answer(self) -> str | None:
        """The safety answer, or None when skipped."""
        return None if isinstance(self.safety, UnsetType) else self.safety


class SendFeedback(Payload):
    """``feedback:send``: the visitor's verdict; each answer may be left out or null."""

    mark: Mark | None = None
    helped: Helped | None = None
    recommend: Recommend | None = None


class SendVisitorMessage(Payload):
    """``message:send`` of a visitor (the conversation is the socket's own)."""

    client_id: ClientId
    body: MessageBody


class VisitorTyping(Payload):
    """``typing`` of a visitor."""

    is_typing: bool


class EndVisitorChat(Payload):
    """``chat:end`` of a visitor."""

    reason: EndReason = "ended"


# -- /staff --------------------------------------------------------------------------------


class Nothing(Payload):
    """No payload: ``null``, ``{}`` or none at all."""


class SetPresence(Payload):
    """``presence:set``."""

    available: bool


class OneConversation(Payload):
    """An event about one conversation the payload names."""

    conversation_id: ConversationId


class SendStaffMessage(Payload):
    """``message:send`` of an expert."""

    conversation_id: ConversationId
    client_id: ClientId
    body: MessageBody


class StaffTyping(Payload):
    """``typing`` of an expert."""

    conversation_id: ConversationId
    is_typing: bool


class TransferChat(Payload):
    """``chat:transfer``: to a named expert, or (null, left out) the best one free."""

    conversation_id: ConversationId
    to_expert_id: RowId | None = None
    note: Note = ""


class RaiseAlert(Payload):
    """``alert:raise``."""

    conversation_id: ConversationId
    note: Note = ""


class AckAlert(Payload):
    """``alert:ack``."""

    alert_id: AlertId


class BlockVisitor(Payload):
    """``visitor:block``; ``hashed_ip`` blocks the visitor's address too."""

    conversation_id: ConversationId
    hashed_ip: bool = False


# -- acks ----------------------------------------------------------------------------------


class Reply(msgspec.Struct, kw_only=True):
    """An ``ok: true`` ack: ``ok`` first, then the fields a subclass declares (§3.1)."""


class Done(Reply):
    """An ack with nothing to add."""


class ChatRequested(Reply):
    """``chat:request``: the new conversation, assigned (position 0) or queued."""

    conversation_id: str
    token: str
    position: int
    estimated_wait_s: int | None
    wait_range_min: list[int | None] | None


class MessageSent(Reply):
    """``message:send``: what the sender needs to mark the message delivered."""

    id: str
    seq: int
    sent_at: str | None


def message_sent(message: Message) -> MessageSent:
    """The ack of a stored message (new, or the first one with the same ``client_id``)."""
    return MessageSent(id=message.id, seq=message.seq, sent_at=iso(message.sent_at))


class PresenceSet(Reply):
    """``presence:set``."""

    available: bool


class Synced(Reply):
    """``chats:sync``: the console's whole state (docs/protocol.md)."""

    chats: list[dict[str, Any]]
    waiting: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    available: bool | None
    user: dict[str, Any]


class Accepted(Reply):
    """``chat:accept``."""

    conversation_id: str


class ExpertRef(msgspec.Struct, kw_only=True):
    """An expert as another sees them."""

    id: int | None
    display_name: str | None


class Transferred(Reply):
    """``chat:transfer``: who has the chat now."""

    to_expert: ExpertRef


class AlertRaised(Reply):
    """``alert:raise``; ``coordinators_online`` is null when it cannot be known."""

    alert_id: str
    coordinators_online: int | None


class AlertAcked(Reply):
    """``alert:ack``."""

    alert_id: str
    conversation_id: str


class Watching(Reply):
    """``chat:watch``: the chat so far, as in ``chats:sync``."""

    chat: dict[str, Any]


class Overview(Reply):
    """``chats:overview``: every running chat of the team."""

    chats: list[dict[str, Any]]
