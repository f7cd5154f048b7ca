"""The live store contract: every test runs on MemoryLiveStore and on RedisLiveStore.

Times are a fixed fake clock (``NOW`` plus offsets) so ordering never depends on the wall
clock. The Redis-only tests at the end race separate clients (like separate processes)
against one key prefix, and replay random operations on both stores to compare them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import pytest

from chatserver.live.memory import MemoryLiveStore
from chatserver.live.models import (
    Alert,
    Conversation,
    ExpertState,
    ReleasedSockets,
)
from chatserver.live.redis import RedisLiveStore
from chatserver.live.store import LiveStore
from tests.livestore import NOW, drop_prefix, make_profile, new_chat, request_chat

StoreFactory = Callable[[int], list[RedisLiveStore]]


@pytest.fixture
async def redis_stores(redis_url: str, redis_prefix: str) -> AsyncIterator[StoreFactory]:
    """Make n RedisLiveStores with their own clients on one prefix (like n processes)."""
    made: list[RedisLiveStore] = []

    def make(n: int) -> list[RedisLiveStore]:
        new = [RedisLiveStore.from_url(redis_url, redis_prefix) for _ in range(n)]
        made.extend(new)
        return new

    yield make
    await drop_prefix(redis_url, redis_prefix)
    for one in made:
        await one.close()


# -- helpers ----------------------------------------------------------------------------


async def online(
    store: LiveStore,
    expert_id: int,
    focus: Sequence[str] = ("victim",),
    capacity: int = 2,
    cooldown_s: float = 0.0,
    at: float = NOW,
) -> None:
    """Connect the expert and mark them available at ``at`` (their idle_since)."""
    await store.expert_connected(make_profile(expert_id, focus, capacity, cooldown_s), at)
    await store.set_available(expert_id, True, at)


async def state_of(store: LiveStore, expert_id: int) -> ExpertState:
    (state,) = await store.expert_states([expert_id])
    return state


async def queue_ids(store: LiveStore) -> list[str]:
    return [c.id for c in await store.queue()]


# -- conversations ----------------------------------------------------------------------


async def test_create_get_and_token_lookup(store: LiveStore) -> None:
    created = await new_chat(store, "c1", audience="perpetrator")
    assert created == Conversation(
        id="c1", audience="perpetrator", lang="nl", state="waiting", requested_at=NOW
    )
    assert await store.get_conversation("c1") == created
    assert await store.conversation_for_token("token-c1") == "c1"
    assert await store.get_conversation("nope") is None
    assert await store.conversation_for_token("nope") is None
    assert await store.position("c1") is None  # created, not queued yet


async def test_request_assigns_at_once_to_an_eligible_candidate(store: LiveStore) -> None:
    await online(store, 1)
    await new_chat(store, "c1")
    outcome = await store.request("c1", [1], NOW + 5)
    assert (outcome.expert_id, outcome.position) == (1, 0)
    conversation = await store.get_conversation("c1")
    assert conversation == Conversation(
        id="c1",
        audience="victim",
        lang="nl",
        state="active",
        requested_at=NOW,
        expert_id=1,
        expert_name="Expert 1",
        assigned_at=NOW + 5,
        was_answered=True,
    )
    assert await store.active_conversations(1) == ["c1"]
    state = await state_of(store, 1)
    assert (state.load, state.idle_since) == (1, NOW + 5)
    assert await store.queue() == []


async def test_request_queues_in_fifo_order_when_nobody_is_eligible(store: LiveStore) -> None:
    positions = []
    for cid in ("c1", "c2", "c3"):
        await new_chat(store, cid)
        outcome = await store.request(cid, [1, 2], NOW)
        assert outcome.expert_id is None
        positions.append(outcome.position)
    assert positions == [1, 2, 3]
    assert await queue_ids(store) == ["c1", "c2", "c3"]
    assert [await store.position(c) for c in ("c1", "c2", "c3")] == [1, 2, 3]
    assert await store.queue_length() == 3


async def test_new_request_queues_behind_a_waiting_one_even_if_someone_is_free(
    store: LiveStore,
) -> None:
    assert await request_chat(store, "c1", [1]) is None
    await online(store, 1)
    await new_chat(store, "c2")
    outcome = await store.request("c2", [1], NOW)
    assert (outcome.expert_id, outcome.position) == (None, 2)
    assert await queue_ids(store) == ["c1", "c2"]


async def test_request_of_an_unknown_conversation_raises(store: LiveStore) -> None:
    with pytest.raises(KeyError):
        await store.request("nope", [1], NOW)


# -- eligibility and ranking ------------------------------------------------------------


async def _make_best_ranked_expert_ineligible(store: LiveStore, why: str) -> list[int]:
    """Expert 1 matches the focus but is ineligible for ``why``; return the candidates."""
    if why == "not_connected":
        await online(store, 1)
        await store.expert_disconnected(1)
    elif why == "never_connected":
        pass
    elif why == "not_available":
        await store.expert_connected(make_profile(1), NOW)
    elif why == "at_capacity":
        await online(store, 1, capacity=1)
        assert await request_chat(store, "c0", [1]) == 1
    elif why == "cooling_down":
        await online(store, 1, cooldown_s=60.0)
        assert await request_chat(store, "c0", [1]) == 1
        await store.end("c0", "expert", "done", NOW)
    elif why == "not_a_candidate":
        await online(store, 1)
        return [2]
    return [1, 2]


@pytest.mark.parametrize(
    "why",
    [
        "not_connected",
        "never_connected",
        "not_available",
        "at_capacity",
        "cooling_down",
        "not_a_candidate",
    ],
)
async def test_ineligible_expert_is_not_chosen(store: LiveStore, why: str) -> None:
    candidates = await _make_best_ranked_expert_ineligible(store, why)
    await online(store, 2, focus=["perpetrator"])
    assert await request_chat(store, "c1", candidates, at=NOW + 1) == 2


async def test_ineligible_alone_means_queued(store: LiveStore) -> None:
    await store.expert_connected(make_profile(1), NOW)  # connected but not available
    assert await request_chat(store, "c1", [1]) is None
    assert await store.position("c1") == 1


async def test_cool_down_ends_at_cooldown_until(store: LiveStore) -> None:
    await online(store, 1, cooldown_s=60.0)
    assert await request_chat(store, "c0", [1]) == 1
    await store.end("c0", "expert", "done", NOW)
    assert await request_chat(store, "c1", [1], at=NOW + 59.5) is None
    assignment = await store.assign_head([1], NOW + 60)
    assert assignment is not None and assignment.expert_id == 1


async def test_focus_match_beats_load(store: LiveStore) -> None:
    await online(store, 1, focus=["victim"], capacity=3)
    assert await request_chat(store, "c0", [1]) == 1
    await online(store, 2, focus=["perpetrator"], capacity=3)
    assert await request_chat(store, "c1", [2, 1], audience="victim", at=NOW + 1) == 1


async def test_fewer_chats_beats_longer_idle(store: LiveStore) -> None:
    await online(store, 1, at=NOW)
    assert await request_chat(store, "c0", [1], at=NOW + 1) == 1  # load 1, idle since +1
    await online(store, 2, at=NOW + 5)  # load 0, idle since +5
    assert await request_chat(store, "c1", [1, 2], at=NOW + 10) == 2


async def test_longest_idle_wins_among_equals(store: LiveStore) -> None:
    await online(store, 1, at=NOW + 5)
    await online(store, 2, at=NOW + 1)
    assert await request_chat(store, "c1", [1, 2], at=NOW + 10) == 2


async def test_full_tie_goes_to_the_first_candidate(store: LiveStore) -> None:
    await online(store, 1)
    await online(store, 2)
    assert await request_chat(store, "c1", [2, 1, 2]) == 2


async def test_no_focus_match_falls_back_to_any_eligible(store: LiveStore) -> None:
    await online(store, 1, focus=["perpetrator"])
    assert await request_chat(store, "c1", [1], audience="relative") == 1


async def test_assign_head_assigns_only_the_head(store: LiveStore) -> None:
    assert await store.assign_head([1], NOW) is None  # empty queue
    assert await request_chat(store, "c1", [1]) is None
    assert await request_chat(store, "c2", [1]) is None
    assert await store.assign_head([1], NOW) is None  # nobody eligible
    await online(store, 1, capacity=1)
    assignment = await store.assign_head([1], NOW + 3)
    assert assignment is not None
    assert (assignment.conversation_id, assignment.expert_id) == ("c1", 1)
    assert await queue_ids(store) == ["c2"]
    assert await store.position("c2") == 1
    conversation = await store.get_conversation("c1")
    assert conversation is not None and conversation.state == "active"
    assert conversation.assigned_at == NOW + 3
    assert await store.assign_head([1], NOW + 4) is None  # expert 1 is full


# -- accept, end, requeue, transfer -----------------------------------------------------


async def test_accept_once_then_taken(store: LiveStore) -> None:
    await store.expert_connected(make_profile(1), NOW)  # picking by hand needs no availability
    await store.expert_connected(make_profile(2), NOW)
    assert await request_chat(store, "c1", []) is None
    assert await store.accept("c1", 1, NOW + 2) == "ok"
    assert await store.accept("c1", 2, NOW + 2) == "taken"
    conversation = await store.get_conversation("c1")
    assert conversation is not None
    assert (conversation.state, conversation.expert_id) == ("active", 1)
    assert await store.queue() == []
    assert (await state_of(store, 1)).load == 1


async def test_accept_refusals(store: LiveStore) -> None:
    await online(store, 1, capacity=1)
    assert await request_chat(store, "c0", [1]) == 1
    assert await request_chat(store, "c1", []) is None
    assert await store.accept("c1", 1, NOW) == "at_capacity"
    assert await store.accept("nope", 1, NOW) == "not_found"
    assert await store.accept("c1", 99, NOW) == "not_found"
    assert await store.accept("c0", 1, NOW) == "taken"  # active, not waiting
    await new_chat(store, "c2")
    assert await store.accept("c2", 1, NOW) == "taken"  # created, not requested yet
    assert await store.position("c1") == 1


async def test_end_an_active_conversation(store: LiveStore) -> None:
    await online(store, 1, cooldown_s=30.0)
    assert await request_chat(store, "c1", [1]) == 1
    ended = await store.end("c1", "visitor", "left", NOW + 100)
    assert ended is not None
    assert (ended.state, ended.ended_at, ended.ended_by, ended.end_reason) == (
        "ended",
        NOW + 100,
        "visitor",
        "left",
    )
    assert (ended.expert_id, ended.was_answered) == (1, True)
    assert await store.get_conversation("c1") == ended
    assert await store.end("c1", "visitor", "left", NOW + 101) is None
    state = await state_of(store, 1)
    assert (state.load, state.idle_since, state.cooldown_until) == (0, NOW + 100, NOW + 130)
    assert await store.active_conversations(1) == []


async def test_end_a_waiting_conversation_removes_it_from_the_queue(store: LiveStore) -> None:
    assert await request_chat(store, "c1", []) is None
    assert await request_chat(store, "c2", []) is None
    ended = await store.end("c1", "visitor", "abandoned", NOW + 1)
    assert ended is not None and ended.was_answered is False
    assert await queue_ids(store) == ["c2"]
    assert await store.position("c1") is None
    assert await store.end("nope", "visitor", "left", NOW) is None


async def test_requeue_puts_an_active_conversation_at_the_head(store: LiveStore) -> None:
    await online(store, 1, capacity=1, cooldown_s=60.0)
    assert await request_chat(store, "c1", [1]) == 1
    assert await request_chat(store, "c2", [1]) is None
    assert await store.requeue("c1", NOW + 10) is True
    assert await queue_ids(store) == ["c1", "c2"]
    state = await state_of(store, 1)
    assert (state.load, state.idle_since, state.cooldown_until) == (0, NOW + 10, 0.0)
    conversation = await store.get_conversation("c1")
    assert conversation is not None
    assert (conversation.state, conversation.expert_id, conversation.expert_name) == (
        "waiting",
        None,
        None,
    )
    assert conversation.last_expert_id == 1  # who talked last still registers the contact
    assert conversation.was_answered is True
    assert await store.requeue("c1", NOW + 11) is False  # waiting now
    assert await store.requeue("nope", NOW) is False
    assignment = await store.assign_head([1], NOW + 20)
    assert assignment is not None and assignment.conversation_id == "c1"
    again = await store.get_conversation("c1")
    assert again is not None and again.assigned_at == NOW  # the first assignment counts


async def test_transfer(store: LiveStore) -> None:
    await online(store, 1)
    await online(store, 2, capacity=1)
    assert await request_chat(store, "c1", [1]) == 1
    assert await store.transfer("c1", 3, 2, NOW + 1) == "forbidden"
    assert await store.transfer("c1", 1, 99, NOW + 1) == "unavailable"
    assert await store.transfer("c1", 1, 2, NOW + 2) == "ok"
    conversation = await store.get_conversation("c1")
    assert conversation is not None
    assert (conversation.expert_id, conversation.expert_name) == (2, "Expert 2")
    assert [(s.load, s.idle_since) for s in await store.expert_states([1, 2])] == [
        (0, NOW + 2),
        (1, NOW + 2),
    ]
    assert await store.active_conversations(2) == ["c1"]
    assert await request_chat(store, "c2", [1]) == 1
    assert await store.transfer("c2", 1, 2, NOW + 3) == "unavailable"  # 2 is full
    await store.expert_disconnected(2)
    await store.set_available(2, False, NOW)
    assert await store.transfer("c1", 2, 1, NOW + 4) == "ok"
    assert await store.transfer("c1", 1, 2, NOW + 5) == "unavailable"  # 2 is offline
    assert await store.transfer("nope", 1, 2, NOW) == "not_found"
    assert await request_chat(store, "c3", []) is None
    assert await store.transfer("c3", 1, 2, NOW) == "not_found"  # waiting, not active


# -- presence ---------------------------------------------------------------------------


async def test_expert_connections_and_disconnecting_to_zero(store: LiveStore) -> None:
    assert await store.expert_connected(make_profile(1), NOW) == 1
    assert await store.expert_connected(make_profile(1, capacity=5), NOW + 9) == 2
    await store.set_available(1, True, NOW + 1)
    assert await store.expert_disconnected(1) == 1
    state = await state_of(store, 1)
    assert (state.available, state.connections, state.profile.capacity) == (True, 1, 5)
    assert state.idle_since == NOW + 1
    assert await store.expert_disconnected(1) == 0
    # Kept for a reconnect within the grace (the service ends it after); never eligible.
    gone = await state_of(store, 1)
    assert (gone.available, gone.is_eligible(NOW + 2)) == (True, False)
    assert await store.expert_disconnected(1) == 0
    assert await store.expert_disconnected(99) == 0


async def test_reconnect_replaces_the_profile_but_keeps_the_load(store: LiveStore) -> None:
    await online(store, 1, focus=["victim"])
    assert await request_chat(store, "c1", [1]) == 1
    await store.expert_disconnected(1)
    profile = make_profile(1, focus=["perpetrator", "relative"], capacity=4, cooldown_s=2.5)
    await store.expert_connected(profile, NOW + 50)
    state = await state_of(store, 1)
    assert (state.profile, state.load, state.connections) == (profile, 1, 1)


async def test_set_available_sets_idle_since_only_when_becoming_available(
    store: LiveStore,
) -> None:
    await store.set_available(99, True, NOW)  # unknown: ignored
    assert await store.expert_states([99]) == []
    await online(store, 1, at=NOW)
    await store.set_available(1, True, NOW + 5)
    assert (await state_of(store, 1)).idle_since == NOW
    await store.set_available(1, False, NOW + 6)
    await store.set_available(1, True, NOW + 7)
    assert (await state_of(store, 1)).idle_since == NOW + 7


async def test_expert_states_returns_known_experts_in_the_order_given(store: LiveStore) -> None:
    await online(store, 1, focus=["victim", "relative"], capacity=3, cooldown_s=1.5)
    await store.expert_connected(make_profile(2), NOW + 0.1)
    states = await store.expert_states([2, 99, 1])
    assert [s.profile.expert_id for s in states] == [2, 1]
    assert states[1] == ExpertState(
        profile=make_profile(1, ["victim", "relative"], 3, 1.5),
        connections=1,
        available=True,
        load=0,
        idle_since=NOW,
        cooldown_until=0.0,
        presence_at=NOW,
    )
    assert (states[0].available, states[0].idle_since) == (False, NOW + 0.1)
    assert await store.expert_states([]) == []


async def test_visitor_presence_counts(store: LiveStore) -> None:
    await new_chat(store, "c1")
    assert await store.visitor_attached("c1") == 1
    assert await store.visitor_attached("c1") == 2
    assert await store.visitor_detached("c1") == 1
    assert await store.visitor_detached("c1") == 0
    assert await store.visitor_detached("c1") == 0
    assert await store.visitor_attached("nope") == 0
    assert await store.visitor_detached("nope") == 0


# -- messages ---------------------------------------------------------------------------


async def test_append_message_numbers_and_deduplicates(store: LiveStore) -> None:
    await new_chat(store, "c1")
    appended = await store.append_message("c1", "m1", "visitor", "a", "hallo", NOW + 1)
    first = appended.message
    assert appended.is_new is True
    assert appended.conversation == await store.get_conversation("c1")
    assert appended.conversation.last_seq == 1
    assert (first.id, first.seq, first.sender, first.body, first.sent_at, first.client_id) == (
        "m1",
        1,
        "visitor",
        "hallo",
        NOW + 1,
        "a",
    )
    second = await store.append_message("c1", "m2", "system", None, "joined", NOW + 2)
    third = await store.append_message("c1", "m3", "expert", None, "hoi | ü", NOW + 3)
    assert (second.message.seq, third.message.seq) == (2, 3)
    resent = await store.append_message("c1", "m4", "visitor", "a", "hallo?", NOW + 4)
    assert (resent.message, resent.is_new, resent.conversation.last_seq) == (first, False, 3)
    other = await store.append_message("c1", "m5", "expert", "a", "ja", NOW + 5)
    assert (other.message.seq, other.is_new, other.conversation.last_seq) == (4, True, 4)
    conversation = await store.get_conversation("c1")
    assert conversation is not None and conversation.last_seq == 4
    with pytest.raises(KeyError):
        await store.append_message("nope", "m6", "visitor", None, "x", NOW)


async def test_append_message_returns_the_conversation_after_it(store: LiveStore) -> None:
    await online(store, 1)
    assert await request_chat(store, "c1", [1]) == 1
    before = await store.get_conversation("c1")
    appended = await store.append_message("c1", "m1", "visitor", "a", "hallo", NOW + 1)
    assert before is not None and before.last_seq == 0
    assert appended.conversation == dataclasses.replace(before, last_seq=1)
    assert appended.conversation == await store.get_conversation("c1")
    await online(store, 2)
    assert await store.transfer("c1", 1, 2, NOW + 3) == "ok"
    resent = await store.append_message("c1", "m2", "visitor", "a", "hallo", NOW + 4)
    assert (resent.is_new, resent.message.id) == (False, "m1")
    assert (resent.conversation.expert_id, resent.conversation.last_seq) == (2, 1)


async def test_messages_after(store: LiveStore) -> None:
    await new_chat(store, "c1")
    sent = [
        (await store.append_message("c1", f"m{i}", "visitor", f"k{i}", f"b{i}", NOW + i)).message
        for i in range(1, 4)
    ]
    assert await store.messages_after("c1", 0) == sent
    assert await store.messages_after("c1", 2) == sent[2:]
    assert await store.messages_after("c1", 3) == []
    assert await store.messages_after("nope", 0) == []


async def test_erase_forgets_conversation_messages_and_token(store: LiveStore) -> None:
    assert await request_chat(store, "c1", []) is None
    await store.append_message("c1", "m1", "visitor", "a", "geheim", NOW)
    await store.erase("c1")
    assert await store.get_conversation("c1") is None
    assert await store.conversation_for_token("token-c1") is None
    assert await store.messages_after("c1", 0) == []
    assert await store.queue() == []
    await store.erase("c1")  # erasing twice is harmless
    await new_chat(store, "c1")  # a reused id starts empty
    appended = await store.append_message("c1", "m2", "visitor", "a", "x", NOW)
    assert (appended.message.seq, appended.is_new) == (1, True)


# -- deadlines and rate limits ----------------------------------------------------------


async def test_schedule_cancel_and_claim_due(store: LiveStore) -> None:
    await store.schedule("erase", "a", NOW + 30)
    await store.schedule("erase", "b", NOW + 10)
    await store.schedule("erase", "c", NOW + 20)
    await store.schedule("erase", "d", NOW + 100)
    await store.schedule("erase", "e", NOW + 5)
    await store.schedule("erase", "e", NOW + 25)  # moved
    await store.schedule("cooldown", "a", NOW)
    await store.cancel("erase", "c")
    await store.cancel("erase", "never")
    claimed = await store.claim_due("erase", NOW + 50, 10)
    assert [c.key for c in claimed] == ["b", "e", "a"]
    assert {c.lease_until for c in claimed} == {NOW + 60}
    assert await store.claim_due("erase", NOW + 50, 10) == []  # leased to the first caller
    assert [await store.confirm("erase", c) for c in claimed[:2]] == [True, True]
    # "a" was never confirmed: due again once its lease ran out, after "d" came due.
    assert [c.key for c in await store.claim_due("erase", NOW + 100, 10)] == ["a", "d"]
    assert [c.key for c in await store.claim_due("cooldown", NOW, 10)] == ["a"]
    assert await store.claim_due("visitor_gone", NOW, 10) == []


async def test_hit_rate_limit_window(store: LiveStore) -> None:
    hits = [await store.hit_rate_limit("k", 3, 60, NOW + t) for t in (0, 1, 2, 59.9)]
    assert hits == [False, False, False, True]
    assert await store.hit_rate_limit("other", 3, 60, NOW + 30) is False
    assert await store.hit_rate_limit("k", 3, 60, NOW + 60) is False  # a new window
    assert [await store.hit_rate_limit("k", 3, 60, NOW + 61) for _ in range(3)] == [
        False,
        False,
        True,
    ]


async def test_claim_once_is_won_by_the_first_caller_per_window(store: LiveStore) -> None:
    claims = [await store.claim_once("upkeep:x", 3600, NOW + t) for t in (0, 1, 3599)]
    assert claims == [True, False, False]
    assert await store.claim_once("upkeep:y", 3600, NOW + 1) is True  # its own key
    assert await store.claim_once("upkeep:x", 3600, NOW + 3600) is True  # the next window


async def test_marks_expire_by_the_callers_clock(store: LiveStore) -> None:
    await store.mark("revoked", "abc", 60, NOW)
    assert await store.is_marked("revoked", "abc", NOW + 59)
    assert not await store.is_marked("revoked", "abc", NOW + 60)
    assert not await store.is_marked("revoked", "other", NOW)
    assert not await store.is_marked("other-kind", "abc", NOW)


async def test_memory_rate_limit_pruning_keeps_each_keys_own_window() -> None:
    """Pruning a full table with a short window must not reset a longer one."""
    store = MemoryLiveStore()
    assert await store.hit_rate_limit("chat:x", 1, 3600, NOW) is False
    for i in range(10_000):
        await store.hit_rate_limit(f"login:{i}", 10, 900, NOW + 1000)
    assert await store.hit_rate_limit("chat:x", 1, 3600, NOW + 1001) is True


# -- dead server processes --------------------------------------------------------------


async def test_a_dead_process_sockets_are_released_once(store: LiveStore) -> None:
    """Process "a" dies with a visitor and a console; "b" lives and shares both."""
    await new_chat(store, "c1")
    await new_chat(store, "c2")
    await store.heartbeat("a", NOW + 3)
    await store.heartbeat("b", NOW + 3)
    await store.visitor_attached("c1", "a")
    await store.visitor_attached("c2", "a")
    await store.visitor_attached("c2", "b")
    await store.expert_connected(make_profile(1), NOW, "a")
    await store.set_available(1, True, NOW)
    await store.expert_connected(make_profile(2), NOW, "a")
    await store.expert_connected(make_profile(2), NOW, "b")
    assert await store.claim_dead_processes(NOW + 2) == []
    await store.heartbeat("b", NOW + 9)  # "a" stops beating

    (released,) = await store.claim_dead_processes(NOW + 4)
    assert released == ReleasedSockets("a", ["c1"], [1])
    assert await store.claim_dead_processes(NOW + 5) == []  # claimed once
    assert await store.visitor_detached("c2", "b") == 0
    state = await state_of(store, 1)
    assert (state.connections, state.available) == (0, True)  # the grace decides
    assert (await state_of(store, 2)).connections == 1


async def test_a_released_socket_is_not_subtracted_twice(store: LiveStore) -> None:
    """A process taken for dead that still closes its sockets leaves the others' counts."""
    await new_chat(store, "c1")
    await store.heartbeat("a", NOW + 3)
    await store.visitor_attached("c1", "a")
    await store.expert_connected(make_profile(1), NOW, "a")
    await store.claim_dead_processes(NOW + 4)
    await store.visitor_attached("c1", "b")
    await store.expert_connected(make_profile(1), NOW, "b")

    assert await store.visitor_detached("c1", "a") == 1
    assert await store.expert_disconnected(1, "a") == 1
    assert await store.visitor_detached("c1", "b") == 0
    assert await store.expert_disconnected(1, "b") == 0


async def test_sockets_closed_before_death_are_not_released_again(store: LiveStore) -> None:
    await new_chat(store, "c1")
    await store.heartbeat("a", NOW + 3)
    await store.visitor_attached("c1", "a")
    await store.visitor_detached("c1", "a")
    await store.visitor_attached("c1")  # counted without a process (not released)

    (released,) = await store.claim_dead_processes(NOW + 4)
    assert released == ReleasedSockets("a", [], [])
    assert await store.visitor_detached("c1") == 0


# -- mentor alerts ----------------------------------------------------------------------


def make_alert(alert_id: str, raised_at: float = NOW, ttl_s: float = 100.0) -> Alert:
    return Alert(
        alert_id=alert_id,
        conversation_id="c" * 32,
        expert_id=7,
        expert_name="Anna",
        note="Ze noemt een mes",
        raised_at=raised_at,
        expires_at=raised_at + ttl_s,
    )


async def test_an_alert_stays_open_until_acknowledged_once(store: LiveStore) -> None:
    second = make_alert("a2", raised_at=NOW + 1)
    assert await store.add_alert(second, NOW + 1, limit=10) == "ok"
    assert await store.add_alert(make_alert("a1"), NOW + 1, limit=10) == "ok"
    assert [a.alert_id for a in await store.open_alerts(NOW + 2)] == ["a1", "a2"]
    assert await store.ack_alert("a2", NOW + 3) == second
    assert await store.ack_alert("a2", NOW + 3) is None
    assert await store.ack_alert("never", NOW + 3) is None
    assert [a.alert_id for a in await store.open_alerts(NOW + 4)] == ["a1"]


async def test_an_alert_expires_and_cannot_be_acknowledged_after(store: LiveStore) -> None:
    await store.add_alert(make_alert("a1", ttl_s=10), NOW, limit=10)
    await store.add_alert(make_alert("a2", ttl_s=20), NOW, limit=10)
    assert [a.alert_id for a in await store.open_alerts(NOW + 9.5)] == ["a1", "a2"]
    assert [a.alert_id for a in await store.open_alerts(NOW + 10)] == ["a2"]
    assert await store.ack_alert("a2", NOW + 20) is None
    assert await store.open_alerts(NOW + 20) == []


async def test_a_full_alert_list_refuses_a_new_one_and_keeps_the_old(store: LiveStore) -> None:
    for n in range(3):
        assert await store.add_alert(make_alert(f"a{n}", ttl_s=10 + n), NOW, limit=3) == "ok"
    assert await store.add_alert(make_alert("new"), NOW, limit=3) == "full"
    assert [a.alert_id for a in await store.open_alerts(NOW)] == ["a0", "a1", "a2"]
    # Once the first has expired there is room again.
    assert await store.add_alert(make_alert("new", NOW + 10), NOW + 10, limit=3) == "ok"
    assert {a.alert_id for a in await store.open_alerts(NOW + 10)} == {"a1", "a2", "new"}


# -- Redis across processes -------------------------------------------------------------


async def test_concurrent_acks_give_an_alert_to_one_coordinator(
    redis_stores: StoreFactory,
) -> None:
    setup, *racers = redis_stores(21)
    await setup.add_alert(make_alert("a1"), NOW, limit=10)
    results = await asyncio.gather(*(racer.ack_alert("a1", NOW) for racer in racers))
    assert [r.alert_id for r in results if r is not None] == ["a1"]
    assert await setup.open_alerts(NOW) == []


async def test_concurrent_accepts_give_the_chat_to_one_expert(
    redis_stores: StoreFactory,
) -> None:
    setup, *racers = redis_stores(51)
    for expert_id in range(1, 51):
        await setup.expert_connected(make_profile(expert_id, capacity=1), NOW)
    assert await request_chat(setup, "c1", []) is None
    results = await asyncio.gather(
        *(racer.accept("c1", i, NOW) for i, racer in enumerate(racers, start=1))
    )
    assert Counter(results) == {"ok": 1, "taken": 49}
    winner = results.index("ok") + 1
    loads = {s.profile.expert_id: s.load for s in await setup.expert_states(range(1, 51))}
    assert loads == {i: int(i == winner) for i in range(1, 51)}
    conversation = await setup.get_conversation("c1")
    assert conversation is not None and conversation.expert_id == winner


async def test_concurrent_requests_never_exceed_capacity(redis_stores: StoreFactory) -> None:
    setup, *racers = redis_stores(31)
    for expert_id in (1, 2, 3):
        await online(setup, expert_id, capacity=2)
    for i in range(30):
        await new_chat(setup, f"c{i}")
    outcomes = await asyncio.gather(
        *(racer.request(f"c{i}", [4, 1, 2, 3], NOW) for i, racer in enumerate(racers))
    )
    assigned = [o.expert_id for o in outcomes if o.expert_id is not None]
    assert Counter(assigned) == {1: 2, 2: 2, 3: 2}
    assert sorted(o.position for o in outcomes if o.expert_id is None) == list(range(1, 25))
    assert all(s.load <= s.profile.capacity for s in await setup.expert_states([1, 2, 3]))
    assert len(await setup.queue()) == 24


async def test_concurrent_appends_number_without_gaps(redis_stores: StoreFactory) -> None:
    setup, *racers = redis_stores(51)
    await new_chat(setup, "c1")
    results = await asyncio.gather(
        *(
            racer.append_message("c1", f"m{i}", "visitor", f"k{i}", f"b{i}", NOW)
            for i, racer in enumerate(racers)
        )
    )
    assert sorted(result.message.seq for result in results) == list(range(1, 51))
    stored = await setup.messages_after("c1", 0)
    assert [m.seq for m in stored] == list(range(1, 51))
    assert {m.id: m.seq for m in stored} == {r.message.id: r.message.seq for r in results}


# -- Redis behaves as memory ------------------------------------------------------------

Step = Callable[[LiveStore], Awaitable[Any]]


def _random_step(rng: random.Random, t: float) -> Step:
    """One random operation at time ``t`` over 5 experts (plus an unknown 6) and 12 chats."""
    expert, other = rng.randint(1, 5), rng.randint(1, 6)
    conv = f"c{rng.randint(1, 12)}"
    candidates = rng.sample(range(1, 7), rng.choice([1, 3, 6, 6]))
    profile = make_profile(
        expert,
        focus=rng.sample(["victim", "perpetrator", "relative"], rng.randint(0, 2)),
        capacity=rng.randint(1, 3),
        cooldown_s=rng.choice([0.0, 0.5, 3.0]),
    )
    available = rng.random() < 0.8
    audience = rng.choice(["victim", "perpetrator", "relative", "unknown"])

    async def create_and_request(s: LiveStore) -> Any:
        if await s.get_conversation(conv) is not None:
            return "exists"
        await s.create_conversation(conv, f"token-{conv}", audience, "nl", t)
        return await s.request(conv, candidates, t)

    async def transfer_from_holder(s: LiveStore) -> Any:
        current = await s.get_conversation(conv)
        holder = current.expert_id if current and current.expert_id else expert
        return await s.transfer(conv, holder, other, t)

    steps: list[tuple[Step, int]] = [
        (create_and_request, 6),
        (lambda s: s.assign_head(candidates, t), 3),
        (lambda s: s.expert_connected(profile, t), 2),
        (lambda s: s.expert_disconnected(expert), 1),
        (lambda s: s.set_available(expert, available, t), 2),
        (lambda s: s.accept(conv, expert, t), 2),
        (lambda s: s.end(conv, "expert", "done", t), 3),
        (lambda s: s.requeue(conv, t), 1),
        (lambda s: s.transfer(conv, expert, other, t), 1),
        (transfer_from_holder, 2),
        (lambda s: s.erase(conv), 3),
    ]
    return rng.choices([step for step, _ in steps], [weight for _, weight in steps])[0]


async def _snapshot(store: LiveStore) -> Any:
    experts = await store.expert_states(range(1, 6))
    chats = [await store.active_conversations(i) for i in range(1, 6)]
    conversations = [await store.get_conversation(f"c{i}") for i in range(1, 13)]
    return experts, chats, conversations, await store.queue()


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_redis_matches_memory_on_random_operations(
    redis_stores: StoreFactory, seed: int
) -> None:
    (redis_store,) = redis_stores(1)
    memory_store = MemoryLiveStore()
    rng = random.Random(seed)
    for n in range(600):
        step = _random_step(rng, NOW + n * 0.25)
        assert await step(redis_store) == await step(memory_store), f"step {n}"
        if n % 20 == 0:
            assert await _snapshot(redis_store) == await _snapshot(memory_store), f"step {n}"
    assert await _snapshot(redis_store) == await _snapshot(memory_store)


async def test_heartbeat_says_when_the_store_did_not_know_the_process(store: LiveStore) -> None:
    assert await store.heartbeat("a", NOW + 3) is True
    assert await store.heartbeat("a", NOW + 4) is False
    await store.claim_dead_processes(NOW + 5)  # "a" taken for dead
    assert await store.heartbeat("a", NOW + 9) is True


async def test_assert_expert_sets_the_process_share_and_the_newer_availability(
    store: LiveStore,
) -> None:
    """What a process tells a store that lost its data, or a changed profile."""
    profile = make_profile(1, ["victim"], capacity=2)
    assert await store.assert_expert(profile, "a", 2, (True, NOW + 1), NOW + 2) == 2
    state = await state_of(store, 1)
    assert (state.connections, state.available, state.load) == (2, True, 0)
    assert state.is_eligible(NOW + 2) and state.idle_since == NOW + 2
    assert await store.assert_expert(profile, "b", 1, (False, NOW), NOW + 3) == 3
    assert (await state_of(store, 1)).available is True  # "b"'s word is older
    wider = make_profile(1, ["victim", "perpetrator"], capacity=4)
    assert await store.assert_expert(wider, "a", 2, None, NOW + 4) == 3  # idempotent
    state = await state_of(store, 1)
    assert (state.profile, state.available) == (wider, True)
    assert await store.expert_disconnected(1, "a") == 2
    assert await store.assert_expert(wider, "a", 0, (False, NOW + 5), NOW + 5) == 1
    assert (await state_of(store, 1)).available is False
    await store.heartbeat("b", NOW + 6)
    (released,) = await store.claim_dead_processes(NOW + 7)  # "b"'s one share goes
    assert released.experts == [1] and (await state_of(store, 1)).connections == 0
