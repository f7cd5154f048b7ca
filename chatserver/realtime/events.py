"""One declaration per socket event: namespace, name, access, payload and handler.

The namespaces dispatch from this table alone (realtime/base.py): an event that is not
declared here cannot be dispatched (it is ``invalid``, like any unknown event), its payload
is decoded as declared before the handler runs, and its access is enforced there:

- ``public``: any ``/visitor`` socket;
- ``visitor``: a ``/visitor`` socket that holds a conversation (else ``not_found``);
- ``expert``, ``coordinator``, ``admin``: a ``/staff`` socket whose account has at least
  that role now (else ``forbidden``).

chatserver/authz.py reads its socket rows from here, and docs/protocol.md's payload tables
are generated from the payload types (realtime/protocoldoc.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from chatserver.chat.notify import STAFF, VISITOR
from chatserver.realtime import payloads as p
from chatserver.realtime.staff import StaffNamespace
from chatserver.realtime.visitor import VisitorNamespace
from chatserver.schema import Payload

Access = Literal["public", "visitor", "expert", "coordinator", "admin"]
#: A handler: ``(namespace, sid, payload)`` → the ack.
Handler = Callable[[Any, str, Any], Awaitable[p.Reply]]


@dataclass(frozen=True)
class Event:
    """One socket event of the protocol."""

    namespace: str
    name: str
    access: Access
    payload: type[Payload]
    handler: Handler

    @property
    def key(self) -> str:
        """``namespace event``, as in docs/authorization.md."""
        return f"{self.namespace} {self.name}"


V, S = VisitorNamespace, StaffNamespace

EVENTS: tuple[Event, ...] = (
    Event(VISITOR, "chat:request", "public", p.RequestChat, V.request_chat),
    Event(VISITOR, "message:send", "visitor", p.SendVisitorMessage, V.send_message),
    Event(VISITOR, "typing", "visitor", p.VisitorTyping, V.typing),
    Event(VISITOR, "chat:end", "visitor", p.EndVisitorChat, V.end_chat),
    Event(VISITOR, "feedback:send", "visitor", p.SendFeedback, V.send_feedback),
    Event(STAFF, "presence:set", "expert", p.SetPresence, S.set_presence),
    Event(STAFF, "chats:sync", "expert", p.Nothing, S.sync),
    Event(STAFF, "chat:accept", "expert", p.OneConversation, S.accept),
    Event(STAFF, "message:send", "expert", p.SendStaffMessage, S.send_message),
    Event(STAFF, "typing", "expert", p.StaffTyping, S.typing),
    Event(STAFF, "chat:end", "expert", p.OneConversation, S.end_chat),
    Event(STAFF, "chat:transfer", "expert", p.TransferChat, S.transfer),
    Event(STAFF, "alert:raise", "expert", p.RaiseAlert, S.raise_alert),
    Event(STAFF, "alert:ack", "coordinator", p.AckAlert, S.ack_alert),
    Event(STAFF, "visitor:block", "expert", p.BlockVisitor, S.block_visitor),
    Event(STAFF, "chat:watch", "coordinator", p.OneConversation, S.watch),
    Event(STAFF, "chat:unwatch", "expert", p.OneConversation, S.unwatch),
    Event(STAFF, "chat:takeover", "coordinator", p.OneConversation, S.take_over),
    Event(STAFF, "chats:overview", "coordinator", p.Nothing, S.overview),
)


def events_of(namespace: str) -> Mapping[str, Event]:
    """The declared events of one namespace, by name."""
    return {e.name: e for e in EVENTS if e.namespace == namespace}


def socket_access() -> dict[str, str]:
    """``namespace event`` → its access, for chatserver/authz.py."""
    return {e.key: e.access for e in EVENTS}
