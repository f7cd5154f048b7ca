"""One declaration per HTTP route (chatserver/http/endpoints.py), enforced by the router.

The router holds exactly the declared routes and the app refuses to start with one added
by hand; a handler must take what its declaration gives; the access check comes before
the body and the query (an outsider learns nothing of a schema); typed bodies refuse a
boolean where a number belongs, with the field's own message; the handlers reach the
live service through one call, never into its store, roster or notifier.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from chatserver.authz import document_app, http_rows
from chatserver.http.bodydocs import PROTOCOL, rewritten
from chatserver.http.csrf import EXEMPT_PATHS
from chatserver.http.declared import (
    Route,
    check_handler,
    refuse_undeclared,
    router_routes,
    undeclared,
)
from chatserver.http.endpoints import ROUTES
from chatserver.http.middleware import CROSS_SITE_POSTS
from staffing.models import StaffUser
from tests.harness import Nabij, json_body

HTTP = Path(__file__).resolve().parent.parent / "chatserver" / "http"


def test_the_router_holds_exactly_the_declared_routes() -> None:
    app = document_app()
    assert router_routes(app) == sorted(route.key for route in ROUTES)
    assert [row.key for row in http_rows()] == sorted(route.key for route in ROUTES)


async def test_a_route_added_by_hand_stops_the_app_from_starting() -> None:
    app = document_app()

    async def sneaky(_request: web.Request) -> web.Response:
        return web.Response(text="no access check here")

    app.router.add_get("/api/sneaky", sneaky)
    assert refuse_undeclared in app.on_startup
    with pytest.raises(RuntimeError, match="route without a declaration: GET /api/sneaky"):
        await refuse_undeclared(app)
    assert undeclared(document_app(), ROUTES) == []


def test_a_handler_must_take_what_its_declaration_gives() -> None:
    async def forgets_the_user(request: web.Request) -> web.Response:
        raise AssertionError("never called")

    async def takes_the_user(request: web.Request, user: StaffUser) -> web.Response:
        raise AssertionError("never called")

    check_handler(Route("GET", "/x", "expert", takes_the_user))
    with pytest.raises(TypeError, match="GET /x"):
        check_handler(Route("GET", "/x", "expert", forgets_the_user))
    with pytest.raises(TypeError, match="GET /x"):
        check_handler(Route("GET", "/x", "public", takes_the_user))


async def _post(http: aiohttp.ClientSession, url: str, body: Any) -> tuple[int, dict[str, Any]]:
    async with http.post(url, json=body) as response:
        return response.status, await json_body(response)


async def test_no_session_is_401_and_a_low_role_403_before_the_body_is_read(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("carla", role="coordinator")
    url, bad = f"{nabij.url}/api/shifts", {"user_id": True, "secret_field": 1}
    async with aiohttp.ClientSession() as anonymous:
        status, body = await _post(anonymous, url, bad)
    assert (status, body["error"]["code"], body["error"].get("fields")) == (
        401,
        "unauthorized",
        None,
    )
    async with nabij.http(await nabij.login("anna")) as expert:
        status, body = await _post(expert, url, bad)
    assert (status, body["error"]["code"], body["error"].get("fields")) == (403, "forbidden", None)
    async with nabij.http(await nabij.login("carla")) as coordinator:
        status, body = await _post(coordinator, url, bad)
    assert (status, body["error"]["code"]) == (400, "invalid")
    assert body["error"]["fields"] == {
        "user_id": "Choose an expert.",
        "secret_field": "Unknown field.",
        "starts_at": "required",
        "ends_at": "required",
    }


async def test_a_signed_out_page_still_redirects_to_sign_in(nabij: Nabij) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{nabij.url}/roster?lang=en", allow_redirects=False) as response,
    ):
        assert (response.status, response.headers["Location"]) == (303, "/login?lang=en")


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        ("/api/team", {"username": "x", "display_name": "X", "capacity": True}, "capacity",
         "Use a whole number of chats from 1 to 10."),
        ("/api/shift-requests", {"shift_id": True, "kind": "drop"}, "shift_id", "Give an id."),
        ("/api/roster/patterns", {"user_id": False, "weekdays": ["mon"], "starts_on": "2026-01-05"},
         "user_id", "Choose an expert."),
        ("/api/registrations", {"duration_minutes": True}, "duration_minutes",
         "Give the duration as a whole number of minutes."),
        ("/api/quick-replies", {"title": 7, "body": "hallo"}, "title", "Use 1 to 60 characters."),
    ],
)  # fmt: skip
async def test_a_boolean_is_not_a_number_and_the_field_says_so(
    nabij: Nabij, path: str, body: dict[str, Any], field: str, message: str
) -> None:
    await nabij.add_expert("carla", role="coordinator")
    async with nabij.http(await nabij.login("carla")) as http:
        status, answer = await _post(http, nabij.url + path, body)
    assert (status, answer["error"]["fields"][field]) == (400, message)


@pytest.mark.parametrize("before", ["٣", "1e3", "0", "-1", "99999999999", "", "1.0"])
async def test_a_query_id_is_ascii_digits_naming_a_row_that_can_exist(
    nabij: Nabij, before: str
) -> None:
    await nabij.add_expert("carla", role="coordinator")
    async with (
        nabij.http(await nabij.login("carla")) as http,
        http.get(f"{nabij.url}/api/audit", params={"before": before}) as response,
    ):
        body = await json_body(response)
    assert (response.status, body["error"]["fields"]) == (400, {"before": "Give an entry id."})


#: What a handler may not touch: the live service's parts (use chatserver/chat/teamview.py).
REACH_THROUGH = {"store", "roster", "notifier"}


def test_no_http_handler_reaches_into_the_store_roster_or_notifier() -> None:
    found = []
    for path in sorted(HTTP.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in REACH_THROUGH:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
    assert not found, found


def test_the_protocol_tables_of_bodies_and_queries_are_current() -> None:
    """docs/protocol.md §8.4 is what ``python -m chatserver.http.bodydocs`` writes."""
    document = PROTOCOL.read_text(encoding="utf-8")
    assert rewritten(document, ROUTES) == document, "run python -m chatserver.http.bodydocs"
    assert "`POST /api/shifts` body (`ShiftBody`" in document


def test_the_middlewares_exempt_only_what_is_declared_exempt() -> None:
    """The CSRF and Origin middlewares match by path; each path they let by says why."""
    exempt = {route.path for route in ROUTES if route.csrf_exempt and route.method == "POST"}
    assert exempt >= EXEMPT_PATHS | CROSS_SITE_POSTS


def test_every_declared_get_answers_head_too() -> None:
    """aiohttp's add_get adds HEAD; the table's GET routes keep it (link checkers, curl -I)."""
    app = document_app()
    heads = {route.resource.canonical for route in app.router.routes() if route.method == "HEAD"}
    gets = {r.key.split(" ", 1)[1] for r in ROUTES if r.method == "GET" and r.handler}
    assert gets <= heads


async def test_a_foreign_site_is_refused_before_its_body_is_read(nabij: Nabij) -> None:
    headers = {"Origin": "https://elsewhere.example"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.post(f"{nabij.url}/api/messages", json={"secret_field": 1}) as response,
    ):
        body = await json_body(response)
    assert (response.status, body["error"]["code"], body["error"].get("fields")) == (
        403,
        "forbidden",
        None,
    )
