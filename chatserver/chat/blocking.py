"""Blocking an abusive visitor: end the chat, refuse its token, optionally its address.

A block is a pair of short-lived marks in the live store, never a record in the database:
the conversation (so its resume token and the sockets that held it get no new chat) and,
when asked, the hashed address of the visitor's sockets. Both expire after ``BLOCK_TTL_S``;
a shared address (a shelter, a library) must not stay locked out for long. The visitor is
told ``rate_limited`` like any busy address: nothing that invites a change of network.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatserver.chat.marks import (
    BLOCKED_ADDRESS,
    BLOCKED_CONVERSATION,
    BLOCKED_CONVERSATION_ADDRESS,
)
from chatserver.chat.service import ChatService
from chatserver.errors import ProtocolError
from chatserver.live.models import Conversation
from nabij.vocab import role_at_least
from staffing.audit import record_change

logger = logging.getLogger(__name__)

BLOCK_TTL_S = 24 * 3600


async def access_blockable_conversation(
    chat: ChatService, actor_id: int, role: str, conversation_id: str
) -> Conversation:
    """The conversation a staff member may block: one they hold or held at its end; any, for
    coordinators.

    A chat the visitor ended is still blockable by its expert until it is erased (end +
    grace): an abusive visitor often leaves right after the abuse.
    """
    conversation = await chat.store.get_conversation(conversation_id)
    if conversation is None:
        raise ProtocolError("not_found")
    if role_at_least(role, "coordinator"):
        return conversation
    if conversation.state not in ("active", "ended") or conversation.expert_id != actor_id:
        raise ProtocolError("forbidden")
    return conversation


async def do_block_visitor(
    chat: ChatService,
    db: async_sessionmaker[AsyncSession],
    actor_id: int,
    conversation: Conversation,
    address_keys: Iterable[str],
    by_address: bool,
) -> None:
    """Mark the block, end the chat and write the audit entry (no visitor content in it).

    ``address_keys`` are the hashed addresses of the visitor's sockets on this instance;
    sockets elsewhere mark theirs through ``BLOCKED_CONVERSATION_ADDRESS``.
    """
    now = chat.clock()
    await chat.store.mark(BLOCKED_CONVERSATION, conversation.id, BLOCK_TTL_S, now)
    if by_address:
        await chat.store.mark(BLOCKED_CONVERSATION_ADDRESS, conversation.id, BLOCK_TTL_S, now)
        for key in set(address_keys):
            await chat.store.mark(BLOCKED_ADDRESS, key, BLOCK_TTL_S, now)
    await chat.do_end_chat(conversation.id, "expert", "expert_ended")
    async with db.begin() as session:
        subject = f"conversation:{conversation.id}"
        await record_change(session, actor_id, "visitor.block", subject, by_address=by_address)
    logger.info("visitor blocked conversation=%s by_address=%s", conversation.id, by_address)


async def check_visitor_allowed(chat: ChatService, address_key: str, previous: str | None) -> None:
    """Refuse a chat request from a blocked address or a socket whose chat was blocked.

    A socket whose blocked conversation also covered the address marks the address now.
    """
    now = chat.clock()
    if previous is not None and await chat.store.is_marked(BLOCKED_CONVERSATION, previous, now):
        if await chat.store.is_marked(BLOCKED_CONVERSATION_ADDRESS, previous, now):
            await chat.store.mark(BLOCKED_ADDRESS, address_key, BLOCK_TTL_S, now)
        raise ProtocolError("rate_limited")
    if await chat.store.is_marked(BLOCKED_ADDRESS, address_key, now):
        raise ProtocolError("rate_limited")


async def is_blocked_conversation(
    chat: ChatService, conversation_id: str, address_key: str
) -> bool:
    """Whether a resume token's conversation was blocked (marking the address if it says so)."""
    now = chat.clock()
    if not await chat.store.is_marked(BLOCKED_CONVERSATION, conversation_id, now):
        return False
    if await chat.store.is_marked(BLOCKED_CONVERSATION_ADDRESS, conversation_id, now):
        await chat.store.mark(BLOCKED_ADDRESS, address_key, BLOCK_TTL_S, now)
    return True
