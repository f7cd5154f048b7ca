"""Abuse limits: message and typing floods, sockets per address, widget opens per address,
and blocking an abusive visitor.

Chat requests per hashed address per hour: here and tests/test_routing.py; sign-in
attempts per username: tests/test_http_api.py; oversized payloads (``invalid``):
tests/test_protocol_safety.py::test_message_validation_and_no_conversation.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from sqlalchemy import func, select

from chatserver.http.auth import LOGIN_ATTEMPTS_PER_ADDRESS
from chatserver.keys import chat_key, db_key, store_key
from chatserver.realtime.server import MAX_PACKET_BYTES
from chatserver.realtime.throttle import (
    MESSAGE_BURST,
    MESSAGES_PER_S,
    TYPING_BURST,
    TYPING_PER_S,
    TokenBucket,
    typing_bucket,
)
from registration.models import ConversationRecord, Registration, WidgetOpenCount
from staffing.models import AuditEntry
from tests.harness import Nabij, NabijFactory, Peer, assert_refused
from tests.waiting import eventually

#: How long the server may take to close a socket that sent an oversized packet.
CLOSE_S = 2.0


def test_the_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=5, burst=10)
    assert all(bucket.take(0.0) for _ in range(10))
    assert not bucket.take(0.0)
    assert bucket.take(0.2) and not bucket.take(0.2)  # one token back after 1/5 s
    assert all(bucket.take(100.0) for _ in range(10))  # never more than the burst


async def chat(nabij: Nabij, expert: Peer) -> tuple[Peer, str]:
    """A visitor in a chat assigned to ``expert``."""
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"], ack
    await expert.next("chat:assigned")
    return visitor, str(ack["conversation_id"])


async def test_a_message_flood_is_rate_limited_and_not_relayed(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor, cid = await chat(nabij, expert)
    acks = [
        await visitor.call("message:send", {"client_id": f"c{i}", "body": "hallo"})
        for i in range(int(MESSAGE_BURST) + 5)
    ]
    sent = [a for a in acks if a["ok"]]
    limited = [a for a in acks if not a["ok"]]
    assert len(sent) >= MESSAGE_BURST and limited
    assert {a["error"]["code"] for a in limited} == {"rate_limited"}
    stored = await nabij.app[store_key].messages_after(cid, 0)
    assert len(stored) == len(sent)
    relayed = [await expert.next("message:new") for _ in sent]
    assert len(relayed) == len(sent) and await expert.quiet("message:new")
    await asyncio.sleep(0.3)  # the bucket refills: the visitor can talk again
    assert (await visitor.call("message:send", {"client_id": "later", "body": "hoi"}))["ok"]


async def test_too_many_sockets_from_one_address_are_refused(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(visitor_sockets_per_address=2)
    first, _ = await nabij.visitor(), await nabij.visitor()
    refusal = await assert_refused(nabij.url, "/visitor")
    assert "rate_limited" in str(refusal), refusal
    await first.disconnect()
    await asyncio.sleep(0.1)
    await nabij.visitor()  # a closed socket frees its place


async def audit_actions(nabij: Nabij) -> list[tuple[str, str, str]]:
    async with nabij.app[db_key]() as session:
        rows = (await session.scalars(select(AuditEntry))).all()
    return [(row.action, row.subject, row.details) for row in rows]


async def test_blocking_a_visitor_ends_the_chat_and_refuses_them(nabij: Nabij) -> None:
    """With ``hashed_ip``: the token, the socket and the address get no new chat."""
    await nabij.add_expert("anna", capacity=5)
    expert = await nabij.staff("anna")
    visitor, cid = await chat(nabij, expert)
    await visitor.call("message:send", {"client_id": "c1", "body": "dreigende taal"})
    ack = await expert.call("visitor:block", {"conversation_id": cid, "hashed_ip": True})
    assert ack == {"ok": True}
    assert (await visitor.next("chat:ended"))["by"] == "expert"
    again = await visitor.call("chat:request", {"audience": "victim"})
    assert again["error"]["code"] == "rate_limited", again
    other = await nabij.visitor()
    assert (await other.call("chat:request", {"audience": "victim"}))["error"][
        "code"
    ] == "rate_limited"
    actions = await audit_actions(nabij)
    assert actions == [("visitor.block", f"conversation:{cid}", '{"by_address": true}')]
    assert "dreigende" not in str(actions)


async def test_a_blocked_token_cannot_resume(nabij: Nabij) -> None:
    """Without ``hashed_ip``: the token and its socket are refused, the address is not."""
    await nabij.add_expert("anna", capacity=5)
    expert = await nabij.staff("anna")
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    await expert.next("chat:assigned")
    assert (await expert.call("visitor:block", {"conversation_id": ack["conversation_id"]}))["ok"]
    refusal = await assert_refused(nabij.url, "/visitor", auth={"token": ack["token"]})
    assert "not_found" in str(refusal), refusal
    same = await visitor.call("chat:request", {"audience": "victim"})
    assert same["error"]["code"] == "rate_limited"
    fresh = await nabij.visitor()
    assert (await fresh.call("chat:request", {"audience": "victim"}))["ok"]


async def test_who_may_block(nabij: Nabij) -> None:
    """Only the expert holding the chat, or a coordinator; bad input changes nothing."""
    await nabij.add_expert("anna", capacity=5)
    await nabij.add_expert("bert")
    await nabij.add_expert("cora", role="coordinator")
    anna = await nabij.staff("anna")
    bert = await nabij.staff("bert", available=False)
    cora = await nabij.staff("cora", available=False)
    visitor, cid = await chat(nabij, anna)
    bad: list[Any] = [None, {"conversation_id": cid, "hashed_ip": "yes"}, {"conversation_id": 1}]
    for payload in bad:
        assert (await anna.call("visitor:block", payload))["error"]["code"] == "invalid"
    refused = await bert.call("visitor:block", {"conversation_id": cid})
    assert refused["error"]["code"] == "forbidden"
    assert await visitor.quiet("chat:ended") and await audit_actions(nabij) == []
    assert (await cora.call("visitor:block", {"conversation_id": cid}))["ok"]
    assert (await visitor.next("chat:ended"))["by"] == "expert"


async def test_sign_in_attempts_are_limited_per_address(nabij: Nabij) -> None:
    """Trying many usernames from one address is throttled too (not only per username)."""
    async with aiohttp.ClientSession() as http:
        statuses = []
        for i in range(LOGIN_ATTEMPTS_PER_ADDRESS + 1):
            body = {"username": f"guess{i}", "password": "wrong"}
            async with http.post(f"{nabij.url}/api/auth/login", json=body) as response:
                statuses.append(response.status)
    assert statuses[:-1] == [401] * LOGIN_ATTEMPTS_PER_ADDRESS
    assert statuses[-1] == 429


async def test_oversized_payloads_are_invalid_and_oversized_packets_dropped(nabij: Nabij) -> None:
    """Within the packet limit a too-long body is ``invalid``; beyond it the socket closes."""
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor, cid = await chat(nabij, expert)
    long_body = "x" * (MAX_PACKET_BYTES // 2)
    ack = await visitor.call("message:send", {"client_id": "c1", "body": long_body})
    assert ack["error"]["code"] == "invalid"
    await visitor.client.emit(
        "message:send", {"client_id": "c2", "body": "y" * MAX_PACKET_BYTES}, namespace="/visitor"
    )
    await eventually(
        lambda: not visitor.client.connected, what="the socket to close", timeout=CLOSE_S
    )
    assert not visitor.client.connected
    assert await nabij.app[store_key].messages_after(cid, 0) == []


async def test_an_oversized_http_body_is_refused_with_413(nabij: Nabij) -> None:
    """Bodies above 64 KiB never reach a handler; the answer is JSON ``invalid``."""
    await nabij.add_expert("anna")
    async with nabij.http(await nabij.login("anna")) as http:
        body = {"note": "x" * 70_000}
        async with http.post(f"{nabij.url}/api/registrations", json=body) as response:
            assert response.status == 413
            assert (await response.json())["error"]["code"] == "invalid"
    async with nabij.app[db_key]() as session:
        assert await session.scalar(select(func.count()).select_from(Registration)) == 0


async def test_an_expert_can_block_a_visitor_who_just_left(nabij: Nabij) -> None:
    """Within the grace after the visitor ended the chat, its expert can still block."""
    await nabij.add_expert("anna", capacity=5)
    expert = await nabij.staff("anna")
    visitor, cid = await chat(nabij, expert)
    assert (await visitor.call("chat:end"))["ok"]
    ack = await expert.call("visitor:block", {"conversation_id": cid, "hashed_ip": True})
    assert ack == {"ok": True}
    fresh = await nabij.visitor()
    refused = await fresh.call("chat:request", {"audience": "victim"})
    assert refused["error"]["code"] == "rate_limited"


async def test_a_typing_flood_is_throttled_and_not_relayed_both_ways(nabij: Nabij) -> None:
    """3,001 ``typing`` in 0.18 s all reached the other side once; now the burst does."""
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor, cid = await chat(nabij, expert)
    flood = int(TYPING_BURST) + 20
    for sender, receiver, payload in (
        (visitor, expert, {"is_typing": True}),
        (expert, visitor, {"conversation_id": cid, "is_typing": True}),
    ):
        acks = await asyncio.gather(*(sender.call("typing", payload) for _ in range(flood)))
        passed = [a for a in acks if a["ok"]]
        limited = [a for a in acks if not a["ok"]]
        assert {a["error"]["code"] for a in limited} == {"rate_limited"}
        assert TYPING_BURST <= len(passed) <= TYPING_BURST + 2, len(passed)
        relayed = [await receiver.next("typing") for _ in passed]
        assert len(relayed) == len(passed) and await receiver.quiet("typing")
        await asyncio.sleep(1 / TYPING_PER_S + 0.1)  # a token back: typing works again
        assert (await sender.call("typing", payload))["ok"]
        await receiver.next("typing")


def test_the_typing_bucket_is_its_own() -> None:
    bucket = typing_bucket()
    assert (bucket.rate, bucket.burst) == (TYPING_PER_S, TYPING_BURST)
    assert TokenBucket().rate == MESSAGES_PER_S  # messages keep theirs


async def widget_opens(nabij: Nabij) -> int:
    async with nabij.app[db_key]() as session:
        return int(await session.scalar(select(func.sum(WidgetOpenCount.count))) or 0)


async def test_widget_opens_count_once_per_address_an_hour(nabij_factory: NabijFactory) -> None:
    """500 anonymous posts in 0.8 s all counted once; now one address counts once an hour."""
    nabij = await nabij_factory(trusted_proxy=True)
    url = f"{nabij.url}/api/events/widget-open"
    async with aiohttp.ClientSession() as http:

        async def post(address: str) -> int:
            async with http.post(url, headers={"X-Forwarded-For": address}) as response:
                return response.status

        statuses = await asyncio.gather(*(post("203.0.113.5") for _ in range(60)))
        assert set(statuses) == {204}  # a repeat is told nothing
        assert await widget_opens(nabij) == 1
        assert await post("198.51.100.9") == 204
        assert await widget_opens(nabij) == 2
        chat_service = nabij.app[chat_key]
        later = chat_service.clock() + 3601
        chat_service.clock = lambda: later  # an hour on: the same address counts again
        assert await post("203.0.113.5") == 204
    assert await widget_opens(nabij) == 3


async def test_closed_retries_count_once_and_do_not_use_up_the_quota(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(chat_requests_per_hour=1)
    visitor = await nabij.visitor()
    for _ in range(3):
        ack = await visitor.call("chat:request", {"audience": "victim"})
        assert ack["error"]["code"] == "closed"
    async with nabij.app[db_key]() as session:
        records = (await session.scalars(select(ConversationRecord))).all()
    assert [r.outcome for r in records] == ["missed"]
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    assert (await visitor.call("chat:request", {"audience": "victim"}))["ok"]
