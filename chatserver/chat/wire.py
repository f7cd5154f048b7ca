"""How live-store values look on the wire (the payloads of docs/protocol.md)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from chatserver.live.models import Alert, Conversation, Message


@functools.lru_cache(maxsize=1024)
def iso(epoch: float | None) -> str | None:
    """Return an ISO 8601 UTC timestamp with milliseconds, or None.

    Cached: a relayed message's ``sent_at`` is formatted for its ack and for each side's
    payload, and formatting showed in the relay profile (docs/performance.md).
    """
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="milliseconds")


def message_payload(message: Message, conversation_id: str | None = None) -> dict[str, Any]:
    """The ``message:new`` payload; staff payloads carry the conversation id."""
    payload: dict[str, Any] = {
        "id": message.id,
        "seq": message.seq,
        "sender": message.sender,
        "body": message.body,
        "sent_at": iso(message.sent_at),
    }
    if conversation_id is not None:
        payload["conversation_id"] = conversation_id
    return payload


def waiting_payload(conversation: Conversation) -> dict[str, Any]:
    """One entry of ``queue:update``: no identifier of the visitor but the conversation id."""
    return {
        "conversation_id": conversation.id,
        "audience": conversation.audience,
        "lang": conversation.lang,
        "waiting_since": iso(conversation.requested_at),
    }


def staff_chat_payload(conversation: Conversation, messages: list[Message]) -> dict[str, Any]:
    """A conversation as the console sees it (``chat:assigned``, ``chats:sync``)."""
    return {
        "conversation_id": conversation.id,
        "audience": conversation.audience,
        "lang": conversation.lang,
        "state": conversation.state,
        "requested_at": iso(conversation.requested_at),
        "assigned_at": iso(conversation.assigned_at),
        "last_seq": conversation.last_seq,
        "messages": [message_payload(m, conversation.id) for m in messages],
    }


def message_ack(message: Message) -> dict[str, Any]:
    """The ack fields of a sent message: what the sender needs to mark it delivered."""
    return {"id": message.id, "seq": message.seq, "sent_at": iso(message.sent_at)}


def alert_payload(alert: Alert) -> dict[str, Any]:
    """An open mentor alert (``alert:new``, ``chats:sync``): the note goes to staff only."""
    return {
        "alert_id": alert.alert_id,
        "conversation_id": alert.conversation_id,
        "expert": {"id": alert.expert_id, "display_name": alert.expert_name},
        "note": alert.note,
        "raised_at": iso(alert.raised_at),
        "expires_at": iso(alert.expires_at),
    }
