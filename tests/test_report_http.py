"""The report routes through the real app: roles, bad input, JSON, CSV, the page."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from chatserver.errors import ProtocolError
from chatserver.keys import chat_key, db_key, settings_key
from registration.chatfigures import chat_report
from registration.codes import CODES
from registration.models import ConversationRecord
from registration.periods import Period, today_in
from tests.harness import Nabij, NabijFactory
from tests.reportdata import seed

MARCH = "from=2026-03-01&to=2026-03-31"
HOST = "https://host.example"
API_ROUTES = (
    f"/api/reports/contacts?{MARCH}",
    f"/api/reports/chat?{MARCH}",
    f"/api/reports/export.csv?{MARCH}",
    f"/api/reports/breakdown.csv?{MARCH}&by=week",
    "/api/reports/codebook.csv",
)


def signed_in(token: str | None = None) -> aiohttp.ClientSession:
    """An HTTP client with (or without) a staff session cookie."""
    return aiohttp.ClientSession(headers={"Cookie": f"nabij_session={token}"} if token else {})


async def coordinator(nabij: Nabij, role: str = "coordinator") -> str:
    """Sign in a fresh staff member of ``role``; return the session token."""
    await nabij.add_expert(f"staff_{role}", role=role, on_shift=False)
    return await nabij.login(f"staff_{role}")


async def get_json(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON body of a GET."""
    response = await http.get(url)
    body: dict[str, Any] = await response.json()
    return response.status, body


async def get_csv(http: aiohttp.ClientSession, url: str) -> list[dict[str, str]]:
    """The rows of a CSV download as dicts (checking it is one)."""
    response = await http.get(url)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(await response.text())))


async def test_reports_are_for_coordinators_and_admins_only(nabij: Nabij) -> None:
    expert = await coordinator(nabij, "expert")
    admin = await coordinator(nabij, "admin")
    boss = await coordinator(nabij)
    for token, status in ((None, 401), (expert, 403), (boss, 200), (admin, 200)):
        async with signed_in(token) as http:
            for route in (*API_ROUTES, "/reports"):
                response = await http.get(nabij.url + route)
                assert response.status == status, (route, token, await response.text())
                if status != 200 and route.startswith("/api/"):
                    code = "unauthorized" if status == 401 else "forbidden"
                    assert (await response.json())["error"]["code"] == code


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("", {"from", "to"}),
        ("from=2026-03-01", {"to"}),
        ("from=2026-3-1&to=2026-03-31", {"from"}),
        ("from=2026-02-30&to=2026-03-31", {"from"}),
        ("from=2026-04-01&to=2026-03-31", {"to"}),
        (f"{MARCH}&colour=red", {"colour"}),
    ],
)
async def test_bad_periods_get_400_with_fields(nabij: Nabij, query: str, fields: set[str]) -> None:
    token = await coordinator(nabij)
    async with signed_in(token) as http:
        for route in ("/api/reports/contacts", "/api/reports/chat", "/api/reports/export.csv"):
            status, body = await get_json(http, f"{nabij.url}{route}?{query}")
            assert status == 400
            assert body["ok"] is False and body["error"]["code"] == "invalid"
            assert set(body["error"]["fields"]) == fields
    async with signed_in() as http:  # authentication comes first
        assert (await http.get(f"{nabij.url}/api/reports/contacts?{query}")).status == 401


async def test_bad_breakdowns_get_400(nabij: Nabij) -> None:
    token = await coordinator(nabij)
    async with signed_in(token) as http:
        for query in (f"{MARCH}&by=team", MARCH):
            status, body = await get_json(http, f"{nabij.url}/api/reports/breakdown.csv?{query}")
            assert (status, set(body["error"]["fields"])) == (400, {"by"})
        status, body = await get_json(http, f"{nabij.url}/api/reports/contacts?{MARCH}&by=week")
        assert (status, set(body["error"]["fields"])) == (400, {"by"})


async def test_contact_tables_as_json(nabij: Nabij) -> None:
    await seed(nabij.app[db_key])
    token = await coordinator(nabij)
    async with signed_in(token) as http:
        status, body = await get_json(http, f"{nabij.url}/api/reports/contacts?{MARCH}")
        _, split = await get_json(http, f"{nabij.url}/api/reports/contacts?{MARCH}&by=expert")
    # The same figures tests/test_reports.py works out by hand.
    assert status == 200 and body["ok"] is True and "by_expert" not in body
    assert (body["contacts"], body["duration"]["mean"], body["duration"]["median"]) == (
        8,
        39.3,
        32.5,
    )
    listening = body["fields"]["support"]["codes"][0]
    assert (listening["code"], listening["n"], listening["pct"]) == ("listening_ear", 6, 75)
    seeker = body["fields"]["contact_seeker"]
    assert (seeker["base"], seeker["missing"], seeker["codes"][0]["pct"]) == (7, 1, 43)
    assert [(e["display_name"], e["contacts"]) for e in split["by_expert"]] == [
        ("Anna", 5),
        ("Bob", 3),
    ]
    assert split["by_expert"][1]["duration"]["mean"] == 51.3  # (35 + 29 + 90) / 3 = 51.33


async def test_csv_exports_codebook_and_small_numbers(nabij: Nabij) -> None:
    await seed(nabij.app[db_key])
    token = await coordinator(nabij)
    async with signed_in(token) as http:
        rows = await get_csv(http, f"{nabij.url}/api/reports/export.csv?{MARCH}")
        weeks = await get_csv(http, f"{nabij.url}/api/reports/breakdown.csv?{MARCH}&by=week")
        experts = await get_csv(http, f"{nabij.url}/api/reports/breakdown.csv?{MARCH}&by=expert")
        book = await get_csv(http, f"{nabij.url}/api/reports/codebook.csv")
    assert len(rows) == 8
    assert not {"id", "expert_id", "conversation_id", "referral_other"} & set(rows[0])
    assert sum(int(row["support_listening_ear"]) for row in rows) == 6
    # Every week has 1 or 2 contacts: all "<5"; zeros stay 0.
    assert {row["contacts"] for row in weeks} == {"<5"}
    assert weeks[0]["contact_type_sms"] == "0"
    assert [(row["group"], row["contacts"]) for row in experts] == [("Anna", "5"), ("Bob", "<5")]
    columns = {row["column"] for row in book}
    assert set(rows[0]) <= columns
    for field, codes in CODES.items():
        for code in codes:
            assert any(
                (row["column"], row["value"]) == (field, code) or row["column"] == f"{field}_{code}"
                for row in book
            ), (field, code)


async def test_small_cell_threshold_comes_from_the_settings(nabij_factory: NabijFactory) -> None:
    nabij = await nabij_factory(small_cell_threshold=3)
    await seed(nabij.app[db_key])
    token = await coordinator(nabij)
    async with signed_in(token) as http:
        experts = await get_csv(http, f"{nabij.url}/api/reports/breakdown.csv?{MARCH}&by=expert")
    # Bob's 3 contacts are no longer hidden; his 2 phone calls are ("<3").
    bob = experts[1]
    assert (bob["contacts"], bob["contact_type_phone"]) == ("3", "<3")


async def test_widget_opens_are_counted_anonymously(nabij_factory: NabijFactory) -> None:
    nabij = await nabij_factory(widget_origins=(HOST,), trusted_proxy=True)
    url = f"{nabij.url}/api/events/widget-open"
    async with aiohttp.ClientSession() as http:
        # Two visitors: one address counts once an hour (tests/test_abuse_limits.py).
        plain = await http.post(url, headers={"X-Forwarded-For": "192.0.2.1"})
        from_host = await http.post(url, headers={"Origin": HOST, "X-Forwarded-For": "192.0.2.2"})
        stranger = await http.post(url, headers={"Origin": "https://evil.example"})
        assert plain.status == 204 and "Access-Control-Allow-Origin" not in plain.headers
        assert from_host.status == 204
        assert from_host.headers["Access-Control-Allow-Origin"] == HOST
        assert "Set-Cookie" not in from_host.headers
        assert stranger.status == 403
    token = await coordinator(nabij)
    tz = nabij.app[settings_key].timezone
    today = today_in(tz)
    async with nabij.app[db_key]() as session:
        report = await chat_report(session, Period(today, today), tz)
    assert report.widget_opens == 2
    async with signed_in(token) as http:
        day = today.isoformat()
        _, body = await get_json(http, f"{nabij.url}/api/reports/chat?from={day}&to={day}")
    assert body["widget_opens"] == 2 and len(body["week"]) == 7


async def test_missed_requests_say_why(nabij: Nabij) -> None:
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim", "lang": "nl"})
    assert ack["error"]["code"] == "closed"  # nobody on the roster
    await nabij.add_expert("anna")  # on the roster now, but not connected
    # Another visitor (rate key): one visitor's retries count as one missed request.
    with pytest.raises(ProtocolError, match="closed"):
        await nabij.app[chat_key].check_request_chat("victim", "nl", "another-visitor")
    async with nabij.app[db_key]() as session:
        reasons = list(await session.scalars(select(ConversationRecord.missed_reason)))
    assert sorted(r or "" for r in reasons) == ["closed", "nobody_free"]


async def test_report_page_renders_the_figures(nabij: Nabij) -> None:
    await seed(nabij.app[db_key])
    token = await coordinator(nabij)
    async with signed_in(token) as http:
        response = await http.get(f"{nabij.url}/reports?kind=month&year=2026&number=3")
        html = await response.text()
        css = await http.get(f"{nabij.url}/static/reports/reports.css")
        bad = await http.get(f"{nabij.url}/reports?kind=month&year=2026&number=13")
    assert response.status == 200
    assert '<td class="num" id="contacts-n">8</td>' in html
    assert '<td class="num" id="duration-mean">39,3</td>' in html
    assert '<td class="num" id="duration-median">32,5</td>' in html
    assert "1 maart 2026 tot en met 31 maart 2026" in html
    assert "1 februari 2026 tot en met 28 februari 2026" in html  # the previous period
    # Listening ear: 6 contacts, 75%, a bar of 150 of 200 pixels.
    assert (
        '<th scope="row">Luisterend oor</th><td class="num">6</td><td class="num">75</td>' in html
    )
    assert 'class="bar-now" x="0" y="0" width="150"' in html
    assert html.count('<tr><th scope="row">maandag</th>') == 1
    # No inline style or script (the CSP has no 'unsafe-inline'); the one script is the
    # file that fills in the visitor's verdict, the safety check and the message box.
    assert "style=" not in html
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="module" src="/static/reports/voice.js">'
    ]
    assert css.status == 200 and "@media print" in await css.text()
    assert bad.status == 400 and "number" in await bad.text()
