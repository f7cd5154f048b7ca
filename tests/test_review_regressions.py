"""Regressions found in the first review of the core loop; each test failed before its fix."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import aiohttp
from sqlalchemy import select

from chatserver.keys import db_key, store_key
from chatserver.realtime.visitor import client_address
from registration.models import ConversationRecord
from tests.harness import Nabij, NabijFactory, assert_refused


def test_the_visitor_address_comes_from_the_peer_or_the_proxy_it_trusts() -> None:
    environ = {
        "REMOTE_ADDR": "127.0.0.1",  # Engine.IO's aiohttp adapter always says this
        "aiohttp.request": SimpleNamespace(remote="203.0.113.7"),
        "HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.4",
    }
    assert client_address(environ, trusted_proxy=False) == "203.0.113.7"
    assert client_address(environ, trusted_proxy=True) == "198.51.100.4"


async def test_clients_cannot_fire_the_connect_and_disconnect_handlers(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor = await nabij.visitor()
    spoof = await visitor.call("connect", {"REMOTE_ADDR": "6.6.6.6"})
    assert spoof["error"]["code"] == "invalid"
    assert (await expert.call("disconnect", "client disconnect"))["error"]["code"] == "invalid"
    [state] = await nabij.app[store_key].expert_states([1])
    assert (state.connections, state.available) == (1, True)


async def test_a_refused_connection_carries_its_code(nabij: Nabij) -> None:
    refusal = await assert_refused(nabij.url, "/staff")
    assert refusal == {
        "message": "Sign in first.",
        "data": {"code": "unauthorized", "message": "Sign in first."},
    }
    expired = await assert_refused(nabij.url, "/visitor", auth={"token": "y" * 43})
    assert expired["data"]["code"] == "not_found"


async def test_the_console_socket_only_opens_from_nabij_itself(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(widget_origins=("https://team.example",))
    await nabij.add_expert("anna")
    cookie = {"Cookie": f"nabij_session={await nabij.login('anna')}"}
    refusal = await assert_refused(
        nabij.url, "/staff", headers={**cookie, "Origin": "https://team.example"}
    )
    assert refusal["data"]["code"] == "forbidden"
    visitor = await nabij.visitor()  # the widget's host site still reaches /visitor
    assert visitor.client.connected


async def test_signing_out_closes_the_open_console_socket(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    token = await nabij.login("anna")
    peer = await nabij._connect("/staff", headers={"Cookie": f"nabij_session={token}"})
    assert (await peer.call("chats:sync"))["ok"]
    async with nabij.http(token) as http:
        assert (await http.post(f"{nabij.url}/api/auth/logout")).status == 200
    refused = await peer.call("chats:sync")
    assert refused["error"]["code"] == "unauthorized"
    for _ in range(40):
        if not peer.client.connected:
            break
        await asyncio.sleep(0.05)
    assert not peer.client.connected


async def test_client_ids_are_per_expert_across_a_transfer(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=1)
    await nabij.add_expert("bert", capacity=1)
    anna = await nabij.staff("anna")
    bert = await nabij.staff("bert", available=False)
    visitor = await nabij.visitor()
    cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
    await anna.next("chat:assigned")
    first = await anna.call("message:send", {"conversation_id": cid, "client_id": "1", "body": "a"})
    await bert.call("presence:set", {"available": True})
    assert (await anna.call("chat:transfer", {"conversation_id": cid}))["ok"]
    await bert.next("chat:assigned")
    second = await bert.call(
        "message:send", {"conversation_id": cid, "client_id": "1", "body": "b"}
    )
    assert (first["seq"], second["seq"]) == (1, 2)
    assert [(await visitor.next("message:new"))["body"] for _ in range(2)] == ["a", "b"]


async def test_a_transfer_without_a_target_needs_someone_free(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=1)
    anna = await nabij.staff("anna")
    visitor = await nabij.visitor()
    cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
    refused = await anna.call("chat:transfer", {"conversation_id": cid})
    assert refused["error"]["code"] == "unavailable"
    assert await nabij.app[store_key].active_conversations(1) == [cid]
    assert await visitor.quiet("chat:queued")


async def test_the_last_expert_registers_a_chat_requeued_then_left(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    visitor = await nabij.visitor()
    await visitor.call("chat:request", {"audience": "perpetrator"})
    await anna.next("chat:assigned")
    await anna.disconnect()
    await visitor.next("chat:queued")  # anna's grace ran out: back to the queue
    await visitor.call("chat:end")
    token = await nabij.login("anna")
    async with aiohttp.ClientSession(headers={"Cookie": f"nabij_session={token}"}) as http:
        body = await (await http.get(f"{nabij.url}/api/registrations?status=pending")).json()
    [pending] = body["registrations"]
    assert (pending["contact_seeker"], pending["expert_id"]) == ("perpetrator", 1)


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


async def test_a_socket_can_start_a_new_chat_after_its_chat_ended(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    visitor = await nabij.visitor()
    first = await visitor.call("chat:request", {"audience": "victim"})
    await visitor.call("chat:end")
    second = await visitor.call("chat:request", {"audience": "victim"})
    assert second["ok"] and second["conversation_id"] != first["conversation_id"]
    await visitor.call("message:send", {"client_id": "n1", "body": "opnieuw"})
    store = nabij.app[store_key]
    assert [m.body for m in await store.messages_after(second["conversation_id"], 0)] == ["opnieuw"]
    assert await store.messages_after(first["conversation_id"], 0) == []
