"""The HTTP API: sign-in, registrations, shifts, status, and its refusals."""

from __future__ import annotations

import datetime as dt

import aiohttp

from tests.harness import Nabij, NabijFactory, json_body

PHONE_CONTACT = {
    "contact_date": "2026-11-20",
    "duration_minutes": 20,
    "contact_type": "phone",
    "first_or_followup": "followup",
    "contact_seeker": "parent_of_victim",
    "referral": "other",
    "referral_other": "Via de huisarts",
    "support": ["advice_personal"],
    "advised_help": [],
}


async def test_login_sets_a_strict_httponly_cookie_and_logout_ends_the_session(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{nabij.url}/api/auth/login",
            json={"username": "anna", "password": "correct horse battery"},
        )
        assert response.status == 200
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        token = response.cookies["nabij_session"].value
    async with nabij.http(token) as http:
        me = await json_body(await http.get(f"{nabij.url}/api/me"))
        assert me["user"]["display_name"] == "Anna" and "password_hash" not in me["user"]
        assert (await http.post(f"{nabij.url}/api/auth/logout")).status == 200
        assert (await http.get(f"{nabij.url}/api/me")).status == 401


async def test_login_refusals_and_throttling(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    url = f"{nabij.url}/api/auth/login"
    async with aiohttp.ClientSession() as http:
        malformed = await http.post(url, json={"username": "anna"})
        assert malformed.status == 400
        statuses = [
            (await http.post(url, json={"username": "anna", "password": f"wrong {i}"})).status
            for i in range(10)
        ]
        assert statuses == [401] * 9 + [401]
        throttled = await http.post(
            url, json={"username": "anna", "password": "correct horse battery"}
        )
        assert throttled.status == 429
        assert (await json_body(throttled))["error"]["code"] == "rate_limited"


async def test_manual_registration_is_validated_per_field_and_kept_private(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("bert")
    await nabij.add_expert("coco", role="coordinator")
    anna, bert, coco = [await nabij.login(n) for n in ("anna", "bert", "coco")]
    url = f"{nabij.url}/api/registrations"
    async with nabij.http(anna) as http:
        bad = {**PHONE_CONTACT, "contact_type": "pigeon", "duration_minutes": -5}
        refused = await http.post(url, json=bad)
        assert refused.status == 400
        fields = (await json_body(refused))["error"]["fields"]
        assert set(fields) == {"contact_type", "duration_minutes"}
        assert (await json_body(await http.get(url)))["registrations"] == []

        created = await http.post(url, json=PHONE_CONTACT)
        assert created.status == 201
        registration = (await json_body(created))["registration"]
        assert registration["status"] == "done" and registration["source"] == "manual"
        assert registration["referral_other"] == "Via de huisarts"
    own_url = f"{url}/{registration['id']}"
    async with nabij.http(bert) as http:
        assert (await json_body(await http.get(url)))["registrations"] == []
        assert (await http.get(own_url)).status == 404
        assert (await http.put(own_url, json=PHONE_CONTACT)).status == 404
    async with nabij.http(coco) as http:
        listed = (await json_body(await http.get(url)))["registrations"]
        assert [r["id"] for r in listed] == [registration["id"]]


async def test_state_changing_requests_need_json_same_origin_and_a_session(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    token = await nabij.login("anna")
    url = f"{nabij.url}/api/registrations"
    async with aiohttp.ClientSession() as anonymous:
        assert (await anonymous.post(url, json=PHONE_CONTACT)).status == 401
    async with nabij.http(token, Origin="https://evil.example") as http:
        assert (await http.post(url, json=PHONE_CONTACT)).status == 403
    async with nabij.http(token) as http:
        form = await http.post(url, data={"contact_type": "phone"})
        assert form.status == 415
        broken = await http.post(
            url, data="{not json", headers={"Content-Type": "application/json"}
        )
        assert broken.status == 400
        assert (await json_body(await http.get(url)))["registrations"] == []


async def test_only_coordinators_change_the_roster(nabij: Nabij) -> None:
    anna_id = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    shift = {"user_id": anna_id, "starts_at": "2030-01-07T19:00", "ends_at": "2030-01-07T22:00"}
    url = f"{nabij.url}/api/shifts"
    async with nabij.http(await nabij.login("anna")) as http:
        assert (await http.post(url, json=shift)).status == 403
    async with nabij.http(await nabij.login("coco")) as http:
        created = await http.post(url, json=shift)
        assert created.status == 201
        body = (await json_body(created))["shift"]
        assert body["starts_at"] == "2030-01-07T18:00:00+00:00"  # 19:00 in Amsterdam, winter
        overlap = await http.post(url, json={**shift, "starts_at": "2030-01-07T21:00"})
        assert overlap.status == 400
        backwards = await http.post(url, json={**shift, "ends_at": "2030-01-07T18:00"})
        assert backwards.status == 400
        listed = await json_body(await http.get(f"{url}?from=2030-01-07&to=2030-01-08"))
        assert [s["id"] for s in listed["shifts"]] == [body["id"]]


async def test_security_headers_and_cors_for_listed_widget_origins_only(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(widget_origins=("https://team.example",))
    async with aiohttp.ClientSession() as http:
        page = await http.get(f"{nabij.url}/")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        listed = await http.get(
            f"{nabij.url}/api/status", headers={"Origin": "https://team.example"}
        )
        assert listed.headers["Access-Control-Allow-Origin"] == "https://team.example"
        other = await http.get(
            f"{nabij.url}/api/status", headers={"Origin": "https://evil.example"}
        )
        assert "Access-Control-Allow-Origin" not in other.headers
        assert other.headers["Cache-Control"] == "no-store"


async def test_a_closed_request_is_counted_as_missed(nabij: Nabij) -> None:
    from sqlalchemy import select

    from chatserver.keys import db_key
    from registration.models import ConversationRecord

    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "perpetrator"})
    assert ack["error"]["code"] == "closed"
    async with nabij.app[db_key]() as session:
        records = (await session.scalars(select(ConversationRecord))).all()
    assert [(r.audience, r.outcome, r.expert_id) for r in records] == [
        ("perpetrator", "missed", None)
    ]
    assert records[0].requested_at <= dt.datetime.now(dt.UTC)


async def test_a_loopback_service_accepts_its_other_spelling_as_same_origin(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    other_spelling = nabij.url.replace("127.0.0.1", "localhost")
    body = {"username": "anna", "password": "correct horse battery"}
    async with aiohttp.ClientSession() as http:
        same = await http.post(
            f"{nabij.url}/api/auth/login", json=body, headers={"Origin": other_spelling}
        )
        foreign = await http.post(
            f"{nabij.url}/api/auth/login", json=body, headers={"Origin": "http://localhost:1"}
        )
    assert same.status == 200
    assert foreign.status == 403
