"""Every refusal: unknown events, bad payloads, other people's conversations, no session."""

from __future__ import annotations

import pytest

from chatserver.keys import store_key
from tests.harness import Nabij, NabijFactory, assert_refused


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("no:such:event", {}),
        ("chat:request", {"audience": "alien"}),
        ("chat:request", {"audience": "victim", "lang": "fr"}),
        ("chat:request", {"audience": "victim", "conversation_id": "x" * 32}),
        ("chat:request", ["victim"]),
        ("chat:request", "victim"),
        ("chat:request", None),
        ("chat:request", {"audience": 1}),
    ],
)
async def test_visitor_bad_input_is_invalid_and_changes_nothing(
    nabij: Nabij, event: str, payload: object
) -> None:
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    visitor = await nabij.visitor()
    ack = await visitor.call(event, payload)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    assert ack["error"]["message"]
    assert await nabij.app[store_key].queue() == []
    assert await nabij.app[store_key].active_conversations(1) == []


async def test_message_validation_and_no_conversation(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    visitor = await nabij.visitor()
    lonely = await visitor.call("message:send", {"client_id": "c1", "body": "hallo"})
    assert lonely["error"]["code"] == "not_found"
    await visitor.call("chat:request", {"audience": "victim"})
    for bad in (
        {"client_id": "c1", "body": "   "},
        {"client_id": "c1", "body": "x" * 2001},
        {"client_id": "", "body": "hallo"},
        {"client_id": "c1"},
        {"client_id": "c1", "body": "hi", "conversation_id": "0" * 32},
    ):
        ack = await visitor.call("message:send", bad)
        assert ack["error"]["code"] == "invalid", bad
    conversation_id = (await nabij.app[store_key].active_conversations(1))[0]
    assert await nabij.app[store_key].messages_after(conversation_id, 0) == []


async def test_a_resend_with_the_same_client_id_is_not_duplicated(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor = await nabij.visitor()
    await visitor.call("chat:request", {"audience": "victim"})
    await expert.next("chat:assigned")
    first = await visitor.call("message:send", {"client_id": "same", "body": "een"})
    again = await visitor.call("message:send", {"client_id": "same", "body": "een"})
    assert (first["id"], first["seq"]) == (again["id"], again["seq"])
    assert (await expert.next("message:new"))["seq"] == 1
    assert await expert.quiet("message:new")
    second = await visitor.call("message:send", {"client_id": "other", "body": "twee"})
    assert second["seq"] == 2


async def test_an_expert_cannot_touch_a_chat_that_is_not_theirs(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=1)
    await nabij.add_expert("bert", capacity=1)
    anna = await nabij.staff("anna")
    bert = await nabij.staff("bert", available=False)
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    await anna.next("chat:assigned")
    cid = ack["conversation_id"]
    attempts = [
        ("message:send", {"conversation_id": cid, "client_id": "x", "body": "hoi"}),
        ("typing", {"conversation_id": cid, "is_typing": True}),
        ("chat:end", {"conversation_id": cid}),
        ("chat:transfer", {"conversation_id": cid}),
        ("alert:raise", {"conversation_id": cid, "note": "help"}),
    ]
    for event, payload in attempts:
        assert (await bert.call(event, payload))["error"]["code"] == "forbidden", event
    unknown = await bert.call("chat:end", {"conversation_id": "f" * 32})
    assert unknown["error"]["code"] == "not_found"
    assert await visitor.quiet("chat:ended") and await visitor.quiet("message:new")
    assert await nabij.app[store_key].active_conversations(1) == [cid]


async def test_staff_namespace_refuses_a_connection_without_a_valid_session(
    nabij: Nabij,
) -> None:
    for headers in ({}, {"Cookie": "nabij_session=forged-token-value"}):
        await assert_refused(nabij.url, "/staff", headers=headers)


async def test_a_visitor_socket_from_a_foreign_origin_is_refused(nabij: Nabij) -> None:
    await assert_refused(nabij.url, "/visitor", headers={"Origin": "https://evil.example"})


async def test_staff_bad_payloads_are_invalid(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    for event, payload in [
        ("presence:set", {"available": "yes"}),
        ("chat:accept", {"conversation_id": 5}),
        ("message:send", {"conversation_id": "short", "client_id": "a", "body": "b"}),
        ("chat:transfer", {"conversation_id": "a" * 32, "to_expert_id": True}),
        ("made:up", None),
    ]:
        assert (await anna.call(event, payload))["error"]["code"] == "invalid", event


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
