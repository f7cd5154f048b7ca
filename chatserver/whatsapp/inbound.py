"""Webhook deliveries of the Cloud API, read into the few events Nabij acts on.

A delivery batches ``entry`` by ``changes`` by ``messages`` and ``statuses``. The structs
follow Meta's documented payload (tests/fixtures/whatsapp/ holds examples): types are
checked strictly, but fields Nabij does not read are allowed, because Meta adds fields
without notice and a refused delivery would be retried, then dropped. What comes out is
flat: an ``Incoming`` per visitor message (text, an interactive choice, or another kind
that Nabij answers politely and keeps nothing of) and a ``Delivered`` per status callback.
Changes for another phone number of the same business account are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import msgspec

#: The longest text WhatsApp lets a person send.
MAX_TEXT_CHARS: Final = 4096
STATUSES: Final = ("sent", "delivered", "read", "failed")


class _Lenient(msgspec.Struct, kw_only=True):
    """Unknown fields are allowed (Meta adds them); known ones must have their type."""


class _Text(_Lenient):
    body: str


class _Reply(_Lenient):
    id: str
    title: str = ""


class _Interactive(_Lenient):
    type: str
    button_reply: _Reply | None = None
    list_reply: _Reply | None = None


class _Message(_Lenient):
    sender: str = msgspec.field(name="from")
    id: str
    timestamp: str
    type: str
    text: _Text | None = None
    interactive: _Interactive | None = None


class _Status(_Lenient):
    id: str
    status: str
    timestamp: str
    recipient_id: str = ""


class _Metadata(_Lenient):
    phone_number_id: str
    display_phone_number: str = ""


class _Value(_Lenient):
    metadata: _Metadata
    messages: list[_Message] = []
    statuses: list[_Status] = []


class _Change(_Lenient):
    field: str
    value: _Value


class _Entry(_Lenient):
    id: str
    changes: list[_Change] = []


class _Delivery(_Lenient):
    object: str
    entry: list[_Entry] = []


class DeliveryRejected(ValueError):
    """The body is not a Cloud API delivery (the message says what is wrong)."""


@dataclass(frozen=True)
class Incoming:
    """One message from a visitor. ``kind``: ``text``, ``choice`` (an interactive reply)
    or ``other`` (image, voice, location...: nothing of it is kept)."""

    message_id: str
    sender: str
    sent_at: float
    kind: Literal["text", "choice", "other"]
    text: str = ""
    choice: str = ""


@dataclass(frozen=True)
class Delivered:
    """A status callback for a message Nabij sent: sent, delivered, read or failed."""

    message_id: str
    status: str
    at: float
    recipient: str


Event = Incoming | Delivered


def read_delivery(body: bytes, phone_number_id: str) -> list[Event]:
    """The events of one signed delivery for our number, in the order Meta listed them."""
    try:
        delivery = msgspec.json.decode(body, type=_Delivery)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise DeliveryRejected(str(exc)) from None
    if delivery.object != "whatsapp_business_account":
        raise DeliveryRejected(f"not a WhatsApp delivery: object {delivery.object!r}")
    events: list[Event] = []
    for entry in delivery.entry:
        for change in entry.changes:
            if (
                change.field == "messages"
                and change.value.metadata.phone_number_id == phone_number_id
            ):
                events.extend(_events_of(change.value))
    return events


def _events_of(value: _Value) -> list[Event]:
    events: list[Event] = [_incoming(message) for message in value.messages]
    events.extend(
        Delivered(s.id, s.status, _seconds(s.timestamp), s.recipient_id)
        for s in value.statuses
        if s.status in STATUSES
    )
    return events


def _incoming(message: _Message) -> Incoming:
    at = _seconds(message.timestamp)
    if message.type == "text" and message.text is not None:
        text = message.text.body[:MAX_TEXT_CHARS]
        return Incoming(message.id, message.sender, at, "text", text=text)
    reply = _reply_of(message.interactive)
    if message.type == "interactive" and reply is not None:
        return Incoming(message.id, message.sender, at, "choice", choice=reply.id)
    return Incoming(message.id, message.sender, at, "other")


def _reply_of(interactive: _Interactive | None) -> _Reply | None:
    if interactive is None:
        return None
    return interactive.button_reply or interactive.list_reply


def _seconds(timestamp: str) -> float:
    """Meta's timestamps are Unix seconds as a string; an unreadable one counts as 0."""
    readable = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
    return float(timestamp) if readable else 0.0
