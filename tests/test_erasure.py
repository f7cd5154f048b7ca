"""Erasing chat content is at least once, on both stacks through the real app.

Each deadline is claimed with a lease and confirmed only after its handler succeeded, so a
handler that fails once is retried, and one poisoned id does not cost the rest of its batch;
behind it, every content key has a TTL that needs no sweeper. After each test nothing
under the Redis prefix (or in the memory store) holds content. A process killed between
claim and erase is in tests/test_erasure_faults.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from chatserver import lifecycle
from chatserver.chat.sweeper import Sweeper
from chatserver.keys import chat_key, db_key, messagebox_key, store_key
from chatserver.live.store import LiveStore
from tests.content import memory_content, redis_content, redis_ttls
from tests.harness import Nabij, NabijFactory, Peer
from tests.waiting import eventually

SECRET = "kwikstaart-geheim-6610"
LEASE_S = 0.3
#: Grace 0.6 s + a lease or two + sweeps, with room for a busy machine; below the
#: content TTL of these tests (0.6 + 2 * 0.3 + 5 s), so it is the retry that erases.
ERASED_WITHIN_S = 5.0


async def _chat(nabij: Nabij, expert_name: str = "anna") -> tuple[Peer, Peer, str]:
    """An expert and a visitor who said something private: (expert, visitor, conversation)."""
    await nabij.add_expert(expert_name, capacity=3)
    expert = await nabij.staff(expert_name)
    return (expert, *await _visitor_says(nabij, expert))


async def _visitor_says(nabij: Nabij, expert: Peer) -> tuple[Peer, str]:
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"] and ack["position"] == 0, ack
    await expert.next("chat:assigned")
    assert (await visitor.call("message:send", {"client_id": "v1", "body": SECRET}))["ok"]
    return visitor, str(ack["conversation_id"])


async def content_left(nabij: Nabij, stack: dict[str, str | None], prefix: str) -> Any:
    """What of the chat is still in the live store (a Redis scan of the prefix, or memory)."""
    if stack["redis_url"]:
        return await redis_content(str(stack["redis_url"]), prefix, (SECRET,))
    return memory_content(nabij.app[store_key], (SECRET,))


async def _until_gone(store: LiveStore, *conversation_ids: str, within: float) -> None:
    async def gone() -> bool:
        return all([await store.get_conversation(c) is None for c in conversation_ids])

    await eventually(gone, what=f"{', '.join(conversation_ids)} to be erased", timeout=within)


def _failing_first(real: Callable[..., Awaitable[Any]], calls: list[Any]) -> Any:
    """``real``, except that its first call raises (a Redis blip, a bug fixed by a retry)."""

    async def flaky(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError(SECRET)  # an error text that quotes content is never logged
        return await real(*args)

    return flaky


def _deadline_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("deadline failed")]


def _assert_logged_without_content(caplog: pytest.LogCaptureFixture, kind: str, key: str) -> None:
    (record, *_) = _deadline_warnings(caplog)
    assert record.getMessage() == f"deadline failed kind={kind} key={key} error=RuntimeError"
    assert record.exc_info is None
    assert not [r for r in caplog.records if SECRET in f"{r.getMessage()} {r.exc_text}"]


async def test_an_erase_that_fails_once_is_done_after_the_lease(
    nabij_factory: NabijFactory,
    stack: dict[str, str | None],
    redis_prefix: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nabij = await nabij_factory(deadline_lease_s=LEASE_S)
    store, calls = nabij.app[store_key], []
    monkeypatch.setattr(store, "erase", _failing_first(store.erase, calls))
    _expert, visitor, cid = await _chat(nabij)
    assert (await visitor.call("chat:end"))["ok"]
    await _until_gone(store, cid, within=ERASED_WITHIN_S)
    assert calls == [(cid,), (cid,)]
    _assert_logged_without_content(caplog, "erase", cid)
    await nabij.close()
    assert not await content_left(nabij, stack, redis_prefix)


async def test_a_visitor_gone_that_fails_once_still_ends_and_erases_the_chat(
    nabij_factory: NabijFactory,
    stack: dict[str, str | None],
    redis_prefix: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nabij = await nabij_factory(deadline_lease_s=LEASE_S)
    chat, calls = nabij.app[chat_key], []
    monkeypatch.setattr(chat, "do_end_chat", _failing_first(chat.do_end_chat, calls))
    expert, visitor, cid = await _chat(nabij)
    await visitor.disconnect()
    ended = await expert.next("chat:ended")
    assert (ended["conversation_id"], ended["reason"]) == (cid, "visitor_left")
    assert (await expert.next("registration:pending"))["conversation_id"] == cid
    assert calls == [(cid, "visitor", "visitor_left")] * 2
    _assert_logged_without_content(caplog, "visitor_gone", cid)
    await _until_gone(nabij.app[store_key], cid, within=ERASED_WITHIN_S)
    await nabij.close()
    assert not await content_left(nabij, stack, redis_prefix)


class _IdleSweeper(Sweeper):
    """The app's own sweeper, doing nothing: the test sweeps by hand (or not at all)."""

    async def sweep(self) -> None:
        return None


async def test_one_poisoned_id_does_not_cost_the_rest_of_its_batch(
    nabij_factory: NabijFactory,
    stack: dict[str, str | None],
    redis_prefix: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lifecycle, "Sweeper", _IdleSweeper)
    nabij = await nabij_factory(deadline_lease_s=LEASE_S)
    store, chat = nabij.app[store_key], nabij.app[chat_key]
    expert, _, first = await _chat(nabij)
    chats = [first] + [(await _visitor_says(nabij, expert))[1] for _ in range(2)]
    real_erase = store.erase

    async def erase(conversation_id: str) -> None:
        if conversation_id == "poisoned":
            raise RuntimeError("a bug for this one id")
        await real_erase(conversation_id)

    monkeypatch.setattr(store, "erase", erase)
    await store.schedule("erase", "poisoned", chat.clock() - 60)  # first in the batch
    for cid in chats:
        assert (await expert.call("chat:end", {"conversation_id": cid}))["ok"]
    await asyncio.sleep(nabij.app[chat_key].settings.reconnect_grace_s + 0.1)

    await Sweeper(chat, nabij.app[db_key], nabij.app[messagebox_key]).sweep()  # one batch of four
    assert [await store.get_conversation(cid) for cid in chats] == [None] * 3
    assert [r.getMessage() for r in _deadline_warnings(caplog)] == [
        "deadline failed kind=erase key=poisoned error=RuntimeError"
    ]
    # The poisoned id is not lost either: it comes back after its lease.
    later = await store.claim_due("erase", chat.clock() + LEASE_S, LEASE_S)
    assert [claim.key for claim in later] == ["poisoned"]
    await nabij.close()
    assert not await content_left(nabij, stack, redis_prefix)


async def test_content_expires_by_its_ttl_with_no_sweeper_running(
    nabij_factory: NabijFactory,
    stack: dict[str, str | None],
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The backstop: with the sweeper stopped, nobody erases; the TTL removes it all."""
    monkeypatch.setattr(lifecycle, "Sweeper", _IdleSweeper)
    nabij = await nabij_factory(reconnect_grace_s=0.3, deadline_lease_s=LEASE_S)
    ttl_s = 0.3 + 2 * LEASE_S + 5.0  # grace + two leases + a heartbeat's life
    _expert, visitor, cid = await _chat(nabij)
    assert (await visitor.call("chat:end"))["ok"]
    ended_at = time.monotonic()
    if stack["redis_url"]:
        ttls = await redis_ttls(str(stack["redis_url"]), redis_prefix)
        assert len(ttls) == 4 and all(0 < ttl <= ttl_s * 1000 for ttl in ttls.values()), ttls
    await nabij.close()
    store = nabij.app[store_key]
    await _until_gone(store, cid, within=ttl_s + 3)
    assert time.monotonic() - ended_at > ttl_s - 1  # the TTL did it, not an erase
    await asyncio.sleep(0.3)  # the memory store's next purge; Redis expires on its own
    assert not await content_left(nabij, stack, redis_prefix)
