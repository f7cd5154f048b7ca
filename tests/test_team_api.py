"""Team management: accounts with one-time password links, changes, deactivation."""

from __future__ import annotations

import aiohttp

from tests.harness import PASSWORD, Nabij, json_body
from tests.staffchanges import closed

NEW_EXPERT = {
    "username": "daan",
    "display_name": "Daan",
    "role": "expert",
    "focus": ["perpetrator"],
    "languages": ["nl", "en"],
    "capacity": 3,
    "cooldown_s": 120,
}


async def _login_status(nabij: Nabij, username: str, password: str) -> int:
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{nabij.url}/api/auth/login", json={"username": username, "password": password}
        )
        return response.status


async def test_a_new_expert_sets_their_own_password_through_a_one_time_link(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    async with nabij.http(await nabij.login("carla")) as http:
        created = await http.post(f"{nabij.url}/api/team", json=NEW_EXPERT)
        assert created.status == 201, await created.text()
        body = await json_body(created)
        team = await json_body(await http.get(f"{nabij.url}/api/team"))
    member = body["member"]
    assert {k: member[k] for k in NEW_EXPERT} == NEW_EXPERT
    assert "daan" in [m["username"] for m in team["members"]]
    token = body["password_link"].rsplit("/", 1)[1]
    assert body["password_link"] == f"{nabij.url}/password/{token}"
    url = f"{nabij.url}/api/auth/password"
    async with aiohttp.ClientSession() as http:
        short = await http.post(url, json={"token": token, "password": "short"})
        assert short.status == 400 and "password" in (await json_body(short))["error"]["fields"]
        assert (await http.post(url, json={"token": token, "password": PASSWORD})).status == 200
        again = await http.post(url, json={"token": token, "password": PASSWORD + "!"})
        assert again.status == 400 and "token" in (await json_body(again))["error"]["fields"]
    assert await _login_status(nabij, "daan", PASSWORD) == 200


async def test_bad_input_and_rights_are_refused_and_change_nothing(nabij: Nabij) -> None:
    anna = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    async with nabij.http(await nabij.login("anna")) as http:
        assert (await http.get(f"{nabij.url}/api/team")).status == 403
    async with nabij.http(await nabij.login("carla")) as http:
        admin = await http.post(f"{nabij.url}/api/team", json={**NEW_EXPERT, "role": "admin"})
        assert admin.status == 403
        bad = await http.post(
            f"{nabij.url}/api/team", json={**NEW_EXPERT, "capacity": 0, "languages": ["xx"]}
        )
        assert set((await json_body(bad))["error"]["fields"]) == {"capacity", "languages"}
        promote = await http.put(f"{nabij.url}/api/team/{anna}", json={"role": "admin"})
        assert promote.status == 403
        wrong = await http.put(f"{nabij.url}/api/team/{anna}", json={"capacity": "9"})
        assert wrong.status == 400
        changed = await http.put(
            f"{nabij.url}/api/team/{anna}", json={"display_name": "Anna B.", "capacity": 4}
        )
        team = await json_body(await http.get(f"{nabij.url}/api/team"))
    assert (await json_body(changed))["member"]["capacity"] == 4
    assert sorted(m["username"] for m in team["members"]) == ["anna", "carla"]
    anna_now = next(m for m in team["members"] if m["username"] == "anna")
    assert (anna_now["display_name"], anna_now["capacity"]) == ("Anna B.", 4)


async def test_deactivation_signs_out_everywhere_and_returns_the_chats_to_the_queue(
    nabij: Nabij,
) -> None:
    anna = await nabij.add_expert("anna", capacity=1)
    carla = await nabij.add_expert("carla", role="coordinator", on_shift=False)
    console = await nabij.staff("anna")
    visitor = await nabij.visitor()
    request = await visitor.call("chat:request", {"audience": "victim"})
    assert request["ok"]
    await console.next("chat:assigned")
    async with nabij.http(await nabij.login("carla")) as http:
        self_off = await http.post(f"{nabij.url}/api/team/{carla}/deactivate")
        assert self_off.status == 400
        off = await http.post(f"{nabij.url}/api/team/{anna}/deactivate")
        assert off.status == 200 and (await json_body(off))["member"]["active"] is False
        audit = await json_body(await http.get(f"{nabij.url}/api/audit"))
    assert (await console.next("session:ended"))["reason"] == "deactivated"
    await closed(console)
    queued = await visitor.next("chat:queued")
    assert queued["position"] == 1
    assert await _login_status(nabij, "anna", PASSWORD) == 401
    assert audit["entries"][0]["action"] == "user.deactivate"
