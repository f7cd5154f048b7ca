"""Erasure in the live store, on both stores: the erase deadline set by ``end`` itself,
deadlines claimed with a lease and confirmed, and the content TTL that needs no sweeper.

The TTL tests run on the real clock (Redis's EXPIRE is timed by Redis), with TTLs of a
fraction of a second.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest

from chatserver.live.memory import MemoryLiveStore
from chatserver.live.models import Retention
from chatserver.live.redis import RedisLiveStore
from chatserver.live.store import LiveStore
from tests.content import memory_content, redis_content, redis_ttls
from tests.livestore import NOW, drop_prefix, make_profile, new_chat, request_chat

SECRET = "merel-geheim-2291"
LEASE_S = 10.0


@dataclass
class Stores:
    """Makes stores of one kind with a chosen Retention, and searches what they hold."""

    kind: str
    redis_url: str | None = None
    prefix: str = ""
    made: list[LiveStore] = field(default_factory=list)

    async def make(self, retention: Retention) -> LiveStore:
        if self.redis_url is None:
            store: LiveStore = MemoryLiveStore(retention)
        else:
            store = RedisLiveStore.from_url(self.redis_url, self.prefix, retention=retention)
        self.made.append(store)
        return store

    async def content(self, store: LiveStore, needles: Sequence[str] = (SECRET,)) -> object:
        """Content left in ``store``: Redis keys (with values) or the memory's findings."""
        if self.redis_url is None:
            return memory_content(store, needles)
        return await redis_content(self.redis_url, self.prefix, needles)


@pytest.fixture(params=["memory", "redis"])
async def stores(request: pytest.FixtureRequest) -> AsyncIterator[Stores]:
    if request.param == "memory":
        yield Stores("memory")
        return
    url: str = request.getfixturevalue("redis_url")
    made = Stores("redis", url, request.getfixturevalue("redis_prefix"))
    try:
        yield made
    finally:
        await drop_prefix(url, made.prefix)
        for store in made.made:
            await store.close()


async def _chat_with_content(store: LiveStore, conversation_id: str = "c1") -> None:
    await request_chat(store, conversation_id, [])
    await store.append_message(conversation_id, "m1", "visitor", "v1", SECRET, NOW)


# -- the erase deadline is part of the end ----------------------------------------------


async def test_end_schedules_the_erase_in_the_same_step(stores: Stores) -> None:
    store = await stores.make(Retention(erase_after_s=60, ttl_s=600))
    await _chat_with_content(store)
    assert await store.claim_due("erase", NOW + 100, LEASE_S) == []
    await store.end("c1", "visitor", "left", NOW)
    assert await store.end("c1", "visitor", "left", NOW + 1) is None
    assert await store.claim_due("erase", NOW + 59, LEASE_S) == []
    (claim,) = await store.claim_due("erase", NOW + 60, LEASE_S)
    assert claim.key == "c1"


# -- leases -----------------------------------------------------------------------------


async def test_a_claim_is_confirmed_only_while_it_stands(stores: Stores) -> None:
    store = await stores.make(Retention())
    await store.schedule("visitor_gone", "c1", NOW)
    (first,) = await store.claim_due("visitor_gone", NOW, LEASE_S)
    # Its handler took longer than the lease: another process claims it again.
    (second,) = await store.claim_due("visitor_gone", NOW + LEASE_S, LEASE_S)
    assert not await store.confirm("visitor_gone", first)
    assert await store.confirm("visitor_gone", second)
    assert await store.claim_due("visitor_gone", NOW + 1000, LEASE_S) == []
    # The visitor came back and left again while the claim was handled: the new deadline stays.
    await store.schedule("visitor_gone", "c2", NOW)
    (claim,) = await store.claim_due("visitor_gone", NOW, LEASE_S)
    await store.cancel("visitor_gone", "c2")
    await store.schedule("visitor_gone", "c2", NOW + 60)
    assert not await store.confirm("visitor_gone", claim)
    assert [c.key for c in await store.claim_due("visitor_gone", NOW + 60, LEASE_S)] == ["c2"]


async def test_claims_come_in_bounded_batches(stores: Stores) -> None:
    store = await stores.make(Retention())
    for i in range(5):
        await store.schedule("erase", f"x{i}", NOW + i)
    first = await store.claim_due("erase", NOW + 10, LEASE_S, limit=2)
    rest = await store.claim_due("erase", NOW + 10, LEASE_S, limit=10)
    assert ([c.key for c in first], [c.key for c in rest]) == (["x0", "x1"], ["x2", "x3", "x4"])


# -- the content TTL --------------------------------------------------------------------


async def test_content_is_gone_after_the_ttl_with_no_sweeper(stores: Stores) -> None:
    store = await stores.make(Retention(erase_after_s=60, ttl_s=0.6))
    await _chat_with_content(store)
    for n in range(3):  # each message renews it: it lives past one TTL
        await asyncio.sleep(0.3)
        await store.append_message("c1", f"m{n + 2}", "expert", f"e{n}", "ja", NOW + n)
    assert await store.get_conversation("c1") is not None
    assert await stores.content(store)  # the search does find
    await store.end("c1", "expert", "done", NOW + 5)
    await asyncio.sleep(0.9)  # nobody erases: the erase deadline is an hour of fake time away
    assert await store.get_conversation("c1") is None
    assert await store.messages_after("c1", 0) == []
    assert await store.conversation_for_token("token-c1") is None
    assert not await stores.content(store)


async def test_an_ended_conversation_is_not_renewed(stores: Stores) -> None:
    store = await stores.make(Retention(erase_after_s=60, ttl_s=0.6))
    await _chat_with_content(store)
    await store.end("c1", "expert", "done", NOW)
    for n in range(4):  # a late message, a resend, a visitor resuming to see the end
        await asyncio.sleep(0.2)
        with contextlib.suppress(KeyError):  # unknown once expired
            await store.append_message("c1", f"late{n}", "visitor", f"v{n % 2}", SECRET, NOW)
        await store.visitor_attached("c1", "p1")
        await store.visitor_detached("c1", "p1")
    assert await store.get_conversation("c1") is None
    assert not await stores.content(store)


async def test_a_living_process_keeps_its_conversations_alive(stores: Stores) -> None:
    """Heartbeats renew what a process's sockets hold; once they stop, the TTL runs out."""
    store = await stores.make(Retention(erase_after_s=60, ttl_s=0.6))
    await store.expert_connected(make_profile(1), NOW, "p1")
    await store.set_available(1, True, NOW)
    assert await request_chat(store, "held-by-expert", [1]) == 1
    await _chat_with_content(store, "held-by-visitor")
    await store.visitor_attached("held-by-visitor", "p1")
    await new_chat(store, "held-by-nobody")
    for _ in range(5):
        await asyncio.sleep(0.2)
        await store.heartbeat("p1", NOW + 5)
    alive = [await store.get_conversation(c) for c in ("held-by-visitor", "held-by-expert")]
    assert None not in alive
    assert await store.get_conversation("held-by-nobody") is None
    await asyncio.sleep(0.9)
    assert await store.get_conversation("held-by-visitor") is None
    assert not await stores.content(store)


async def test_every_content_key_carries_the_ttl(redis_url: str, redis_prefix: str) -> None:
    store = RedisLiveStore.from_url(redis_url, redis_prefix, retention=Retention(60, 100))
    try:
        await _chat_with_content(store)
        ttls = await redis_ttls(redis_url, redis_prefix)
        kinds = sorted(key[len(redis_prefix) :].split(":", 1)[0] for key in ttls)
        assert kinds == ["conv", "msgclient", "msgs", "token"]
        assert all(90_000 < ttl <= 100_000 for ttl in ttls.values()), ttls
    finally:
        await drop_prefix(redis_url, redis_prefix)
        await store.close()


async def test_an_expired_chat_no_longer_counts_as_load(redis_url: str, redis_prefix: str) -> None:
    """Redis forgets expired content by itself; the next heartbeat frees the expert's seat."""
    store = RedisLiveStore.from_url(redis_url, redis_prefix, retention=Retention(60, 0.3))
    try:
        await store.expert_connected(make_profile(1, capacity=1), NOW, "p1")
        await store.set_available(1, True, NOW)
        assert await request_chat(store, "c1", [1]) == 1
        await store.expert_disconnected(1, "p1")  # nobody renews it now
        await asyncio.sleep(0.5)
        await store.expert_connected(make_profile(1, capacity=1), NOW, "p1")
        await store.set_available(1, True, NOW)
        assert await request_chat(store, "c2", [1]) is None  # the expired chat still counts
        await store.erase("c2")
        await store.heartbeat("p1", NOW + 5)
        assert await store.active_conversations(1) == []
        assert await request_chat(store, "c3", [1]) == 1
    finally:
        await drop_prefix(redis_url, redis_prefix)
        await store.close()
