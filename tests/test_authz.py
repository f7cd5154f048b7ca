"""The authorization matrix (chatserver/authz.py), checked row by row against the service.

Every HTTP route and socket event is called as each role; allowed means neither 401/403
nor a redirect to the sign-in page, refused means exactly those (or ``unauthorized`` /
``forbidden`` acks). Ids in paths and payloads name nothing, so an allowed call answers
400/404 and changes nothing. A visitor never names a conversation, so it cannot reach
another one: tests/test_protocol_safety.py::test_an_expert_cannot_touch_a_chat_that_is_not_theirs
and the connection refusals there cover the staff side.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import Any

import aiohttp

from chatserver.authz import (
    CSRF_EXEMPT,
    DOCUMENT,
    HTTP_ACCESS,
    ROLES,
    SOCKET_ACCESS,
    STAFF_ROLES,
    allowed,
    document_app,
    http_routes,
    missing_rows,
    render,
)
from chatserver.http.csrf import CSRF_HEADER
from chatserver.keys import db_key, settings_key
from nabij.db import utcnow
from staffing.sessions import create_login_session
from tests.authz_helpers import concrete
from tests.harness import PASSWORD, Nabij, assert_refused

NOWHERE = "0" * 32  # a well-formed conversation id that names no conversation

#: A payload of the right shape for each socket event (so only authorization can refuse).
SOCKET_SAMPLES: dict[str, Any] = {
    "/visitor chat:request": {"audience": "victim"},
    "/visitor message:send": {"client_id": "c1", "body": "hallo"},
    "/visitor typing": {"is_typing": True},
    "/visitor chat:end": None,
    "/visitor feedback:send": {"mark": 8},
    "/staff presence:set": {"available": False},
    "/staff chats:sync": None,
    "/staff chat:accept": {"conversation_id": NOWHERE},
    "/staff message:send": {"conversation_id": NOWHERE, "client_id": "c1", "body": "hallo"},
    "/staff typing": {"conversation_id": NOWHERE, "is_typing": True},
    "/staff chat:end": {"conversation_id": NOWHERE},
    "/staff chat:transfer": {"conversation_id": NOWHERE},
    "/staff alert:raise": {"conversation_id": NOWHERE},
    "/staff alert:ack": {"alert_id": "0" * 16},
    "/staff visitor:block": {"conversation_id": NOWHERE},
    "/staff chat:watch": {"conversation_id": NOWHERE},
    "/staff chat:unwatch": {"conversation_id": NOWHERE},
    "/staff chat:takeover": {"conversation_id": NOWHERE},
    "/staff chats:overview": None,
}
REFUSALS = {"unauthorized", "forbidden"}


def test_every_route_and_event_has_a_row() -> None:
    """A new route or event without a declared access fails here, naming it."""
    problems = missing_rows(document_app())
    assert not problems, "Add rows to chatserver/authz.py:\n" + "\n".join(problems)
    assert set(SOCKET_SAMPLES) == set(SOCKET_ACCESS), "add a sample payload per event"


def test_the_committed_document_is_current() -> None:
    """docs/authorization.md is what ``python -m chatserver.authz`` writes."""
    expected = render(document_app())
    assert DOCUMENT.read_text(encoding="utf-8") == expected, "run python -m chatserver.authz"


async def staff_tokens(nabij: Nabij) -> dict[str, str]:
    """A user per staff role (created once); see ``fresh_session``."""
    return {role: str(await nabij.add_expert(f"authz{role}", role=role)) for role in STAFF_ROLES}


async def fresh_session(nabij: Nabij, user_id: str) -> str:
    """A new session token, so that a logout route cannot spoil the next call."""
    async with nabij.app[db_key].begin() as session:
        max_age = nabij.app[settings_key].session_max_age_s
        return await create_login_session(session, int(user_id), utcnow(), max_age)


async def online_expert(nabij: Nabij) -> None:
    """An expert on shift and available, so that chat requests are accepted."""
    await nabij.add_expert("authzonline", capacity=10)
    await nabij.staff("authzonline")


async def visitor_token(nabij: Nabij) -> str:
    """A real chat token: a visitor's only credential (needs ``online_expert``)."""
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"], ack
    return str(ack["token"])


async def call_route(nabij: Nabij, route: str, cookie: str | None) -> aiohttp.ClientResponse:
    """Call ``route`` with a session cookie (and its CSRF token) or none, and no redirects."""
    method, path = concrete(route)
    headers = {}
    if cookie is not None:
        headers = {"Cookie": f"nabij_session={cookie}", CSRF_HEADER: nabij.csrf(cookie)}
    if path == "/login":  # the sign-in form's token is bound to a pre-login cookie
        headers = {"Cookie": "nabij_login=authz-test", CSRF_HEADER: nabij.csrf("authz-test")}
    body: dict[str, Any] = {"json": None if method == "GET" else {}}
    if route == "POST /login":  # a wrong password is 401 here: sign in for real
        body = {"data": {"username": "authzonline", "password": PASSWORD}}
    async with (
        aiohttp.ClientSession() as http,
        http.request(
            method, nabij.url + path, headers=headers, allow_redirects=False, **body
        ) as response,
    ):
        await response.read()
        return response


#: Routes whose answer is a redirect to the sign-in page even when allowed.
SIGN_OUT_ROUTES = frozenset({"POST /logout"})


def refused(route: str, response: aiohttp.ClientResponse) -> bool:
    """401/403, or a staff page's redirect to the sign-in page."""
    if response.status in (401, 403):
        return True
    if route in SIGN_OUT_ROUTES:
        return False
    location = response.headers.get("Location", "")
    return response.status in (302, 303) and location.startswith("/login")


async def test_every_http_route_for_every_role(nabij: Nabij) -> None:
    """Each row of HTTP_ACCESS, as anonymous, a visitor (chat token as cookie) and staff."""
    await online_expert(nabij)
    users = await staff_tokens(nabij)
    chat_token = await visitor_token(nabij)
    wrong = []
    for route in http_routes(nabij.app):
        for role in ROLES:
            cookie = None if role == "anonymous" else chat_token
            if role in users:
                cookie = await fresh_session(nabij, users[role])
            response = await call_route(nabij, route, cookie)
            assert response.status < 500, (route, role, response.status)
            if refused(route, response) == allowed(HTTP_ACCESS[route], role):
                wrong.append(f"{route} as {role}: {response.status}")
    assert not wrong, "\n".join(wrong)


async def test_every_state_changing_route_needs_the_csrf_token(nabij: Nabij) -> None:
    """With an admin's session cookie but a missing or wrong token: 403, nothing done."""
    admin = str(await nabij.add_expert("csrfadmin", role="admin"))
    for route in http_routes(nabij.app):
        method, path = concrete(route)
        if method == "GET" or route in CSRF_EXEMPT:
            continue
        token = await fresh_session(nabij, admin)
        for sent in ({}, {CSRF_HEADER: "0" * 64}):
            headers = {"Cookie": f"nabij_session={token}", **sent}
            async with (
                aiohttp.ClientSession() as http,
                http.request(method, nabij.url + path, json={}, headers=headers) as response,
            ):
                assert response.status == 403, (route, sent, response.status)


def _code(ack: dict[str, Any]) -> str | None:
    return None if ack.get("ok") else str(ack["error"]["code"])


async def test_every_staff_event_for_every_staff_role(nabij: Nabij) -> None:
    """Each /staff row: coordinator events are ``forbidden`` to experts; none to the others."""
    wrong = []
    for role in STAFF_ROLES:
        await nabij.add_expert(f"sock{role}", role=role)
        peer = await nabij.staff(f"sock{role}", available=False)
        for event, sample in SOCKET_SAMPLES.items():
            namespace, name = event.split(" ")
            if namespace != "/staff":
                continue
            code = _code(await peer.call(name, sample))
            assert code != "internal", (event, role)
            if (code in REFUSALS) == allowed(SOCKET_ACCESS[event], role):
                wrong.append(f"{event} as {role}: {code}")
        await peer.disconnect()
    assert not wrong, "\n".join(wrong)


async def test_no_staff_socket_without_a_staff_session(nabij: Nabij) -> None:
    """Anonymous and a visitor's chat token as cookie: the /staff connection is refused."""
    await online_expert(nabij)
    token = await visitor_token(nabij)
    for headers in ({}, {"Cookie": f"nabij_session={token}"}):
        refusal = await assert_refused(nabij.url, "/staff", headers=headers)
        assert "unauthorized" in str(refusal), refusal


async def test_visitor_events_need_the_sockets_own_conversation(nabij: Nabij) -> None:
    """Without a conversation (anonymous, or with a staff cookie) only chat:request works."""
    await online_expert(nabij)
    admin = str(await nabij.add_expert("visadmin", role="admin"))
    cookie = await fresh_session(nabij, admin)
    plain = await nabij.visitor()
    with_cookie = await nabij._connect("/visitor", headers={"Cookie": f"nabij_session={cookie}"})
    for peer in (plain, with_cookie):
        for event, sample in SOCKET_SAMPLES.items():
            namespace, name = event.split(" ")
            if namespace != "/visitor" or event == "/visitor chat:request":
                continue
            ack = await peer.call(name, sample)
            assert _code(ack) == "not_found", (event, ack)  # "Start a chat first."
        assert (await peer.call("chat:request", {"audience": "victim"}))["ok"]
        for event, sample in SOCKET_SAMPLES.items():
            if event.startswith("/visitor ") and event != "/visitor chat:request":
                assert _code(await peer.call(event.split(" ")[1], sample)) is None, event


async def test_visitor_tokens_carry_at_least_128_random_bits(nabij: Nabij) -> None:
    """URL-safe base64 gives 6 bits a character: 22 characters are 132 bits."""
    await online_expert(nabij)
    tokens = [await visitor_token(nabij) for _ in range(3)]
    assert len(set(tokens)) == 3
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token), token  # token_urlsafe(32): 256 bits


async def test_each_sign_in_gets_a_new_session(nabij: Nabij) -> None:
    """Session rotation: a second sign-in never reuses the first token."""
    await nabij.add_expert("rotate")
    first, second = await nabij.login("rotate"), await nabij.login("rotate")
    assert first != second and len(first) >= 43


async def test_a_session_expires(nabij_factory: Any) -> None:
    """After ``session_max_age_s`` the cookie no longer opens anything."""
    nabij = await nabij_factory(session_max_age_s=1)
    await nabij.add_expert("expiring")
    token = await nabij.login("expiring")
    async with nabij.http(token) as http, http.get(nabij.url + "/api/me") as response:
        assert response.status == 200
    await asyncio.sleep(1.2)
    async with nabij.http(token) as http, http.get(nabij.url + "/api/me") as response:
        assert response.status == 401


async def test_unknown_session_tokens_are_refused(nabij: Nabij) -> None:
    """A guessed cookie is not a session."""
    response = await call_route(nabij, "GET /api/me", secrets.token_urlsafe(32))
    assert response.status == 401
