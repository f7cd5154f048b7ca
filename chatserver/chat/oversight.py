"""Coordinators overseeing a chat: reading along (``chat:watch``) and taking it over.

The ``/staff`` event table (realtime/events.py) checks the coordinator role before these
are called. The watchers' room is joined and left by the namespace; this module only
validates, reads and moves chats.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from chatserver.chat.accounts import StaffAccounts
from chatserver.chat.notify import Notifier
from chatserver.chat.service import ChatService, handed_over_by
from chatserver.chat.wire import iso
from chatserver.errors import ProtocolError
from chatserver.live.models import Conversation, Message
from chatserver.live.store import LiveStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatchedChat:
    """A chat read along with: the conversation, its messages, and the senders' names."""

    conversation: Conversation
    messages: list[Message]
    names: dict[int, str]


class Oversight:
    """Reading along, taking over, and the overview of every running chat."""

    def __init__(
        self, store: LiveStore, notifier: Notifier, accounts: StaffAccounts, flow: ChatService
    ) -> None:
        self._store = store
        self._notifier = notifier
        self._accounts = accounts
        self._flow = flow

    async def access_watchable_conversation(
        self, conversation_id: str
    ) -> tuple[Conversation, list[Message]]:
        """An active conversation and its messages so far, else not_found / ended / forbidden."""
        conversation = await self._store.get_conversation(conversation_id)
        if conversation is None:
            raise ProtocolError("not_found")
        if conversation.state == "ended":
            raise ProtocolError("ended")
        if conversation.state != "active":
            raise ProtocolError("forbidden", "Only a chat an expert holds can be read along with.")
        return conversation, await self._store.messages_after(conversation_id, 0)

    async def access_watched_chat(self, conversation_id: str) -> WatchedChat:
        """What ``chat:watch`` shows: the chat so far, with every sender's name."""
        conversation, messages = await self.access_watchable_conversation(conversation_id)
        names = await self._flow.sender_names(conversation, messages)
        return WatchedChat(conversation, messages, names)

    async def check_take_over(self, coordinator_id: int, conversation_id: str) -> None:
        """Move an active chat from its expert to this coordinator (connected, below capacity).

        No shift is needed: a mentor on call steps in. The visitor sees the new display name;
        the expert's consoles get ``chat:released`` with reason ``taken_over``.
        """
        conversation, _ = await self.access_watchable_conversation(conversation_id)
        holder = conversation.expert_id
        if holder is None or holder == coordinator_id:
            raise ProtocolError("invalid", "This chat is already yours.")
        store = self._store
        result = await store.transfer(conversation_id, holder, coordinator_id, self._flow.clock())
        if result != "ok":
            raise ProtocolError(result)
        logger.info(
            "chat taken over conversation=%s from=%s to=%s", conversation_id, holder, coordinator_id
        )
        await self._notifier.notify_conversation_released(holder, conversation_id, "taken_over")
        moved = await store.get_conversation(conversation_id)
        assert moved is not None
        messages = await store.messages_after(conversation_id, 0)
        names = await self._flow.sender_names(moved, messages)
        await self._notifier.notify_conversation_assigned(
            moved, messages, names, transferred_from=holder, note="", **handed_over_by(conversation)
        )

    async def active_chats_overview(self) -> list[dict[str, Any]]:
        """Every active chat of the active staff, oldest request first.

        No messages: a coordinator who wants to read along sends ``chat:watch``.
        """
        overview = []
        for user in await self._accounts.active_staff():
            for conversation_id in await self._store.active_conversations(user.id):
                conversation = await self._store.get_conversation(conversation_id)
                if conversation is None or conversation.state != "active":
                    continue
                overview.append(_overview_entry(conversation, user.id, user.display_name))
        overview.sort(key=lambda entry: str(entry["requested_at"]))
        return overview


def _overview_entry(conversation: Conversation, expert_id: int, name: str) -> dict[str, Any]:
    return {
        "conversation_id": conversation.id,
        "audience": conversation.audience,
        "lang": conversation.lang,
        "requested_at": iso(conversation.requested_at),
        "assigned_at": iso(conversation.assigned_at),
        "expert": {"id": expert_id, "display_name": name},
    }
