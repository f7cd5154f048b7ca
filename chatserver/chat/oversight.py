"""Coordinators overseeing a chat: reading along (``chat:watch``) and taking it over.

Called from the ``/staff`` namespace after it checked the coordinator role. The watchers'
room is joined and left by the namespace; this module only validates and moves chats.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from chatserver.chat.service import ChatService, handed_over_by
from chatserver.chat.wire import iso
from chatserver.errors import ProtocolError
from chatserver.live.models import Conversation, Message

logger = logging.getLogger(__name__)


async def access_watchable_conversation(
    chat: ChatService, conversation_id: str
) -> tuple[Conversation, list[Message]]:
    """An active conversation and its messages so far, else not_found / ended / forbidden."""
    conversation = await chat.store.get_conversation(conversation_id)
    if conversation is None:
        raise ProtocolError("not_found")
    if conversation.state == "ended":
        raise ProtocolError("ended")
    if conversation.state != "active":
        raise ProtocolError("forbidden", "Only a chat an expert holds can be read along with.")
    return conversation, await chat.store.messages_after(conversation_id, 0)


async def check_take_over(chat: ChatService, coordinator_id: int, conversation_id: str) -> None:
    """Move an active chat from its expert to this coordinator (connected, below capacity).

    No shift is needed: a mentor on call steps in. The visitor sees the new display name;
    the expert's consoles get ``chat:released`` with reason ``taken_over``.
    """
    conversation, _ = await access_watchable_conversation(chat, conversation_id)
    holder = conversation.expert_id
    if holder is None or holder == coordinator_id:
        raise ProtocolError("invalid", "This chat is already yours.")
    result = await chat.store.transfer(conversation_id, holder, coordinator_id, chat.clock())
    if result != "ok":
        raise ProtocolError(result)
    logger.info(
        "chat taken over conversation=%s from=%s to=%s", conversation_id, holder, coordinator_id
    )
    await chat.notifier.notify_conversation_released(holder, conversation_id, "taken_over")
    moved = await chat.store.get_conversation(conversation_id)
    assert moved is not None
    messages = await chat.store.messages_after(conversation_id, 0)
    names = await chat.sender_names(moved, messages)
    await chat.notifier.notify_conversation_assigned(
        moved, messages, names, transferred_from=holder, note="", **handed_over_by(conversation)
    )


async def active_chats_overview(
    chat: ChatService, staff: Iterable[tuple[int, str]]
) -> list[dict[str, Any]]:
    """Every active chat of the given staff (id, display name), oldest request first.

    No messages: a coordinator who wants to read along sends ``chat:watch``.
    """
    overview = []
    for expert_id, display_name in staff:
        for conversation_id in await chat.store.active_conversations(expert_id):
            conversation = await chat.store.get_conversation(conversation_id)
            if conversation is None or conversation.state != "active":
                continue
            overview.append(
                {
                    "conversation_id": conversation.id,
                    "audience": conversation.audience,
                    "lang": conversation.lang,
                    "requested_at": iso(conversation.requested_at),
                    "assigned_at": iso(conversation.assigned_at),
                    "expert": {"id": expert_id, "display_name": display_name},
                }
            )
    overview.sort(key=lambda entry: str(entry["requested_at"]))
    return overview
