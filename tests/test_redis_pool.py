"""Redis pools are bounded: a burst larger than the pool waits for connections, never fails;
the Socket.IO manager sends the publishes of a burst together and takes them apart again.

Before, the live store and the Socket.IO manager used redis-py's default pool with a high
``max_connections``: a burst opened one connection per concurrent call and past the limit
raised MaxConnectionsError (messages refused, "Cannot publish to redis... giving up").
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import redis.asyncio as aioredis

from chatserver.live.redis import RedisLiveStore
from chatserver.realtime.redis_manager import BATCH_METHOD, ReconnectingRedisManager
from chatserver.realtime.server import create_sio
from nabij.settings import Secret, Settings
from tests.waiting import eventually

POOL = 3
BURST = 200
#: How long the listeners may take to subscribe.
SUBSCRIBED_S = 5.0


def opened(client: aioredis.Redis) -> int:
    """Connections the client's pool holds now (idle and in use)."""
    pool = client.connection_pool
    return len(pool._available_connections) + len(pool._in_use_connections)


@pytest.fixture
async def small_store(redis_url: str, redis_prefix: str) -> AsyncIterator[RedisLiveStore]:
    """A Redis live store whose pool holds only POOL connections."""
    store = RedisLiveStore.from_url(redis_url, redis_prefix, pool_size=POOL)
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


async def test_a_heartbeat_does_not_queue_behind_a_busy_pool(
    redis_url: str, redis_prefix: str
) -> None:
    store = RedisLiveStore.from_url(redis_url, redis_prefix, pool_size=1)
    pool = store._redis.connection_pool
    held = await pool.get_connection()  # every pooled connection is busy
    try:
        await asyncio.wait_for(store.heartbeat("p1", 123.0), 2)
    finally:
        await pool.release(held)
    try:
        assert await store._redis.zscore(f"{redis_prefix}processes", "p1") == 123.0
    finally:
        await store._redis.delete(f"{redis_prefix}processes")
        await store.close()


@pytest.fixture
async def channel(redis_url: str, redis_prefix: str) -> AsyncIterator[Channel]:
    """The Socket.IO channel of this test, a raw subscriber on it, and managers to close."""
    listener = aioredis.Redis.from_url(redis_url)
    raw = listener.pubsub(ignore_subscribe_messages=True)
    name = f"{redis_prefix}socketio"
    await raw.subscribe(name)
    made: list[ReconnectingRedisManager] = []

    def manager() -> ReconnectingRedisManager:
        made.append(ReconnectingRedisManager(redis_url, channel=name, pool_size=POOL))
        return made[-1]

    try:
        yield Channel(name, listener, raw, manager)
    finally:
        for one in made:
            if one.redis is not None:
                await one.redis.aclose()
        await raw.aclose()
        await listener.aclose()


@dataclass
class Channel:
    name: str
    client: aioredis.Redis
    raw: aioredis.client.PubSub
    manager: Callable[[], ReconnectingRedisManager]


async def test_a_burst_of_publishes_beyond_the_pool_arrives_whole_and_in_order(
    channel: Channel,
) -> None:
    sender, receiver = channel.manager(), channel.manager()
    heard = asyncio.ensure_future(_hear(receiver, BURST))
    await _until_subscribed(channel, 2)
    sender.connect_redis()
    await asyncio.gather(*(sender.publish({"method": "test", "n": i}) for i in range(BURST)))
    await sender.flush()
    async with asyncio.timeout(10):
        messages = await heard
    assert [m["n"] for m in messages] == list(range(BURST))
    assert opened(sender.redis) <= POOL
    publishes = await _read_raw(channel.raw)
    assert 1 <= len(publishes) < BURST  # batched
    assert all(json.loads(p)["method"] == BATCH_METHOD for p in publishes)


async def test_a_lone_message_is_published_in_python_socketios_own_format(
    channel: Channel,
) -> None:
    sender = channel.manager()
    sender.connect_redis()
    message = {"method": "emit", "event": "typing", "data": [{}], "host_id": sender.host_id}
    await sender.publish(message)
    await sender.flush()
    assert [json.loads(p) for p in await _read_raw(channel.raw)] == [message]


async def test_a_batch_left_by_a_cancelled_sender_goes_out_with_the_next_publish(
    channel: Channel,
) -> None:
    sender = channel.manager()
    sender.connect_redis()
    await sender.publish({"method": "test", "n": 1})
    assert sender._sender is not None
    sender._sender.cancel()  # before it ran: the first message stays gathered
    await asyncio.sleep(0)
    await sender.publish({"method": "test", "n": 2})
    await sender.flush()
    [published] = [json.loads(p) for p in await _read_raw(channel.raw)]
    assert [m["n"] for m in published["messages"]] == [1, 2]


async def _hear(receiver: ReconnectingRedisManager, count: int) -> list[dict[str, Any]]:
    heard: list[dict[str, Any]] = []
    async for message in receiver.messages():
        heard.append(message)
        if len(heard) == count:
            break
    return heard


async def _until_subscribed(channel: Channel, subscribers: int) -> None:
    """Wait until ``subscribers`` clients listen on the channel (the raw one included)."""
    await eventually(
        lambda: channel.client.pubsub_numsub(channel.name),
        what=f"{subscribers} subscribers on {channel.name}",
        until=lambda numsub: numsub[0][1] >= subscribers,
        timeout=SUBSCRIBED_S,
        interval=0.01,
    )


async def _read_raw(pubsub: aioredis.client.PubSub) -> list[bytes]:
    """Every publish that arrived until the channel stayed quiet for half a second."""
    received: list[bytes] = []
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 0.5:
        # None also stands for a skipped subscribe confirmation, so read on until quiet.
        message = await pubsub.get_message(timeout=0.1)
        if message is not None:
            received.append(message["data"])
            quiet_since = time.monotonic()
    return received


def test_the_pool_size_setting_reaches_the_socketio_manager(redis_url: str) -> None:
    settings = Settings(secret_key=Secret("k" * 40), redis_url=redis_url, redis_pool_size=7)
    manager = create_sio(settings).manager
    assert isinstance(manager, ReconnectingRedisManager)
    assert manager._pool_size == 7
