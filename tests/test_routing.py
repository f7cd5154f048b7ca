"""Routing: roster, focus, load, idle time, the queue, capacity, closed."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.harness import Nabij, NabijFactory, Peer


async def _request(nabij: Nabij, audience: str = "victim") -> tuple[Peer, dict]:
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": audience})
    assert ack["ok"], ack
    return visitor, ack


async def _assigned_name(visitor: Peer) -> str:
    return str((await visitor.next("chat:assigned"))["expert"]["display_name"])


async def test_focus_match_wins_over_a_lighter_load(nabij: Nabij) -> None:
    await nabij.add_expert("piet", focus=("perpetrator",))
    await nabij.add_expert("vera", focus=("victim",))
    await nabij.staff("piet")
    await nabij.staff("vera")
    first, _ = await _request(nabij, "victim")
    assert await _assigned_name(first) == "Vera"
    second, _ = await _request(nabij, "victim")
    assert await _assigned_name(second) == "Vera"  # Piet is idle, but Vera matches
    third, _ = await _request(nabij, "perpetrator")
    assert await _assigned_name(third) == "Piet"


async def test_fewest_chats_then_longest_idle(nabij: Nabij) -> None:
    await nabij.add_expert("ada", focus=("victim",), capacity=3)
    await nabij.add_expert("bob", focus=("victim",), capacity=3)
    await nabij.staff("ada")
    await asyncio.sleep(0.02)
    await nabij.staff("bob")
    first, _ = await _request(nabij)
    assert await _assigned_name(first) == "Ada"  # equal load: Ada idle longest
    second, _ = await _request(nabij)
    assert await _assigned_name(second) == "Bob"  # fewer chats
    third, _ = await _request(nabij)
    assert await _assigned_name(third) == "Ada"  # equal load: Ada's last assignment is older


async def test_no_focus_match_falls_back_to_any_eligible_expert(nabij: Nabij) -> None:
    await nabij.add_expert("piet", focus=("perpetrator",))
    await nabij.staff("piet")
    visitor, _ = await _request(nabij, "professional")
    assert await _assigned_name(visitor) == "Piet"


async def test_queue_is_fifo_and_the_head_gets_freed_capacity(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=1)
    expert = await nabij.staff("anna")
    _, first_ack = await _request(nabij)
    second, second_ack = await _request(nabij)
    third, third_ack = await _request(nabij)
    assert [second_ack["position"], third_ack["position"]] == [1, 2]
    # No chat has been measured yet: no wait is made up (tests/test_wait_estimate.py).
    assert [third_ack["estimated_wait_s"], third_ack["wait_range_min"]] == [None, None]
    update = await expert.until("queue:update", lambda d: len(d["waiting"]) == 2)
    assert [w["conversation_id"] for w in update["waiting"]] == [
        second_ack["conversation_id"],
        third_ack["conversation_id"],
    ]
    assert set(update["waiting"][0]) == {"conversation_id", "audience", "lang", "waiting_since"}

    await expert.call("chat:end", {"conversation_id": first_ack["conversation_id"]})
    assert await _assigned_name(second) == "Anna"
    queued = await third.until("chat:queued", lambda d: d["position"] == 1)
    assert (queued["estimated_wait_s"], queued["wait_range_min"]) == (None, None)
    assert third.pending("chat:assigned") == []


async def test_capacity_is_never_exceeded(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=2)
    expert = await nabij.staff("anna")
    acks = [(await _request(nabij))[1] for _ in range(4)]
    assert [a["position"] for a in acks] == [0, 0, 1, 2]
    sync = await expert.call("chats:sync")
    assert len(sync["chats"]) == 2 and len(sync["waiting"]) == 2


async def test_closed_outside_the_roster_with_next_opening(nabij: Nabij) -> None:
    expert_id = await nabij.add_expert("late", on_shift=False)
    opening = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=3)
    await nabij.add_shift(expert_id, opening, opening + dt.timedelta(hours=3))
    staff = await nabij.staff("late", available=False)
    refused = await staff.call("presence:set", {"available": True})
    assert refused["error"]["code"] == "not_on_shift"

    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"] is False and ack["error"]["code"] == "closed"
    assert dt.datetime.fromisoformat(ack["next_opening"]) == opening


async def test_closed_when_the_rostered_expert_is_not_online(nabij: Nabij) -> None:
    await nabij.add_expert("absent")
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["error"]["code"] == "closed" and ack["next_opening"] is None
    again = await visitor.call("chat:request", {"audience": "victim"})
    assert again["error"]["code"] == "closed"  # a refused request leaves nothing behind


async def test_an_expert_off_shift_is_never_routed_to(nabij: Nabij) -> None:
    await nabij.add_expert("onduty", capacity=1)
    await nabij.staff("onduty")
    await nabij.add_expert("offduty", on_shift=False)
    offduty = await nabij.staff("offduty", available=False)
    first, _ = await _request(nabij)
    assert await _assigned_name(first) == "Onduty"
    _, queued = await _request(nabij)
    assert queued["position"] == 1
    assert await offduty.quiet("chat:assigned")


async def test_manual_accept_first_wins_the_rest_get_taken(nabij: Nabij) -> None:
    await nabij.add_expert("busy", capacity=1)
    await nabij.staff("busy")
    await _request(nabij)
    waiting, ack = await _request(nabij)
    helpers = []
    for name in ("hans", "ines", "joop"):
        await nabij.add_expert(name)
        helpers.append(await nabij.staff(name, available=False))
    payload = {"conversation_id": ack["conversation_id"]}
    results = await asyncio.gather(*(h.call("chat:accept", payload) for h in helpers))
    codes = sorted("ok" if r["ok"] else r["error"]["code"] for r in results)
    assert codes == ["ok", "taken", "taken"]
    winner = helpers[[r["ok"] for r in results].index(True)]
    assert (await winner.next("chat:assigned"))["conversation_id"] == ack["conversation_id"]
    assert (await waiting.next("chat:assigned"))["expert"]["display_name"] in {
        "Hans",
        "Ines",
        "Joop",
    }


async def test_a_chat_handed_over_from_the_queue_updates_the_consoles_once(
    nabij_factory: NabijFactory,
) -> None:
    """An ending frees a seat and the waiting chat is assigned: one ``queue:update``, not two.

    The sweeper is kept out (it drains the queue too, and would be a second sender).
    """
    nabij = await nabij_factory(sweep_interval_s=3600)
    await nabij.add_expert("bram", capacity=1)
    expert = await nabij.staff("bram")
    first, second = await nabij.visitor(), await nabij.visitor()
    first_id = (await first.call("chat:request", {"audience": "victim"}))["conversation_id"]
    assert (await second.call("chat:request", {"audience": "victim"}))["position"] == 1
    await expert.until("queue:update", lambda d: len(d["waiting"]) == 1)
    assert await expert.quiet("queue:update")
    assert (await expert.call("chat:end", {"conversation_id": first_id}))["ok"]
    await second.next("chat:assigned")
    assert await expert.next("queue:update") == {"waiting": []}
    assert await expert.quiet("queue:update", 0.5), "queue:update sent twice"
