"""The message box end to end over HTTP, on both stacks (chatserver/http/messages.py).

A visitor leaves a message with no socket and no cookie; an expert on shift claims and
answers it in the console's API; the visitor reads the answer with the code, answers once
more, and closes the thread; afterwards nothing of the text is anywhere at rest.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from chatserver.keys import chat_key, db_key, messagebox_key, store_key
from chatserver.messagebox.service import WRONG_CODES_PER_HOUR
from nabij.db import Base
from registration.models import MessageRecord
from tests.content import memory_content, redis_content
from tests.harness import Nabij, json_body

FIRST = "Ik weet niet of ik moet blijven. Hij was vanavond weer dreigend."
ANSWER = "Wat goed dat je schrijft. Je hoeft dit niet alleen uit te zoeken."


async def _post(nabij: Nabij, path: str, body: Any, **headers: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http:
        response = await http.post(f"{nabij.url}{path}", json=body, headers=headers)
        return response.status, await json_body(response)


async def _staff(nabij: Nabij, username: str) -> aiohttp.ClientSession:
    return nabij.http(await nabij.login(username))


async def test_the_whole_round_trip_leaves_no_text_behind(
    nabij: Nabij, stack: dict[str, str | None], redis_prefix: str
) -> None:
    await nabij.add_expert("anna")
    status, left = await _post(
        nabij, "/api/messages", {"audience": "victim", "lang": "nl", "body": FIRST}
    )
    assert status == 200 and left["ok"], left
    code = left["code"]
    status, read = await _post(nabij, "/api/messages/thread", {"code": code.upper()})
    assert status == 200
    assert read["thread"]["state"] == "waiting" and not read["thread"]["may_reply"]

    async with await _staff(nabij, "anna") as anna:
        listed = await json_body(await anna.get(f"{nabij.url}/api/staff/messages"))
        assert listed["count"] == 1
        (item,) = listed["messages"]
        assert (item["audience"], item["follow_up"], item["claimed_by_me"]) == (
            "victim",
            False,
            False,
        )
        assert "body" not in item
        url = f"{nabij.url}/api/staff/messages/{item['id']}"
        claimed = await json_body(await anna.post(f"{url}/claim"))
        assert [m["body"] for m in claimed["thread"]["messages"]] == [FIRST]
        answered = await json_body(await anna.post(f"{url}/answer", json={"body": ANSWER}))
        assert answered["registration"]["status"] == "pending"
        assert answered["registration"]["contact_type"] == "email"

    status, read = await _post(nabij, "/api/messages/thread", {"code": code})
    messages = read["thread"]["messages"]
    assert [(m["sender"], m["body"], m["display_name"]) for m in messages] == [
        ("visitor", FIRST, None),
        ("expert", ANSWER, "Anna"),
    ]
    assert read["thread"]["may_reply"]
    status, replied = await _post(nabij, "/api/messages/reply", {"code": code, "body": "Dank je"})
    assert status == 200 and not replied["thread"]["may_reply"]
    status, again = await _post(nabij, "/api/messages/reply", {"code": code, "body": "Nog iets"})
    assert (status, again["error"]["code"]) == (400, "invalid")

    status, closed = await _post(nabij, "/api/messages/close", {"code": code})
    assert (status, closed["ok"]) == (200, True)
    status, gone = await _post(nabij, "/api/messages/thread", {"code": code})
    assert (status, gone["error"]["code"]) == (404, "not_found")
    needles = [FIRST, ANSWER, "Dank je", code]
    await _assert_no_text_at_rest(nabij, needles)
    if stack["redis_url"]:  # the text never reaches the live store at all
        assert await redis_content(stack["redis_url"], redis_prefix, needles) == {}
    else:
        assert memory_content(nabij.app[store_key], needles) == []


async def _assert_no_text_at_rest(nabij: Nabij, needles: list[str]) -> None:
    """Every table of the database, whole: none of the needles appears."""
    async with nabij.app[db_key]() as session:
        for table in Base.metadata.sorted_tables:
            dump = repr((await session.execute(table.select())).all())
            for needle in needles:
                assert needle not in dump, (table.name, needle)
        records = (await session.execute(MessageRecord.__table__.select())).all()
        assert len(records) == 1  # the figures stay


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"audience": "victim", "body": ""}, "body"),
        ({"audience": "victim", "body": "   "}, "body"),
        ({"audience": "victim", "body": "x" * 2001}, "body"),
        ({"audience": "neighbour", "body": "hallo"}, "audience"),
        ({"audience": "victim", "body": "hallo", "phone": "0612345678"}, "phone"),
        ({"body": "hallo"}, "audience"),
    ],
)
async def test_bad_input_gets_a_clear_error_and_stores_nothing(
    nabij: Nabij, body: dict[str, Any], field: str
) -> None:
    status, refused = await _post(nabij, "/api/messages", body)
    assert (status, refused["error"]["code"]) == (400, "invalid")
    assert field in refused["error"]["fields"]
    async with nabij.app[db_key]() as session:
        assert (await session.execute(MessageRecord.__table__.select())).first() is None


async def test_guessing_codes_is_throttled_even_for_a_right_code(nabij: Nabij) -> None:
    _, left = await _post(nabij, "/api/messages", {"audience": "relative", "body": "Mijn zus"})
    wrong = [
        _post(nabij, "/api/messages/thread", {"code": f"appel-brug-kaars-molen-vos-{n:03d}"})
        for n in range(WRONG_CODES_PER_HOUR)
    ]
    assert {status for status, _ in await asyncio.gather(*wrong)} == {404}
    status, refused = await _post(nabij, "/api/messages/thread", {"code": left["code"]})
    assert (status, refused["error"]["code"]) == (429, "rate_limited")


async def test_two_experts_claiming_at_once_get_one_claim(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("bram")
    await _post(nabij, "/api/messages", {"audience": "victim", "body": FIRST})
    async with await _staff(nabij, "anna") as anna, await _staff(nabij, "bram") as bram:
        (item,) = (await json_body(await anna.get(f"{nabij.url}/api/staff/messages")))["messages"]
        url = f"{nabij.url}/api/staff/messages/{item['id']}/claim"
        answers = await asyncio.gather(anna.post(url), bram.post(url))
        assert sorted(a.status for a in answers) == [200, 409]
        later = await json_body(await bram.get(f"{nabij.url}/api/staff/messages"))
        mine = await json_body(await anna.get(f"{nabij.url}/api/staff/messages"))
    winner_list = mine if answers[0].status == 200 else later
    loser_list = later if answers[0].status == 200 else mine
    assert loser_list["count"] == 0
    assert [m["claimed_by_me"] for m in winner_list["messages"]] == [True]


async def test_an_expert_off_the_roster_cannot_claim(nabij: Nabij) -> None:
    await nabij.add_expert("cees", on_shift=False)
    await _post(nabij, "/api/messages", {"audience": "victim", "body": FIRST})
    async with await _staff(nabij, "cees") as cees:
        (item,) = (await json_body(await cees.get(f"{nabij.url}/api/staff/messages")))["messages"]
        response = await cees.post(f"{nabij.url}/api/staff/messages/{item['id']}/claim")
        assert (response.status, (await json_body(response))["error"]["code"]) == (
            403,
            "not_on_shift",
        )


async def test_a_host_site_may_call_cross_origin_and_a_stranger_may_not(
    nabij_factory: Any,
) -> None:
    nabij = await nabij_factory(widget_origins=("https://hulp.example",))
    async with aiohttp.ClientSession() as http:
        preflight = await http.options(
            f"{nabij.url}/api/messages",
            headers={
                "Origin": "https://hulp.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.headers["Access-Control-Allow-Origin"] == "https://hulp.example"
        assert "Access-Control-Allow-Credentials" not in preflight.headers
        stranger = await http.options(
            f"{nabij.url}/api/messages", headers={"Origin": "https://evil.example"}
        )
        assert "Access-Control-Allow-Origin" not in stranger.headers
    status, left = await _post(
        nabij,
        "/api/messages",
        {"audience": "victim", "body": "hallo"},
        Origin="https://hulp.example",
    )
    assert status == 200 and left["code"]
    status, refused = await _post(
        nabij,
        "/api/messages",
        {"audience": "victim", "body": "hallo"},
        Origin="https://evil.example",
    )
    assert (status, refused["error"]["code"]) == (403, "forbidden")


async def test_expired_threads_are_purged_by_the_sweeper(nabij_factory: Any) -> None:
    nabij = await nabij_factory(message_retention_days=1)
    _, left = await _post(nabij, "/api/messages", {"audience": "victim", "body": "Weg ermee"})
    a_day_later = nabij.app[chat_key].clock() + 86_401
    assert await nabij.app[messagebox_key].purge_expired(a_day_later) == 1
    status, _ = await _post(nabij, "/api/messages/thread", {"code": left["code"]})
    assert status == 404
    await _assert_no_text_at_rest(nabij, ["Weg ermee", left["code"]])
