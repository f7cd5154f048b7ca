"""Experts' own roster: the private calendar feed, and drop/swap requests a coordinator decides."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from tests.harness import Nabij, json_body

AMS = ZoneInfo("Europe/Amsterdam")


def _day(offset: int) -> str:
    return (dt.datetime.now(AMS).date() + dt.timedelta(days=offset)).isoformat()


async def _plan(
    nabij: Nabij, coordinator: str, user_id: int, day: str, start: str, end: str
) -> int:
    body = {"user_id": user_id, "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}"}
    async with nabij.http(coordinator) as http:
        response = await http.post(f"{nabij.url}/api/shifts", json=body)
        assert response.status == 201, await response.text()
        shift_id: int = (await json_body(response))["shift"]["id"]
        return shift_id


async def _team(nabij: Nabij) -> dict[str, Any]:
    ids = {
        "carla": await nabij.add_expert("carla", role="coordinator", on_shift=False),
        "anna": await nabij.add_expert("anna", on_shift=False),
        "bram": await nabij.add_expert("bram", on_shift=False),
    }
    tokens = {name: await nabij.login(name) for name in ids}
    return {"ids": ids, "tokens": tokens}


async def test_the_calendar_feed_holds_only_your_shifts_until_revoked(nabij: Nabij) -> None:
    team = await _team(nabij)
    ids, tokens = team["ids"], team["tokens"]
    mine = await _plan(nabij, tokens["carla"], ids["anna"], _day(2), "19:00", "22:00")
    await _plan(nabij, tokens["carla"], ids["bram"], _day(3), "19:00", "22:00")
    async with nabij.http(tokens["anna"]) as http:
        issued = await json_body(await http.post(f"{nabij.url}/api/me/calendar"))
    feed_url = issued["url"]
    assert feed_url.startswith(f"{nabij.url}/calendar/") and feed_url.endswith(".ics")
    async with aiohttp.ClientSession() as anonymous:
        feed = await anonymous.get(feed_url)
        body = await feed.text()
    assert feed.status == 200 and feed.content_type == "text/calendar"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1 and f"UID:shift-{mine}@" in body
    start = dt.datetime.fromisoformat(f"{_day(2)}T19:00").replace(tzinfo=AMS).astimezone(dt.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in body
    assert "Anna" not in body and "Bram" not in body and "anna" not in body
    async with nabij.http(tokens["anna"]) as http:
        reissued = await json_body(await http.post(f"{nabij.url}/api/me/calendar"))
        async with aiohttp.ClientSession() as anonymous:
            assert (await anonymous.get(feed_url)).status == 404  # the old URL is revoked
            assert (await anonymous.get(reissued["url"])).status == 200
            assert (await http.delete(f"{nabij.url}/api/me/calendar")).status == 200
            assert (await anonymous.get(reissued["url"])).status == 404
            assert (await anonymous.get(f"{nabij.url}/calendar/guess.ics")).status == 404


async def test_an_approved_swap_hands_the_shift_over(nabij: Nabij) -> None:
    team = await _team(nabij)
    ids, tokens = team["ids"], team["tokens"]
    shift = await _plan(nabij, tokens["carla"], ids["anna"], _day(2), "19:00", "22:00")
    body = {"shift_id": shift, "kind": "swap", "to_user_id": ids["bram"], "note": "Verjaardag"}
    async with nabij.http(tokens["anna"]) as http:
        created = await http.post(f"{nabij.url}/api/shift-requests", json=body)
        assert created.status == 201, await created.text()
        request_id = (await json_body(created))["request"]["id"]
        # An expert cannot decide, not even on their own request.
        url = f"{nabij.url}/api/shift-requests/{request_id}/approve"
        assert (await http.post(url)).status == 403
    async with nabij.http(tokens["carla"]) as http:
        pending = await json_body(await http.get(f"{nabij.url}/api/shift-requests?status=pending"))
        approved = await http.post(url)
        again = await http.post(url)
        shifts = await json_body(
            await http.get(f"{nabij.url}/api/shifts", params={"from": _day(1)})
        )
    assert [r["id"] for r in pending["requests"]] == [request_id]
    assert approved.status == 200 and (await json_body(approved))["request"]["status"] == "approved"
    assert again.status == 404
    assert [(s["id"], s["user_id"]) for s in shifts["shifts"]] == [(shift, ids["bram"])]


async def test_a_swap_onto_a_busy_colleague_is_refused_and_changes_nothing(nabij: Nabij) -> None:
    team = await _team(nabij)
    ids, tokens = team["ids"], team["tokens"]
    shift = await _plan(nabij, tokens["carla"], ids["anna"], _day(2), "19:00", "22:00")
    await _plan(nabij, tokens["carla"], ids["bram"], _day(2), "20:00", "23:00")
    body = {"shift_id": shift, "kind": "swap", "to_user_id": ids["bram"]}
    async with nabij.http(tokens["anna"]) as http:
        request_id = (
            await json_body(await http.post(f"{nabij.url}/api/shift-requests", json=body))
        )["request"]["id"]
    async with nabij.http(tokens["carla"]) as http:
        refused = await http.post(f"{nabij.url}/api/shift-requests/{request_id}/approve")
        pending = await json_body(await http.get(f"{nabij.url}/api/shift-requests?status=pending"))
        shifts = await json_body(
            await http.get(f"{nabij.url}/api/shifts", params={"from": _day(1)})
        )
    assert refused.status == 400
    assert [r["id"] for r in pending["requests"]] == [request_id]
    owners = {s["id"]: s["user_id"] for s in shifts["shifts"]}
    assert owners[shift] == ids["anna"]


async def test_drop_requests_and_their_refusals(nabij: Nabij) -> None:
    team = await _team(nabij)
    ids, tokens = team["ids"], team["tokens"]
    annas = await _plan(nabij, tokens["carla"], ids["anna"], _day(2), "19:00", "22:00")
    brams = await _plan(nabij, tokens["carla"], ids["bram"], _day(3), "19:00", "22:00")
    url = f"{nabij.url}/api/shift-requests"
    async with nabij.http(tokens["anna"]) as http:
        not_mine = await http.post(url, json={"shift_id": brams, "kind": "drop"})
        drop_with_name = await http.post(
            url, json={"shift_id": annas, "kind": "drop", "to_user_id": ids["bram"]}
        )
        dropped = await json_body(await http.post(url, json={"shift_id": annas, "kind": "drop"}))
        own_list = await json_body(await http.get(url))
    assert (await json_body(not_mine))["error"]["fields"] == {
        "shift_id": "Choose one of your own shifts."
    }
    assert set((await json_body(drop_with_name))["error"]["fields"]) == {"to_user_id"}
    assert [r["id"] for r in own_list["requests"]] == [dropped["request"]["id"]]
    async with nabij.http(tokens["carla"]) as http:
        decided = await http.post(f"{url}/{dropped['request']['id']}/approve")
        shifts = await json_body(
            await http.get(f"{nabij.url}/api/shifts", params={"from": _day(1)})
        )
        audit = await json_body(await http.get(f"{nabij.url}/api/audit"))
    assert decided.status == 200
    assert [s["id"] for s in shifts["shifts"]] == [brams]
    assert audit["entries"][0]["action"] == "shift_request.approved"
