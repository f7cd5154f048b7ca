"""Reconnects: resume with every missed message, grace periods, erasure of content."""

from __future__ import annotations

import asyncio

from chatserver.keys import store_key
from tests.harness import Nabij, Peer, assert_refused
from tests.waiting import eventually

#: How long the erasure after the end and the (short) grace may take.
ERASED_S = 3.0


async def _chat(nabij: Nabij, *names: str) -> tuple[list[Peer], Peer, dict]:
    experts = []
    for name in names:
        await nabij.add_expert(name, capacity=1)
        experts.append(await nabij.staff(name))
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    await visitor.next("chat:assigned")
    return experts, visitor, ack


async def test_resume_replays_every_later_message_then_chat_resumed(nabij: Nabij) -> None:
    (expert,), visitor, ack = await _chat(nabij, "anna")
    cid = ack["conversation_id"]
    await visitor.call("message:send", {"client_id": "v1", "body": "een"})
    await visitor.disconnect()
    for n, body in enumerate(["twee", "drie"]):
        await expert.call(
            "message:send", {"conversation_id": cid, "client_id": f"e{n}", "body": body}
        )

    back = await nabij.visitor(auth={"token": ack["token"], "last_seq": 1})
    replayed = [await back.next("message:new") for _ in range(2)]
    assert [(m["seq"], m["body"]) for m in replayed] == [(2, "twee"), (3, "drie")]
    resumed = await back.next("chat:resumed")
    assert resumed["state"] == "active" and resumed["expert"] == {"display_name": "Anna"}
    assert resumed["last_seq"] == 3
    ack = await back.call("message:send", {"client_id": "v2", "body": "vier"})
    assert ack["seq"] == 4
    assert await expert.quiet("chat:ended", 1.0)  # the grace period did not end it


async def test_a_stale_or_forged_token_is_refused(nabij: Nabij) -> None:
    await assert_refused(nabij.url, "/visitor", auth={"token": "x" * 43, "last_seq": 0})


async def test_a_visitor_gone_past_the_grace_ends_the_chat(nabij: Nabij) -> None:
    (expert,), visitor, _ = await _chat(nabij, "anna")
    await visitor.disconnect()
    ended = await expert.next("chat:ended")
    assert (ended["by"], ended["reason"]) == ("visitor", "visitor_left")
    assert (await expert.next("registration:pending"))["prefill"]["contact_type"] == "chat"


async def test_an_expert_gone_past_the_grace_returns_the_chat_to_the_queue_head(
    nabij: Nabij,
) -> None:
    (anna,), visitor, ack = await _chat(nabij, "anna")
    await anna.disconnect()
    queued = await visitor.next("chat:queued", timeout=3)
    assert queued["position"] == 1
    await nabij.add_expert("bert")
    bert = await nabij.staff("bert")
    assigned = await bert.next("chat:assigned")
    assert assigned["conversation_id"] == ack["conversation_id"]
    assert (await visitor.next("chat:assigned"))["expert"]["display_name"] == "Bert"


async def test_an_expert_back_within_the_grace_keeps_the_chat(nabij: Nabij) -> None:
    (anna,), visitor, ack = await _chat(nabij, "anna")
    await anna.disconnect()
    anna_again = await nabij.staff("anna")
    await asyncio.sleep(1.0)
    sync = await anna_again.call("chats:sync")
    assert [c["conversation_id"] for c in sync["chats"]] == [ack["conversation_id"]]
    assert visitor.pending("chat:queued") == []


async def test_content_is_erased_after_the_end_and_the_grace(nabij: Nabij) -> None:
    _experts, visitor, ack = await _chat(nabij, "anna")
    cid = ack["conversation_id"]
    await visitor.call("message:send", {"client_id": "v1", "body": "geheim"})
    await visitor.call("chat:end")
    store = nabij.app[store_key]
    assert await store.messages_after(cid, 0) != []  # kept for the reconnect grace
    await eventually(
        lambda: store.get_conversation(cid),
        what="the chat to be erased",
        until=lambda conversation: conversation is None,
        timeout=ERASED_S,
    )
    assert await store.get_conversation(cid) is None
    assert await store.messages_after(cid, 0) == []
    assert await store.conversation_for_token(ack["token"]) is None


async def test_transfer_to_a_named_expert_and_a_mentor_alert(nabij: Nabij) -> None:
    (anna, bert), visitor, ack = await _chat(nabij, "anna", "bert")
    await nabij.add_expert("coco", role="coordinator")
    coordinator = await nabij.staff("coco", available=False)
    cid = ack["conversation_id"]
    anna_holds = cid in await nabij.app[store_key].active_conversations(1)
    holder, other = (anna, bert) if anna_holds else (bert, anna)
    other_id = 2 if anna_holds else 1

    alert = await holder.call("alert:raise", {"conversation_id": cid, "note": "Dreiging genoemd"})
    assert alert["ok"]
    received = await coordinator.next("alert:new")
    assert received["conversation_id"] == cid and received["note"] == "Dreiging genoemd"
    assert await other.quiet("alert:new")

    moved = await holder.call(
        "chat:transfer", {"conversation_id": cid, "to_expert_id": other_id, "note": "Overdracht"}
    )
    assert moved["ok"], moved
    assert (await holder.next("chat:released"))["reason"] == "transferred"
    handed = await other.next("chat:assigned")
    assert handed["conversation_id"] == cid and handed["note"] == "Overdracht"
    name = (await visitor.next("chat:assigned"))["expert"]["display_name"]
    assert name == ("Bert" if other is bert else "Anna")
    again = await holder.call(
        "message:send", {"conversation_id": cid, "client_id": "z", "body": "x"}
    )
    assert again["error"]["code"] == "forbidden"
