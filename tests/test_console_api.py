"""The console's server side without a browser: CSRF, pages, quick replies, staff list,
password change and deactivation (on both stacks)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from chatserver.console.i18n import NL_API_MESSAGES
from chatserver.http.console import STATIC
from chatserver.http.registrationbody import RegistrationBody
from chatserver.keys import db_key
from chatserver.schema import decode, field_errors
from registration.validation import RegistrationInputError, validate_registration
from staffing.quickreplies import list_quick_replies
from tests.harness import PASSWORD, Nabij, NabijFactory
from tests.staffchanges import closed

REPLY = {"title": "Welkom", "body": "Fijn dat je er bent."}
CONSOLE_MODULES = sorted(p.name for p in (STATIC / "console").glob("*.js"))


def no_redirects() -> dict[str, Any]:
    return {"allow_redirects": False}


async def _reply_titles(nabij: Nabij) -> list[str]:
    async with nabij.app[db_key]() as session:
        return [reply.title for reply in await list_quick_replies(session)]


async def test_a_form_post_without_its_csrf_token_is_refused_and_changes_nothing(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("coco", role="coordinator")
    token = await nabij.login("coco")
    url = f"{nabij.url}/console/quick-replies"
    async with aiohttp.ClientSession(headers={"Cookie": f"nabij_session={token}"}) as http:
        missing = await http.post(url, data=REPLY, **no_redirects())
        wrong = await http.post(url, data={**REPLY, "csrf_token": "0" * 64}, **no_redirects())
        other = await http.post(
            url, data={**REPLY, "csrf_token": nabij.csrf("another-session")}, **no_redirects()
        )
        assert (missing.status, wrong.status, other.status) == (403, 403, 403)
        assert await _reply_titles(nabij) == []
        good = await http.post(
            url, data={**REPLY, "csrf_token": nabij.csrf(token)}, **no_redirects()
        )
        assert good.status == 303
        typed = {"title": "", "body": "Bewaard", "csrf_token": nabij.csrf(token)}
        refused = await http.post(url, data=typed)
        assert refused.status == 400 and ">Bewaard</textarea>" in await refused.text()
    assert await _reply_titles(nabij) == ["Welkom"]


async def test_json_calls_with_a_session_need_the_csrf_header(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    token = await nabij.login("anna")
    cookie = {"Cookie": f"nabij_session={token}"}
    async with aiohttp.ClientSession(headers=cookie) as http:
        refused = await http.post(f"{nabij.url}/api/auth/logout")
        assert refused.status == 403
        assert (await refused.json())["error"]["code"] == "forbidden"
        assert (await http.get(f"{nabij.url}/api/me")).status == 200  # still signed in
    async with nabij.http(token) as http:
        assert (await http.post(f"{nabij.url}/api/auth/logout")).status == 200
        assert (await http.get(f"{nabij.url}/api/me")).status == 401


async def test_the_sign_in_form_needs_its_own_token_and_throttles_like_the_api(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await http.get(f"{nabij.url}/login")
        html = await page.text()
        assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
        field = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
        assert field is not None
        form = {"username": "anna", "password": PASSWORD}
        bare = await http.post(f"{nabij.url}/login", data=form, **no_redirects())
        assert bare.status == 403
        wrong = {**form, "password": "wrong", "csrf_token": field[1]}
        failed = await http.post(f"{nabij.url}/login", data=wrong, **no_redirects())
        assert failed.status == 401
        assert "klopt niet" in await failed.text()
        signed_in = await http.post(
            f"{nabij.url}/login", data={**form, "csrf_token": field[1]}, **no_redirects()
        )
        assert signed_in.status == 303 and signed_in.headers["Location"] == "/console"
        assert "nabij_session" in signed_in.cookies
        for _ in range(9):
            await http.post(f"{nabij.url}/login", data={**wrong, "csrf_token": field[1]})
        throttled = await http.post(
            f"{nabij.url}/login", data={**form, "csrf_token": field[1]}, **no_redirects()
        )
        assert throttled.status == 429


async def test_the_console_page_has_no_inline_script_or_style(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    async with aiohttp.ClientSession() as http:
        away = await http.get(f"{nabij.url}/console", **no_redirects())
        assert (away.status, away.headers["Location"]) == (303, "/login")
    async with nabij.http(await nabij.login("anna"), **{"Accept-Language": "en"}) as http:
        page = await http.get(f"{nabij.url}/console")
        html = await page.text()
        assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
        assert page.headers["Cache-Control"] == "no-store"
        assert "You are on shift now." in html
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
        assert " style=" not in html and "<style" not in html and " on" + "click" not in html
        client = await http.get(f"{nabij.url}/static/vendor/socket.io.min.js")
        assert client.status == 200 and len(await client.read()) > 10_000
        for module in CONSOLE_MODULES:
            script = await http.get(f"{nabij.url}/static/console/{module}")
            assert script.status == 200, module
            assert "innerHTML" not in await script.text()
            assert "insertAdjacentHTML" not in await script.text()


async def test_quick_replies_are_read_by_all_and_managed_by_coordinators(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("coco", role="coordinator")
    url = f"{nabij.url}/api/quick-replies"
    async with nabij.http(await nabij.login("anna")) as http:
        assert (await http.post(url, json=REPLY)).status == 403
        assert (await (await http.get(url)).json()) == {"ok": True, "quick_replies": []}
    async with nabij.http(await nabij.login("coco")) as http:
        bad = await http.post(url, json={"title": " ", "body": "x" * 1001})
        assert bad.status == 400
        assert set((await bad.json())["error"]["fields"]) == {"title", "body"}
        created = await http.post(url, json=REPLY)
        assert created.status == 201
        reply = (await created.json())["quick_reply"]
        assert (await (await http.get(url)).json())["quick_replies"] == [reply]
        assert (await http.delete(f"{url}/{reply['id']}")).status == 200
        assert (await http.delete(f"{url}/{reply['id']}")).status == 404
    assert await _reply_titles(nabij) == []


async def test_the_staff_list_shows_colleagues_on_shift_with_a_console_open(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    bert = await nabij.add_expert("bert", capacity=3)
    await nabij.add_expert("dirk")  # on shift, no console open
    await nabij.add_expert("erik", on_shift=False)
    await nabij.staff("anna")
    await nabij.staff("bert", available=False)
    await nabij.staff("erik", available=False)
    async with nabij.http(await nabij.login("anna")) as http:
        body = await (await http.get(f"{nabij.url}/api/staff/online")).json()
    assert body == {
        "ok": True,
        "staff": [
            {"id": bert, "display_name": "Bert", "available": False, "load": 0, "capacity": 3}
        ],
    }


async def test_changing_the_password_signs_out_the_other_sessions(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    elsewhere = await nabij.staff("anna", available=False)
    token = await nabij.login("anna")
    url = f"{nabij.url}/password"
    async with aiohttp.ClientSession(headers={"Cookie": f"nabij_session={token}"}) as http:
        form = {"csrf_token": nabij.csrf(token), "current_password": "nope", "new_password": "x"}
        refused = await http.post(url, data=form)
        assert refused.status == 400
        assert "Dit is niet je huidige wachtwoord." in await refused.text()  # Dutch page
        form.update(current_password=PASSWORD, new_password="a much better passphrase")
        assert (await http.post(url, data=form)).status == 200
        assert (await http.get(f"{nabij.url}/api/me")).status == 200
    assert (await elsewhere.next("session:ended"))["reason"] == "signed_out"
    await closed(elsewhere)
    await nabij.login("anna", "a much better passphrase")


async def test_a_coordinator_reads_along_and_takes_a_chat_over(nabij: Nabij) -> None:
    anna_id = await nabij.add_expert("anna")
    await nabij.add_expert("coco", role="coordinator", on_shift=False)  # a mentor on call
    anna = await nabij.staff("anna")
    coco = await nabij.staff("coco", available=False)
    visitor = await nabij.visitor()
    conversation_id = (await visitor.call("chat:request", {"audience": "victim"}))[
        "conversation_id"
    ]
    await anna.next("chat:assigned")
    await visitor.call("message:send", {"client_id": "v1", "body": "Hallo"})
    await anna.next("message:new")
    target = {"conversation_id": conversation_id}

    assert (await anna.call("chats:overview"))["error"]["code"] == "forbidden"
    [running] = (await coco.call("chats:overview"))["chats"]
    assert (running["conversation_id"], running["audience"], running["expert"]) == (
        conversation_id,
        "victim",
        {"id": anna_id, "display_name": "Anna"},
    )
    assert "messages" not in running
    assert (await anna.call("chat:watch", target))["error"]["code"] == "forbidden"
    assert (await anna.call("chat:takeover", target))["error"]["code"] == "forbidden"
    watched = await coco.call("chat:watch", target)
    assert watched["ok"] and [m["body"] for m in watched["chat"]["messages"]] == ["Hallo"]
    await anna.call("message:send", {**target, "client_id": "a1", "body": "Ik ben er"})
    assert (await coco.next("message:new"))["body"] == "Ik ben er"
    await visitor.call("message:send", {"client_id": "v2", "body": "Fijn"})
    assert (await coco.next("message:new"))["conversation_id"] == conversation_id

    assert (await coco.call("chat:takeover", target)) == {"ok": True}
    assert (await anna.next("chat:released")) == {**target, "reason": "taken_over"}
    assigned = await coco.next("chat:assigned")
    assert (assigned["conversation_id"], assigned["transferred_from"]) == (
        conversation_id,
        anna_id,
    )
    await visitor.until("chat:assigned", lambda d: d["expert"]["display_name"] == "Coco")
    sent = await coco.call("message:send", {**target, "client_id": "c1", "body": "Coco hier"})
    assert sent["ok"]
    assert (await anna.call("message:send", {**target, "client_id": "a2", "body": "x"}))["error"][
        "code"
    ] == "forbidden"
    assert (await coco.call("chat:takeover", target))["error"]["code"] == "invalid"


async def test_off_shift_the_console_says_why_availability_is_off(nabij: Nabij) -> None:
    await nabij.add_expert("erik", on_shift=False)
    async with nabij.http(await nabij.login("erik")) as http:
        html = await (await http.get(f"{nabij.url}/console")).text()
    assert "buiten je dienst kun je niet beschikbaar zijn" in html
    assert re.search(r'<input type="checkbox" id="available"\s+disabled>', html)


def test_every_message_the_form_can_get_from_the_registration_api_has_dutch() -> None:
    cases: list[dict[str, object]] = [
        {},
        {"contact_date": "2026-02-30", "duration_minutes": 2000, "referral_other": "x"},
        {"contact_date": "2999-01-01", "duration_minutes": 1.5, "referral": "other"},
        {"contact_date": "1999-12-31", "referral": "other", "referral_other": "mail a@b.nl"},
        {"contact_date": "23-11-2026", "referral": "other", "referral_other": "x" * 101},
        {"advised_help": ["gp"], "advised_help_other": "y"},
        {"support": ["advice_professional_help"], "advised_help": ["other"]},
    ]
    seen: set[str] = set()
    for case in cases:
        faults = field_errors(case, RegistrationBody)  # a wrong type: the declaration's words
        typed = decode({k: v for k, v in case.items() if k not in faults}, RegistrationBody)
        with pytest.raises(RegistrationInputError) as refused:
            validate_registration(typed.answers(), today=dt.date(2026, 11, 23))
        seen |= set(faults.values()) | set(refused.value.errors.values())
    assert seen <= set(NL_API_MESSAGES), seen - set(NL_API_MESSAGES)
    assert len(seen) >= 12


async def test_the_console_page_names_the_teams_time_zone_for_its_clock_times(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(timezone=ZoneInfo("America/Curacao"))
    await nabij.add_expert("anna")
    async with nabij.http(await nabij.login("anna")) as http:
        html = await (await http.get(f"{nabij.url}/console")).text()
    assert 'data-timezone="America/Curacao"' in html


async def test_me_says_whether_the_user_is_on_a_shift_now(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("bram", on_shift=False)
    for username, on_shift in (("anna", True), ("bram", False)):
        async with nabij.http(await nabij.login(username)) as http:
            me = await (await http.get(f"{nabij.url}/api/me")).json()
        assert (me["user"]["username"], me["on_shift"]) == (username, on_shift)
