"""A change to a staff account reaches every open console of it within a second.

Each trigger on both stacks: a demotion, a new capacity and focus, a password set through a
one-time link (JSON and form), signing out, and a change written straight to the database
(as the CLI does, with no server process told). Across two real processes on Redis:
tests/test_staff_changes_processes.py.
"""

from __future__ import annotations

import time

import aiohttp
import pytest

from chatserver.keys import db_key, store_key
from staffing.experts import StaffChanges, set_staff_active, update_staff_user
from tests.harness import PASSWORD, Nabij
from tests.staffchanges import WITHIN_S, closed, password_link_token
from tests.waiting import eventually

NEW_PASSWORD = "a brand new passphrase"
#: How long the socket of a signed-out console may stay open (its first test allowed this).
SIGNED_OUT_CLOSE_S = 2.0


async def test_a_demoted_coordinator_leaves_the_coordinator_rooms_at_once(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    coco_id = await nabij.add_expert("coco", role="coordinator", on_shift=False)
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    anna = await nabij.staff("anna")
    coco = await nabij.staff("coco", available=False)
    visitor = await nabij.visitor()
    cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
    await anna.next("chat:assigned")
    assert (await coco.call("chat:watch", {"conversation_id": cid}))["ok"]
    await visitor.call("message:send", {"client_id": "v1", "body": "een"})
    assert (await coco.next("message:new"))["body"] == "een"

    started = time.monotonic()
    async with nabij.http(await nabij.login("carla")) as http:
        demoted = await http.put(f"{nabij.url}/api/team/{coco_id}", json={"role": "expert"})
        assert demoted.status == 200
    changed = await coco.next("session:changed", WITHIN_S)
    assert time.monotonic() - started < WITHIN_S
    assert changed["user"]["role"] == "expert"

    await visitor.call("message:send", {"client_id": "v2", "body": "twee"})
    assert await anna.until("message:new", lambda m: m["body"] == "twee")
    assert await coco.quiet("message:new")
    assert (await coco.call("chats:overview"))["error"]["code"] == "forbidden"
    assert (await coco.call("chat:watch", {"conversation_id": cid}))["error"]["code"] == "forbidden"
    assert (await anna.call("alert:raise", {"conversation_id": cid, "note": "help"}))["ok"]
    assert await coco.quiet("alert:new")


async def test_a_new_capacity_and_focus_count_for_routing_at_once(nabij: Nabij) -> None:
    anna_id = await nabij.add_expert("anna", capacity=1)
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    anna = await nabij.staff("anna")
    first, second = await nabij.visitor(), await nabij.visitor()
    assert (await first.call("chat:request", {"audience": "victim"}))["position"] == 0
    assert (await second.call("chat:request", {"audience": "victim"}))["position"] == 1

    change = {"capacity": 2, "focus": ["perpetrator"]}
    async with nabij.http(await nabij.login("carla")) as http:
        assert (await http.put(f"{nabij.url}/api/team/{anna_id}", json=change)).status == 200
    assert (await second.next("chat:assigned", WITHIN_S))["expert"]["display_name"] == "Anna"
    changed = await anna.next("session:changed", WITHIN_S)
    assert (changed["user"]["capacity"], changed["user"]["focus"]) == (2, ["perpetrator"])
    [state] = await nabij.app[store_key].expert_states([anna_id])
    assert (state.profile.capacity, state.profile.focus, state.load) == (
        2,
        frozenset({"perpetrator"}),
        2,
    )


@pytest.mark.parametrize("form", [False, True], ids=["api", "form"])
async def test_a_password_set_through_a_link_closes_every_console(nabij: Nabij, form: bool) -> None:
    anna_id = await nabij.add_expert("anna")
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    consoles = [await nabij.staff("anna"), await nabij.staff("anna", available=False)]
    token = await password_link_token(nabij, "carla", anna_id)

    async with aiohttp.ClientSession(headers={"Origin": nabij.url}) as http:
        if form:
            answer = await http.post(
                f"{nabij.url}/password/{token}", data={"password": NEW_PASSWORD}
            )
        else:
            body = {"token": token, "password": NEW_PASSWORD}
            answer = await http.post(f"{nabij.url}/api/auth/password", json=body)
        assert answer.status == 200, await answer.text()
    for console in consoles:
        assert (await console.next("session:ended", WITHIN_S))["reason"] == "signed_out"
        await closed(console)
    assert (await nabij.app[store_key].expert_states([anna_id]))[0].connections == 0
    await nabij.login("anna", NEW_PASSWORD)


async def test_signing_out_closes_that_session_s_console_without_waiting_for_an_event(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    token = await nabij.login("anna")
    console = await nabij._connect("/staff", headers={"Cookie": f"nabij_session={token}"})
    other = await nabij.staff("anna", available=False)  # another browser stays signed in
    async with nabij.http(token) as http:
        assert (await http.post(f"{nabij.url}/api/auth/logout")).status == 200
    assert (await console.next("session:ended", WITHIN_S))["reason"] == "signed_out"
    await closed(console)
    assert (await other.call("chats:sync"))["ok"]


async def test_a_change_written_straight_to_the_database_reaches_the_console(
    nabij: Nabij,
) -> None:
    """As ``nabij user ...`` on the command line does: no server is told, yet consoles follow."""
    anna_id = await nabij.add_expert("anna")
    coco_id = await nabij.add_expert("coco", role="coordinator", on_shift=False)
    anna = await nabij.staff("anna")
    coco = await nabij.staff("coco", available=False)
    visitor = await nabij.visitor()
    await visitor.call("chat:request", {"audience": "victim"})
    await anna.next("chat:assigned")

    async with nabij.app[db_key].begin() as session:
        await update_staff_user(session, coco_id, StaffChanges(role="expert"))
    assert (await coco.next("session:changed", WITHIN_S))["user"]["role"] == "expert"
    assert (await coco.call("chats:overview"))["error"]["code"] == "forbidden"

    async with nabij.app[db_key].begin() as session:
        await set_staff_active(session, anna_id, False)
    assert (await anna.next("session:ended", WITHIN_S))["reason"] == "deactivated"
    await closed(anna)
    assert (await visitor.next("chat:queued", WITHIN_S))["position"] == 1
    async with aiohttp.ClientSession() as http:
        login = {"username": "anna", "password": PASSWORD}
        assert (await http.post(f"{nabij.url}/api/auth/login", json=login)).status == 401


async def test_signing_out_closes_the_open_console_socket(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    token = await nabij.login("anna")
    peer = await nabij._connect("/staff", headers={"Cookie": f"nabij_session={token}"})
    assert (await peer.call("chats:sync"))["ok"]
    async with nabij.http(token) as http:
        assert (await http.post(f"{nabij.url}/api/auth/logout")).status == 200
    refused = await peer.call("chats:sync")
    assert refused["error"]["code"] == "unauthorized"
    await eventually(
        lambda: not peer.client.connected, what="the socket to close", timeout=SIGNED_OUT_CLOSE_S
    )
    assert not peer.client.connected
