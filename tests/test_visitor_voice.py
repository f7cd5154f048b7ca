"""The visitor's voice on both stacks: the safety check and the verdict after a chat.

The safety answer travels with ``chat:request`` to the expert (``chat:assigned``,
``chats:sync``) and is counted per day, unlinked; the verdict (``feedback:send``) is taken
once, only after a normal ending, and stored without the conversation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from chatserver.keys import db_key
from registration.models import FeedbackAnswer, SafetyAnswerCount
from tests.harness import Nabij, Peer
from tests.waiting import eventually


async def _chat(nabij: Nabij, expert: Peer, **request: Any) -> tuple[Peer, dict[str, Any]]:
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim", **request})
    assert ack["ok"] and ack["position"] == 0, ack
    return visitor, await expert.next("chat:assigned")


async def _verdicts(nabij: Nabij) -> list[FeedbackAnswer]:
    async with nabij.app[db_key]() as session:
        return list((await session.execute(select(FeedbackAnswer))).scalars())


async def _safety_counts(nabij: Nabij) -> dict[str, int]:
    async with nabij.app[db_key]() as session:
        rows = (await session.execute(select(SafetyAnswerCount))).scalars()
        return {row.answer: row.count for row in rows}


async def test_the_expert_sees_the_safety_answer_and_the_day_counts_it(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=3)
    anna = await nabij.staff("anna")
    unsure, assigned = await _chat(nabij, anna, safety="unsure")
    assert assigned["safety"] == "unsure"
    skipped, assigned = await _chat(nabij, anna)
    assert assigned["safety"] is None
    synced = {c["conversation_id"]: c["safety"] for c in (await anna.call("chats:sync"))["chats"]}
    assert sorted(synced.values(), key=str) == [None, "unsure"]
    for visitor in (unsure, skipped):
        assert (await visitor.call("chat:end"))["ok"]
    await eventually(
        lambda: _safety_counts(nabij),
        what="both answers counted",
        until=lambda counts: counts == {"unsure": 1, "skipped": 1},
    )


BAD_SAFETY = ["maybe", "", True, 1, None]


async def test_a_bad_safety_answer_is_invalid_and_starts_nothing(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    visitor = await nabij.visitor()
    for safety in BAD_SAFETY:
        ack = await visitor.call("chat:request", {"audience": "victim", "safety": safety})
        assert (ack["ok"], ack["error"]["code"]) == (False, "invalid"), safety
    assert await anna.quiet("chat:assigned")


async def test_a_verdict_after_the_expert_ends_is_kept_once_without_the_chat(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    visitor, assigned = await _chat(nabij, anna)
    assert (await anna.call("chat:end", {"conversation_id": assigned["conversation_id"]}))["ok"]
    await visitor.next("chat:ended")
    verdict = {"mark": 8, "helped": "a_bit", "recommend": "yes"}
    assert (await visitor.call("feedback:send", verdict))["ok"]
    again = await visitor.call("feedback:send", verdict)
    assert (again["ok"], again["error"]["code"]) == (False, "invalid")
    (stored,) = await _verdicts(nabij)
    assert (stored.mark, stored.helped, stored.recommend) == (8, "a_bit", "yes")
    assert set(FeedbackAnswer.__table__.columns.keys()) == {
        "id",
        "answered_on",
        "mark",
        "helped",
        "recommend",
    }


async def test_no_verdict_after_a_quick_exit_or_a_chat_that_never_began(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=1)
    anna = await nabij.staff("anna")
    fled, _ = await _chat(nabij, anna)
    waiting = await nabij.visitor()
    assert (await waiting.call("chat:request", {"audience": "victim"}))["position"] == 1
    assert (await fled.call("chat:end", {"reason": "quick_exit"}))["ok"]
    refused = await fled.call("feedback:send", {"mark": 3})
    assert (refused["ok"], refused["error"]["code"]) == (False, "not_found")
    await anna.next("chat:assigned")  # the waiting visitor gets Anna now
    never = await nabij.visitor()
    refused = await never.call("feedback:send", {"mark": 3})
    assert refused["error"]["code"] == "not_found"
    assert await _verdicts(nabij) == []


BAD_VERDICTS: list[Any] = [
    {"mark": 11},
    {"mark": 0},
    {"mark": "8"},
    {"mark": 7.5},
    {"mark": True},
    {"helped": "maybe"},
    {"recommend": 1},
    {"mark": 8, "expert": "anna"},
    [8],
]


async def test_a_bad_verdict_is_invalid_stores_nothing_and_can_be_sent_right(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    visitor, _ = await _chat(nabij, anna)
    assert (await visitor.call("chat:end"))["ok"]
    for verdict in BAD_VERDICTS:
        refused = await visitor.call("feedback:send", verdict)
        assert (refused["ok"], refused["error"]["code"]) == (False, "invalid"), verdict
    assert await _verdicts(nabij) == []
    assert (await visitor.call("feedback:send", {"mark": 9}))["ok"]
    assert [v.mark for v in await _verdicts(nabij)] == [9]
