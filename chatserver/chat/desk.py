"""The expert's side of a chat, one call per ``/staff`` event that acts on own chats.

Every action on a conversation checks first that the expert holds it
(``ChatService.access_expert_conversation``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chatserver.chat.alerts import Alerts
from chatserver.chat.notify import Notifier
from chatserver.chat.service import ChatService
from chatserver.chat.wire import expert_client_key, staff_chat_payload, waiting_payload
from chatserver.live.models import Message
from chatserver.live.store import LiveStore


@dataclass(frozen=True)
class Desk:
    """What ``chats:sync`` shows a console (``chats``, ``waiting``, ``alerts``, ``available``)."""

    chats: list[dict[str, Any]]
    waiting: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    available: bool | None


class ExpertDesk:
    """Resync, messages, typing and endings of the chats an expert holds."""

    def __init__(
        self, store: LiveStore, notifier: Notifier, alerts: Alerts, flow: ChatService
    ) -> None:
        self._store = store
        self._notifier = notifier
        self._alerts = alerts
        self._flow = flow

    async def desk(self, expert_id: int, role: str) -> Desk:
        """The expert's chats with every message, the queue, the alerts the role sees."""
        flow = self._flow
        chats = [
            staff_chat_payload(c, m, await flow.sender_names(c, m))
            for c, m in await flow.staff_chats(expert_id)
        ]
        waiting = [waiting_payload(c) for c in await self._store.queue()]
        return Desk(
            chats=chats,
            waiting=waiting,
            alerts=await self._alerts.open_alerts_for(expert_id, role),
            available=await flow.expert_available(expert_id),
        )

    async def do_send_message(
        self, expert_id: int, conversation_id: str, client_id: str, body: str, skip_sid: str
    ) -> Message:
        """``message:send`` in a chat the expert holds (idempotent per client id)."""
        conversation = await self._flow.access_expert_conversation(expert_id, conversation_id)
        client_key = expert_client_key(expert_id, client_id)
        return await self._flow.do_send_message(
            conversation, "expert", client_key, body, skip_sid=skip_sid
        )

    async def do_typing(self, expert_id: int, conversation_id: str, is_typing: bool) -> None:
        """``typing`` in a chat the expert holds: shown to the visitor."""
        conversation = await self._flow.access_expert_conversation(expert_id, conversation_id)
        await self._notifier.notify_typing_to_visitor(conversation, is_typing)

    async def do_end_chat(self, expert_id: int, conversation_id: str) -> None:
        """``chat:end`` of a chat the expert holds."""
        conversation = await self._flow.access_expert_conversation(expert_id, conversation_id)
        await self._flow.do_end_chat(conversation.id, "expert", "expert_ended")
