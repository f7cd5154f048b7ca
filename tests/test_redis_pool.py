"""Redis pools are bounded: a burst larger than the pool waits for connections, never fails.

Before, the live store and the Socket.IO manager used redis-py's default pool with a high
``max_connections``: a burst opened one connection per concurrent call and past the limit
raised MaxConnectionsError (messages refused, "Cannot publish to redis... giving up").
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from chatserver.live.redis import RedisLiveStore, connect_redis_store
from chatserver.realtime.server import ReconnectingRedisManager, create_sio
from nabij.settings import Secret, Settings

POOL = 3
BURST = 200


def opened(client: aioredis.Redis) -> int:
    """Connections the client's pool holds now (idle and in use)."""
    pool = client.connection_pool
    return len(pool._available_connections) + len(pool._in_use_connections)


@pytest.fixture
async def small_store(redis_url: str, redis_prefix: str) -> AsyncIterator[RedisLiveStore]:
    """A Redis live store whose pool holds only POOL connections."""
    store = await connect_redis_store(redis_url, redis_prefix, pool_size=POOL)
    try:
        yield store
    finally:
        keys = [k async for k in store._redis.scan_iter(match=f"{redis_prefix}*")]
        if keys:
            await store._redis.delete(*keys)
        await store.close()


async def test_a_burst_beyond_the_pool_waits_and_every_call_succeeds(
    small_store: RedisLiveStore,
) -> None:
    await small_store.create_conversation("c1", "token-c1", "victim", "nl", 1.0)
    results = await asyncio.gather(
        *(
            small_store.append_message("c1", f"m{i}", "visitor", f"k{i}", "hello", 2.0)
            for i in range(BURST)
        )
    )
    assert sorted(result.message.seq for result in results) == list(range(1, BURST + 1))
    assert all(result.is_new for result in results)
    assert opened(small_store._redis) <= POOL
    conversation = await small_store.get_conversation("c1")
    assert conversation is not None and conversation.last_seq == BURST


async def test_the_socketio_manager_publishes_a_burst_beyond_its_pool(
    redis_url: str, redis_prefix: str
) -> None:
    channel = f"{redis_prefix}socketio"
    listener = aioredis.Redis.from_url(redis_url)
    pubsub = listener.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    manager = ReconnectingRedisManager(redis_url, channel=channel, pool_size=POOL)
    try:
        manager._redis_connect()
        await asyncio.gather(*(manager._publish({"method": "test", "n": i}) for i in range(BURST)))
        received = await _read(pubsub, BURST)
        assert sorted(json.loads(m)["n"] for m in received) == list(range(BURST))
        assert opened(manager.redis) <= POOL
    finally:
        await manager.redis.aclose()
        await pubsub.aclose()
        await listener.aclose()


async def _read(pubsub: aioredis.client.PubSub, count: int) -> list[bytes]:
    received: list[bytes] = []
    async with asyncio.timeout(10):
        while len(received) < count:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None:
                received.append(message["data"])
    return received


def test_the_pool_size_setting_reaches_the_socketio_manager(redis_url: str) -> None:
    settings = Settings(secret_key=Secret("k" * 40), redis_url=redis_url, redis_pool_size=7)
    manager = create_sio(settings).manager
    assert isinstance(manager, ReconnectingRedisManager)
    assert manager._pool_size == 7
