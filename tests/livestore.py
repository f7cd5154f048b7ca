"""Live store helpers shared by the store test modules: a fixed fake clock and small setups."""

from __future__ import annotations

from collections.abc import Sequence

import redis.asyncio as aioredis

from chatserver.live.models import Conversation, ExpertProfile
from chatserver.live.store import LiveStore

NOW = 1_700_000_000.25


async def drop_prefix(url: str, prefix: str) -> None:
    """Delete every key under ``prefix`` (SCAN, never KEYS)."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def make_profile(
    expert_id: int,
    focus: Sequence[str] = ("victim",),
    capacity: int = 2,
    cooldown_s: float = 0.0,
) -> ExpertProfile:
    return ExpertProfile(
        expert_id=expert_id,
        display_name=f"Expert {expert_id}",
        focus=frozenset(focus),
        capacity=capacity,
        cooldown_s=cooldown_s,
    )


async def new_chat(
    store: LiveStore, conversation_id: str, audience: str = "victim", at: float = NOW
) -> Conversation:
    return await store.create_conversation(
        conversation_id, f"token-{conversation_id}", audience, "nl", at
    )


async def request_chat(
    store: LiveStore,
    conversation_id: str,
    candidates: Sequence[int],
    audience: str = "victim",
    at: float = NOW,
) -> int | None:
    """Create and request a chat; return the expert it went to (None: queued)."""
    await new_chat(store, conversation_id, audience, at)
    return (await store.request(conversation_id, candidates, at)).expert_id
