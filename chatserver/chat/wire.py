"""How live-store values look on the wire (the payloads of docs/protocol.md)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
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


def expert_client_key(expert_id: int, client_id: str) -> str:
    """The stored client id of an expert's message: resends are recognised per expert.

    After a transfer the new expert's client ids may repeat the previous expert's; the
    prefix also tells, for as long as the chat lives, which expert wrote the message.
    """
    return f"{expert_id}:{client_id}"


def expert_of(message: Message) -> int | None:
    """The staff id of the expert who wrote ``message`` (None for the visitor and system)."""
    if message.sender != "expert" or not message.client_id:
        return None
    prefix, _, _ = message.client_id.partition(":")
    return int(prefix) if prefix.isdigit() else None


def sender_payload(message: Message, names: Mapping[int, str]) -> dict[str, Any] | None:
    """``expert {id, display_name}`` of a staff message payload (None for the visitor's).

    ``display_name`` is None when the name is no longer known (an expert removed since).
    """
    expert_id = expert_of(message)
    if expert_id is None:
        return None
    return {"id": expert_id, "display_name": names.get(expert_id)}


def staff_message_payload(
    message: Message, conversation_id: str, names: Mapping[int, str]
) -> dict[str, Any]:
    """A ``message:new`` payload for the consoles: with the conversation and the expert."""
    payload = message_payload(message, conversation_id)
    if (expert := sender_payload(message, names)) is not None:
        payload["expert"] = expert
    return payload


def waiting_payload(conversation: Conversation) -> dict[str, Any]:
    """One entry of ``queue:update``: no identifier of the visitor but the conversation id."""
    return {
        "conversation_id": conversation.id,
        "audience": conversation.audience,
        "lang": conversation.lang,
        "waiting_since": iso(conversation.requested_at),
    }


def staff_chat_payload(
    conversation: Conversation, messages: list[Message], names: Mapping[int, str] | None = None
) -> dict[str, Any]:
    """A conversation as the console sees it (``chat:assigned``, ``chats:sync``).

    ``names``: staff id -> display name of the experts who wrote ``messages``
    (``ChatService.sender_names``); the expert holding the chat is known without it.
    """
    known = dict(names or {})
    if conversation.expert_id is not None and conversation.expert_name is not None:
        known.setdefault(conversation.expert_id, conversation.expert_name)
    return {
        "conversation_id": conversation.id,
        "audience": conversation.audience,
        "lang": conversation.lang,
        "state": conversation.state,
        "requested_at": iso(conversation.requested_at),
        "assigned_at": iso(conversation.assigned_at),
        "safety": conversation.safety,
        "last_seq": conversation.last_seq,
        "messages": [staff_message_payload(m, conversation.id, known) for m in messages],
    }


def message_ack(message: Message) -> dict[str, Any]:
    """The ack fields of a sent message: what the sender needs to mark it delivered."""
    return {"id": message.id, "seq": message.seq, "sent_at": iso(message.sent_at)}


def alert_payload(alert: Alert, conversation: Conversation | None) -> dict[str, Any]:
    """An open mentor alert (``alert:new``, ``chats:sync``): the note goes to staff only.

    With the chat's audience and since when it runs (``assigned_at``), so a coordinator can
    tell which chat it is about; both null once the conversation is gone.
    """
    running = conversation is not None and conversation.state != "ended"
    return {
        "alert_id": alert.alert_id,
        "conversation_id": alert.conversation_id,
        "expert": {"id": alert.expert_id, "display_name": alert.expert_name},
        "note": alert.note,
        "raised_at": iso(alert.raised_at),
        "expires_at": iso(alert.expires_at),
        "audience": conversation.audience if conversation is not None else None,
        "assigned_at": iso(conversation.assigned_at) if running and conversation else None,
    }
