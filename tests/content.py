"""Look for chat content left in a live store: every Redis key under a prefix, or the memory
store's whole state. Used after erasure to prove nothing is left (tests/test_erasure*.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis

from chatserver.live.memory import MemoryLiveStore

#: Key kinds that hold a conversation's content (chatserver/live/redis.py, key layout).
CONTENT_KINDS = ("conv", "msgs", "msgclient", "token")


async def _value(client: aioredis.Redis, key: str) -> str:
    kind = await client.type(key)
    if kind == "string":
        return repr(await client.get(key))
    if kind == "hash":
        return repr(await client.hgetall(key))
    if kind == "list":
        return repr(await client.lrange(key, 0, -1))
    if kind == "zset":
        return repr(await client.zrange(key, 0, -1, withscores=True))
    if kind == "set":
        return repr(await client.smembers(key))
    return repr(await client.dump(key))


async def redis_content(url: str, prefix: str, needles: Sequence[str] = ()) -> dict[str, str]:
    """Every key under ``prefix`` that is a content key or whose value holds a needle."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    found = {}
    try:
        async for key in client.scan_iter(match=f"{prefix}*", count=500):
            value = await _value(client, key)
            kind = key[len(prefix) :].split(":", 1)[0]
            if kind in CONTENT_KINDS or any(n in key + value for n in needles):
                found[key] = value
    finally:
        await client.aclose()
    return found


async def redis_ttls(url: str, prefix: str) -> dict[str, int]:
    """The PTTL (ms; -1 = none) of every content key under ``prefix``."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    try:
        keys = [
            key
            async for key in client.scan_iter(match=f"{prefix}*", count=500)
            if key[len(prefix) :].split(":", 1)[0] in CONTENT_KINDS
        ]
        return {key: int(await client.pttl(key)) for key in keys}
    finally:
        await client.aclose()


def memory_content(store: Any, needles: Sequence[str] = ()) -> list[str]:
    """The needles found anywhere in a memory store's state, and any conversation it keeps."""
    assert isinstance(store, MemoryLiveStore)
    state = vars(store)
    found = [needle for needle in needles if needle in repr(state)]
    return found + [f"conversation {c}" for c in state["_live"]]
