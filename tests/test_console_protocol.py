"""What the console needs from the server to tell people apart: who wrote each expert
message, who handed a chat over, how a chat ended, what an alert is about, the visitor's
chosen audience on the registration, and quick replies changing, on both stacks.
"""

from __future__ import annotations

from typing import Any

from tests.harness import Nabij, Peer


async def _chat_with(nabij: Nabij, expert: Peer, audience: str = "victim") -> tuple[Peer, str]:
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": audience})
    assert ack["ok"] and ack["position"] == 0, ack
    await expert.next("chat:assigned")
    return visitor, str(ack["conversation_id"])


def _names(messages: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(m["sender"], (m.get("expert") or {}).get("display_name")) for m in messages]


async def test_expert_messages_carry_their_writer_across_a_transfer(nabij: Nabij) -> None:
    anna_id = await nabij.add_expert("anna")
    bert_id = await nabij.add_expert("bert")
    anna = await nabij.staff("anna")
    visitor, conversation_id = await _chat_with(nabij, anna)
    bert = await nabij.staff("bert")
    bert_elsewhere = await nabij.staff("bert", available=False)  # a second console of Bert's
    await visitor.call("message:send", {"client_id": "v1", "body": "Hallo"})
    sent = {"conversation_id": conversation_id, "client_id": "c1", "body": "Ik ben Anna."}
    assert (await anna.call("message:send", sent))["ok"]

    handed = await anna.call(
        "chat:transfer", {"conversation_id": conversation_id, "to_expert_id": bert_id}
    )
    assert handed["ok"] and handed["to_expert"] == {"id": bert_id, "display_name": "Bert"}
    assigned = await bert.next("chat:assigned")
    assert assigned["from_expert"] == {"id": anna_id, "display_name": "Anna"}
    assert _names(assigned["messages"]) == [("visitor", None), ("expert", "Anna")]
    assert assigned["messages"][1]["expert"]["id"] == anna_id

    # Bert writes the same client id as Anna did: a new message, with his name.
    reply = {"conversation_id": conversation_id, "client_id": "c1", "body": "Ik ben Bert."}
    assert (await bert.call("message:send", reply))["seq"] == 3
    live = await bert_elsewhere.until("message:new", lambda m: m["seq"] == 3)
    assert live["expert"] == {"id": bert_id, "display_name": "Bert"}
    to_visitor = await visitor.until("message:new", lambda m: m["seq"] == 3)
    assert "expert" not in to_visitor  # staff ids stay with staff
    synced = await bert.call("chats:sync")
    [chat] = synced["chats"]
    assert _names(chat["messages"]) == [("visitor", None), ("expert", "Anna"), ("expert", "Bert")]


async def test_the_visitors_ending_says_whether_they_ended_left_or_fled(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=3)
    anna = await nabij.staff("anna")
    ended, _ = await _chat_with(nabij, anna)
    fled, fled_id = await _chat_with(nabij, anna)
    left, left_id = await _chat_with(nabij, anna)

    refused = await fled.call("chat:end", {"reason": "bye"})
    assert not refused["ok"] and refused["error"]["code"] == "invalid"
    assert (await anna.call("chats:sync"))["chats"][1]["state"] == "active"  # nothing changed

    assert (await ended.call("chat:end"))["ok"]
    assert (await anna.next("chat:ended"))["reason"] == "visitor_ended"
    assert (await fled.call("chat:end", {"reason": "quick_exit"}))["ok"]
    assert await anna.next("chat:ended") == {
        "by": "visitor",
        "reason": "visitor_quick_exit",
        "conversation_id": fled_id,
    }
    await left.disconnect()  # gone without a word: ended after the reconnect grace
    gone = await anna.next("chat:ended")
    assert (gone["conversation_id"], gone["reason"]) == (left_id, "visitor_left")


async def test_an_alert_names_the_chats_audience_and_start(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("cora", role="coordinator", on_shift=False)
    anna = await nabij.staff("anna")
    _, conversation_id = await _chat_with(nabij, anna, "perpetrator")
    cora = await nabij.staff("cora", available=False)
    started = (await anna.call("chats:sync"))["chats"][0]["assigned_at"]

    raised = await anna.call("alert:raise", {"conversation_id": conversation_id, "note": "Mes"})
    assert raised["ok"], raised
    alert = await cora.next("alert:new")
    assert (alert["audience"], alert["assigned_at"]) == ("perpetrator", started)
    assert alert["expert"]["display_name"] == "Anna"
    [synced] = (await cora.call("chats:sync"))["alerts"]
    assert (synced["audience"], synced["assigned_at"]) == ("perpetrator", started)


async def _registrations(nabij: Nabij, token: str, status: str) -> list[dict[str, Any]]:
    async with nabij.http(token) as http:
        response = await http.get(f"{nabij.url}/api/registrations?status={status}")
        assert response.status == 200
        return list((await response.json())["registrations"])


async def test_a_relatives_registration_shows_the_audience_and_prefills_no_seeker(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    _, conversation_id = await _chat_with(nabij, anna, "relative")
    assert (await anna.call("chat:end", {"conversation_id": conversation_id}))["ok"]
    pending = await anna.next("registration:pending")
    prefill = pending["prefill"]
    # "relative" is not "parent of a victim": no code of the evaluation fits exactly.
    assert (prefill["contact_seeker"], prefill["visitor_audience"]) == (None, "relative")

    token = await nabij.login("anna")
    [listed] = await _registrations(nabij, token, "pending")
    assert listed["visitor_audience"] == "relative"
    completion = {
        "contact_date": prefill["contact_date"],
        "duration_minutes": 20,
        "contact_type": "chat",
        "first_or_followup": "first",
        "contact_seeker": "other",
        "referral": "website",
        "support": ["listening_ear"],
        "advised_help": [],
    }
    async with nabij.http(token) as http:
        url = f"{nabij.url}/api/registrations/{pending['registration_id']}"
        response = await http.put(url, json=completion)
        assert response.status == 200, await response.text()
        assert (await response.json())["registration"]["visitor_audience"] is None
    [done] = await _registrations(nabij, token, "done")
    assert done["visitor_audience"] is None  # unlinked from the chat once completed


async def test_every_console_hears_when_the_quick_replies_change(nabij: Nabij) -> None:
    await nabij.add_expert("cora", role="coordinator")
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna", available=False)
    token = await nabij.login("cora")
    async with nabij.http(token) as http:
        created = await http.post(
            f"{nabij.url}/api/quick-replies", json={"title": "Welkom", "body": "Hoi!"}
        )
        assert created.status == 201
        assert await anna.next("quickreplies:changed") == {}
        form = {"title": "Dag", "body": "Tot ziens.", "csrf_token": nabij.csrf(token)}
        page = await http.post(
            f"{nabij.url}/console/quick-replies", data=form, allow_redirects=False
        )
        assert page.status == 303
        assert await anna.next("quickreplies:changed") == {}
        refused = await http.post(f"{nabij.url}/api/quick-replies", json={"title": "", "body": "x"})
        assert refused.status == 400
    assert await anna.quiet("quickreplies:changed")
