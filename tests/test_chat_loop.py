"""The whole loop, end to end through the real app, on both store/database combinations."""

from __future__ import annotations

from typing import Any

import aiohttp

from chatserver.keys import store_key
from tests.harness import Nabij

VISITOR_TEXT = "Ik weet niet wat ik moet doen, hij wordt steeds bozer."
EXPERT_TEXT = "Fijn dat je schrijft. Ik ben er. Ben je nu veilig?"


async def _pending(nabij: Nabij, token: str) -> list[dict[str, Any]]:
    async with nabij.http(token) as http:
        response = await http.get(f"{nabij.url}/api/registrations?status=pending")
        assert response.status == 200
        body = await response.json()
    return list(body["registrations"])


async def test_visitor_and_expert_talk_end_and_register(nabij: Nabij) -> None:
    await nabij.add_expert("anna", focus=("victim",))
    expert = await nabij.staff("anna")
    visitor = await nabij.visitor()

    ack = await visitor.call("chat:request", {"audience": "victim", "lang": "nl"})
    assert ack["ok"] and ack["position"] == 0 and len(ack["token"]) >= 32
    assert (await visitor.next("chat:assigned")) == {"expert": {"display_name": "Anna"}}
    assigned = await expert.next("chat:assigned")
    conversation_id = ack["conversation_id"]
    assert assigned["conversation_id"] == conversation_id and assigned["audience"] == "victim"

    sent = await visitor.call("message:send", {"client_id": "v1", "body": VISITOR_TEXT})
    assert sent["ok"] and sent["seq"] == 1
    received = await expert.next("message:new")
    assert received["body"] == VISITOR_TEXT and received["sender"] == "visitor"
    assert received["conversation_id"] == conversation_id and received["id"] == sent["id"]

    reply = {"conversation_id": conversation_id, "client_id": "e1", "body": EXPERT_TEXT}
    assert (await expert.call("message:send", reply))["seq"] == 2
    to_visitor = await visitor.next("message:new")
    assert to_visitor["body"] == EXPERT_TEXT and to_visitor["sender"] == "expert"
    assert "conversation_id" not in to_visitor

    assert (await expert.call("chat:end", {"conversation_id": conversation_id}))["ok"]
    assert await visitor.next("chat:ended") == {"by": "expert", "reason": "expert_ended"}
    pending = await expert.next("registration:pending")
    prefill = pending["prefill"]
    assert pending["conversation_id"] == conversation_id
    assert prefill["contact_type"] == "chat" and prefill["contact_seeker"] == "victim"
    assert prefill["duration_minutes"] == 1 and prefill["status"] == "pending"

    token = await nabij.login("anna")
    assert [r["id"] for r in await _pending(nabij, token)] == [pending["registration_id"]]
    completion = {
        "contact_date": prefill["contact_date"],
        "duration_minutes": 35,
        "contact_type": "chat",
        "first_or_followup": "first",
        "contact_seeker": "victim",
        "referral": "website",
        "support": ["listening_ear", "advice_professional_help"],
        "advised_help": ["veilig_thuis"],
    }
    async with nabij.http(token) as http:
        url = f"{nabij.url}/api/registrations/{pending['registration_id']}"
        response = await http.put(url, json=completion)
        assert response.status == 200, await response.text()
        done = (await response.json())["registration"]
    assert done["status"] == "done" and done["duration_minutes"] == 35
    assert done["advised_help"] == ["veilig_thuis"]
    assert await _pending(nabij, token) == []


async def test_visitor_ending_while_waiting_is_abandoned_without_registration(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("bram", capacity=1)
    expert = await nabij.staff("bram")
    first = await nabij.visitor()
    assert (await first.call("chat:request", {"audience": "unknown"}))["position"] == 0
    second = await nabij.visitor()
    ack = await second.call("chat:request", {"audience": "relative", "lang": "en"})
    assert ack["position"] == 1 and ack["estimated_wait_s"] is None  # nothing measured yet

    assert (await second.call("chat:end"))["ok"]
    assert (await second.next("chat:ended"))["reason"] == "visitor_ended"
    update = await expert.until("queue:update", lambda d: d["waiting"] == [])
    assert update == {"waiting": []}
    assert await expert.quiet("registration:pending")


async def test_status_reports_open_only_with_an_available_expert_on_shift(nabij: Nabij) -> None:
    async with aiohttp.ClientSession() as http:
        closed = await (await http.get(f"{nabij.url}/api/status")).json()
        await nabij.add_expert("cato")
        await nabij.staff("cato")
        opened = await (await http.get(f"{nabij.url}/api/status")).json()
    assert closed["open"] is False and opened["open"] is True
    assert {"name": "Veilig Thuis", "phone": "0800-2000", "when": "24/7, gratis, kan anoniem"} in (
        opened["alternatives"]
    )


async def test_a_chat_assigned_at_once_cues_only_the_coordinators(nabij: Nabij) -> None:
    """The queue was empty and stays so: experts' consoles get no queue:update; coordinators
    do, as the cue to reload their overview of running chats."""
    await nabij.add_expert("anna")
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    expert = await nabij.staff("anna")
    coordinator = await nabij.staff("coco", available=False)
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] == 0
    await expert.next("chat:assigned")
    assert await coordinator.next("queue:update") == {"waiting": []}
    assert await expert.quiet("queue:update")


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
