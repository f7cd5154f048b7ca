"""Handing a chat over to another expert: who may, and what the visitor sees."""

from __future__ import annotations

from chatserver.keys import store_key
from tests.harness import Nabij


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
