"""What both namespaces share: event-name mapping, acks for every outcome, session access."""

from __future__ import annotations

import logging
from typing import Any

import socketio

from chatserver.chat.service import ChatService
from chatserver.errors import Ack, ProtocolError

logger = logging.getLogger(__name__)

#: Events the server handles itself; they are never answered with an ack.
LIFECYCLE_EVENTS = frozenset({"connect", "disconnect"})


def handler_name(event: str) -> str:
    """Map an event name of the protocol to its method: ``chat:request`` → ``on_chat_request``."""
    return "on_" + event.replace(":", "_")


class ProtocolNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """A namespace whose acks are always ``{ok: ...}``: unknown events and errors included."""

    def __init__(self, namespace: str, chat: ChatService) -> None:
        super().__init__(namespace)
        self.chat = chat

    async def trigger_event(self, event: str, *args: Any) -> Any:
        """Dispatch ``a:b`` events to ``on_a_b``; refuse unknown ones with ``invalid``."""
        if event in LIFECYCLE_EVENTS:
            return await super().trigger_event(event, *args)
        handler = getattr(self, handler_name(event), None) if _is_event_name(event) else None
        if handler is None:
            logger.info("unknown event namespace=%s", self.namespace)
            return ProtocolError("invalid", "Unknown event.").ack()
        sid, *payload = args
        if len(payload) > 1:
            return ProtocolError("invalid", "Send one payload object.").ack()
        return await self._answer(handler, sid, payload[0] if payload else None, event)

    async def _answer(self, handler: Any, sid: str, data: Any, event: str) -> Ack:
        try:
            ack: Ack = await handler(sid, data)
        except ProtocolError as exc:
            logger.info("refused event=%s code=%s", event, exc.code)
            return exc.ack()
        except Exception:
            logger.exception("event failed event=%s", event)
            return ProtocolError("internal").ack()
        return ack

    async def session_value(self, sid: str, key: str) -> Any:
        """Read one value of this socket's session."""
        session = await self.get_session(sid)
        return session.get(key)


def _is_event_name(event: Any) -> bool:
    return isinstance(event, str) and 0 < len(event) <= 40 and event.replace(":", "").isalpha()
