"""Fuzzing with hostile input: every HTTP route and every socket event, three roles, both stacks.

The routes come from the app's router and the events from the namespaces' handlers
(chatserver.authz), so a new route or event is fuzzed without anyone adding it here.
Hypothesis draws the arbitrary part (in a synchronous collector: the service is async);
the hostile part is fixed, because each of these once broke something (issue 15):
nesting 60,000 deep, lone surrogates, non-ASCII digits in ids, integers of 25 and 4,400
digits, dates at the ends of the calendar, event names that are not strings, payloads
that are not objects, and raw Engine.IO and Socket.IO packets that no client library
would send, over the websocket and over long-polling.

Every answer must be an HTTP status below 500, or an ack that is well formed and never
``internal`` (``invalid`` for a malformed packet with an ack id); nothing may be logged at
ERROR or with a traceback (``Traceback``, "Task exception was never retrieved"); and only
accepted input may change anything. XSS in typed text: tests/test_browser_hardening.py.

Budget: about 2,000 HTTP requests and 1,500 socket calls per stack; the file takes about
20 s on both stacks on a quiet machine (the roles' HTTP runs overlap, the routes that read
nothing are probed once), and should stay under a minute.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from chatserver.authz import HTTP_ACCESS, allowed, http_routes, socket_events
from chatserver.keys import db_key, store_key
from chatserver.realtime.server import MAX_PACKET_BYTES
from nabij.db import Base
from staffing.models import AuditEntry, StaffUser
from tests.harness import Nabij, assert_refused

DEEP = "[" * 60_000  # the probe's body: 60 KB, under the 64 KiB limit, so it is parsed
#: Deep nesting that fits in one socket packet (MAX_PACKET_BYTES; a larger frame closes it).
DEEP_PACKET = "[" * 5000 + "]" * 5000
HUGE = "1" * 4400
SURROGATE = "\ud800"
#: Keys the routes and events read, so a hostile value reaches the field, not only the reader.
FIELDS = (
    "username", "password", "token", "new_password", "body", "text", "title", "display_name",
    "role", "focus", "capacity", "user_id", "starts_at", "ends_at", "starts_on", "ends_on",
    "first", "last", "contact_date", "duration_minutes", "referral_other", "note", "reason",
    "conversation_id", "client_id", "is_typing", "available", "audience", "lang",
    "to_expert_id", "alert_id", "mark", "weekdays", "start", "end", "status", "code",
    "safety", "helped", "recommend",
)  # fmt: skip
#: Path placeholders: a harmless id first, then non-ASCII digits (``²`` passes isdigit,
#: ``٣`` reads as 3), too many digits, zero, a percent-encoded surrogate, invalid UTF-8.
PATH_IDS = ("999999", "²", "٣", "3" * 25, "0", "-1", "%ED%A0%80", "%FF")
QUERY_KEYS = ("from", "to", "before", "status", "by", "lang", "kind", "year", "number")
HOSTILE_QUERY_VALUES = ("9999-12-31", "0001-01-01", "²", "٣", "3" * 25, "2026-13-45", "")

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["victim", "nl", "0" * 32, "x" * 2001, "\x00", "<script>", "²", "٣"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=12,
)


def draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` inputs drawn by Hypothesis (the service is async, so drawn up front)."""
    drawn: list[Any] = []

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn[:count]


def hostile_json_texts() -> list[str]:
    """JSON texts that broke a parser or an encoder once, each valid or nearly so."""
    every_field = dict.fromkeys(FIELDS, SURROGATE)
    return [
        DEEP,
        "[" * 30_000 + "]" * 30_000,
        DEEP_PACKET,
        json.dumps(every_field),  # ensure_ascii: the surrogate as the escape \ud800
        json.dumps({SURROGATE: 1}),
        json.dumps(dict.fromkeys(FIELDS, 10**24)),
        '{"user_id": ' + HUGE + "}",
        HUGE,
        '{"capacity": 1e999, "mark": NaN}',
        json.dumps(dict.fromkeys(FIELDS, "9999-12-31T23:59")),
        json.dumps(dict.fromkeys(FIELDS, "0001-01-01")),
        json.dumps(dict.fromkeys(FIELDS, "٣")),
        "[]",
        '"a string"',
        "{not json",
        "",
    ]


def json_texts(count: int) -> list[str]:
    """The hostile texts, then ``count`` arbitrary JSON values drawn by Hypothesis."""
    return hostile_json_texts() + [json.dumps(value) for value in draw(JSON, count)]


# -- logs ---------------------------------------------------------------------------------

TRACEBACK = re.compile(r"Traceback|Task exception|Exception in callback|never retrieved")
#: engineio notes a client's own mistake once at ERROR (then at INFO), without a traceback
#: or anything the client sent; these are the client's errors, not the server's.
ENGINEIO_CLIENT_ERRORS = re.compile(
    r"unsupported version|Invalid session|Session is disconnected|Invalid transport"
    r"|not an accepted origin"
)


def is_server_error(record: logging.LogRecord) -> bool:
    """An ERROR record that is not one of engineio's notes about a client's mistake."""
    if record.name == "engineio.server" and not record.exc_info:
        return not ENGINEIO_CLIENT_ERRORS.search(record.getMessage())
    return True


def assert_clean_logs(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    """Nothing at ERROR (but engineio's notes on a client's mistake), no exception, no traceback."""
    gc.collect()  # "Task exception was never retrieved" is logged when the task is collected
    bad = [
        f"{r.name}: {r.getMessage()[:300]}"
        for r in caplog.records
        if (r.levelno >= logging.ERROR and is_server_error(r))
        or r.exc_info
        or TRACEBACK.search(r.getMessage())
    ]
    assert not bad, bad
    stderr = capfd.readouterr().err
    assert not TRACEBACK.search(stderr), stderr[-3000:]


# -- HTTP ---------------------------------------------------------------------------------


def concrete_paths(route: str) -> list[str]:
    """The path with a harmless id, then once per hostile id in every placeholder."""
    path = route.split(" ", 1)[1]
    path = path.replace("{filename}", "nothing-here.css").replace("{name}", "nothing-here.js")
    if "{" not in path:
        return [path]
    return [re.sub(r"\{[^}]+\}", value, path) for value in PATH_IDS]


def queries(count: int) -> list[dict[str, str]]:
    """Each hostile value under every query key, then Hypothesis's dictionaries."""
    hostile = [dict.fromkeys(QUERY_KEYS, value) for value in HOSTILE_QUERY_VALUES]
    keys = st.sampled_from(QUERY_KEYS) | st.text(max_size=8)
    return hostile + draw(st.dictionaries(keys, st.text(max_size=12), max_size=3), count)


#: Bodies beyond JSON: a form with invalid percent-encoding, a multipart part that is not
#: UTF-8, and JSON that is not UTF-8, each with its content type.
RAW_BODIES = (
    ("application/x-www-form-urlencoded", b"username=%ff%fe&password=%ED%A0%80&csrf=x"),
    (
        "multipart/form-data; boundary=zz",
        b'--zz\r\nContent-Disposition: form-data; name="body"\r\n\r\n'
        b"\xff\xfe\xed\xa0\x80\r\n--zz--\r\n",
    ),
    ("application/json", b'{"username": "\xff\xfe"}'),
)


def reaches(role: str, route: str) -> bool:
    """Whether ``role`` gets past the route's access check (a route without a row: yes)."""
    return allowed(HTTP_ACCESS.get(route, "public"), role)


async def fuzz_route(
    http: aiohttp.ClientSession, url: str, route: str, texts: list[str], query_set: list[Any]
) -> int:
    """Send every hostile path, body and query to ``route``; return how many were sent."""
    paths = concrete_paths(route)
    cases: list[tuple[str, dict[str, str], str, bytes]] = [
        (path, {}, "application/json", b"{}") for path in paths[1:]
    ]
    if route.startswith("GET "):  # no body is read: every query once
        cases += [(paths[0], query, "application/json", b"") for query in query_set]
        return await send_cases(http, url, route, cases)
    bodies = [("application/json", text.encode("utf-8", "surrogatepass")) for text in texts]
    for (kind, body), query in zip(
        [*bodies, *RAW_BODIES], itertools.cycle(query_set), strict=False
    ):
        cases.append((paths[0], query, kind, body))
    return await send_cases(http, url, route, cases)


async def send_cases(
    http: aiohttp.ClientSession,
    url: str,
    route: str,
    cases: list[tuple[str, dict[str, str], str, bytes]],
) -> int:
    """Send each ``(path, query, content type, body)``; every answer below 500."""
    method = route.split(" ", 1)[0]
    for path, query, kind, body in cases:
        data = None if method == "GET" else body
        async with http.request(
            method, url + path, params=query, data=data, headers={"Content-Type": kind}
        ) as response:
            assert response.status < 500, (route, path, query, body[:80], response.status)
    return len(cases)


#: Routes that read neither body nor query (but a token), and whose every answer is costly
#: (a Prometheus scrape): one probe per role.
PROBED_ONCE = frozenset({"GET /metrics", "GET /healthz", "GET /readyz"})


def fuzzed_routes(nabij: Nabij) -> list[str]:
    """Every route of the router but logout (it would end the fuzzing session)."""
    return [route for route in http_routes(nabij.app) if not route.endswith("logout")]


async def test_hostile_bodies_paths_and_queries_on_every_http_route(
    nabij: Nabij, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Anonymous, expert and coordinator (with the CSRF token): below 500, nothing changed."""
    caplog.set_level(logging.INFO)
    for number in range(1, 4):  # users 1..3 exist, so "٣" read as 3 would find one
        await nabij.add_expert(f"fuzz{number}", role="expert" if number == 1 else "coordinator")
    tokens = {"expert": await nabij.login("fuzz1"), "coordinator": await nabij.login("fuzz2")}
    before = await row_counts(nabij)
    texts, query_set = json_texts(4), queries(4)

    async def fuzz_as(role: str) -> int:
        sent = 0
        session = nabij.http(tokens[role]) if role in tokens else aiohttp.ClientSession()
        async with session as http:
            for route in fuzzed_routes(nabij):
                if reaches(role, route) and route not in PROBED_ONCE:
                    sent += await fuzz_route(http, nabij.url, route, texts, query_set)
                else:  # refused before anything is read, or reads nothing: one probe
                    probe = (concrete_paths(route)[0], {}, "application/json", DEEP.encode())
                    sent += await send_cases(http, nabij.url, route, [probe])
        return sent

    # The roles in parallel: the database's round trips overlap (the run stays short).
    sent = sum(await asyncio.gather(*map(fuzz_as, ("anonymous", "expert", "coordinator"))))
    assert sent > 1500, sent  # every route, every role, every case
    assert_clean_logs(caplog, capfd)
    assert await row_counts(nabij) == before
    async with nabij.app[db_key]() as session:
        inactive = await session.scalar(
            select(func.count()).select_from(StaffUser).where(StaffUser.active.is_(False))
        )
    assert inactive == 0


#: Tables that bodiless routes rightly change: the calendar link (issued or revoked
#: whatever the body, and audited), sessions, and the cookie-free widget-open counter.
BODILESS_CHANGES = ("staff_sessions", "calendar_tokens", "widget_open_counts")


async def row_counts(nabij: Nabij) -> dict[str, int]:
    """Rows per table, but those in BODILESS_CHANGES and the calendar's audit entries."""
    counts = {}
    async with nabij.app[db_key]() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in BODILESS_CHANGES:
                continue
            query = select(func.count()).select_from(table)
            if table.name == "audit_log":
                query = query.where(AuditEntry.action.not_like("calendar.%"))
            counts[table.name] = int(await session.scalar(query) or 0)
    return counts


# -- sockets ------------------------------------------------------------------------------

ACK_TIMEOUT_S = 5.0


class RawSocket:
    """A Socket.IO client speaking raw frames over a websocket, to send what no library sends."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, namespace: str) -> None:
        self.ws = ws
        self.namespace = namespace
        self._ids = itertools.count(1)
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            text = message.data
            if text == "2":
                await self.ws.send_str("3")  # Engine.IO ping → pong
            prefix = f"43{self.namespace},"
            if isinstance(text, str) and text.startswith(prefix):
                digits = re.match(r"\d+", text[len(prefix) :])
                assert digits is not None, text
                ack_id = int(digits.group())
                future = self.acks.pop(ack_id, None)
                if future is not None and not future.done():
                    future.set_result(json.loads(text[len(prefix) + len(digits.group()) :]))

    def expect_ack(self) -> tuple[int, asyncio.Future[Any]]:
        """A fresh ack id and the future its ack will resolve."""
        ack_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        return ack_id, future

    async def call_raw(self, event_json: str, payload_json: str | None) -> Any:
        """Send ``[event, payload]`` as raw JSON text with an ack id; return the ack's value."""
        ack_id, future = self.expect_ack()
        data = event_json if payload_json is None else f"{event_json},{payload_json}"
        await self.ws.send_str(f"42{self.namespace},{ack_id}[{data}]")
        return (await asyncio.wait_for(future, ACK_TIMEOUT_S))[0]

    async def call(self, event: str, payload: Any = None) -> Any:
        """A well-formed call."""
        body = None if payload is None else json.dumps(payload)
        return await self.call_raw(json.dumps(event), body)

    async def close(self) -> None:
        """Close the websocket and stop reading."""
        await self.ws.close()
        self.reader.cancel()


@asynccontextmanager
async def raw_socket(
    url: str, namespace: str, cookie: str | None = None
) -> AsyncIterator[RawSocket]:
    """A raw websocket connected to ``namespace`` (with the session cookie, if any)."""
    headers = {"Cookie": f"nabij_session={cookie}"} if cookie else {}
    async with aiohttp.ClientSession(headers=headers) as http:
        ws = await http.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket")
        assert (await ws.receive_str()).startswith("0{")
        await ws.send_str(f"40{namespace},")
        assert (await ws.receive_str()).startswith(f"40{namespace},")
        socket = RawSocket(ws, namespace)
        try:
            yield socket
        finally:
            await socket.close()


def check_ack(case: Any, ack: Any) -> bool:
    """A well-formed ack, never ``internal``; return whether it accepted the input."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (case, ack)
    if not ack["ok"]:
        assert ack["error"]["code"] != "internal", (case, ack)
    return bool(ack["ok"])


#: Events that end or hand off the chat the rest of the run needs: fuzzed last.
ENDING = ("chat:end", "visitor:block", "chat:transfer", "chat:takeover")


def ordered_events() -> list[tuple[str, str]]:
    """Every ``(namespace, event)`` the namespaces handle, those in ENDING last."""
    events = [tuple(e.split(" ")) for e in socket_events()]
    return sorted(events, key=lambda e: (e[1] in ENDING, e))  # type: ignore[return-value]


#: (event JSON, payload JSON) pairs that are malformed at the packet level: answered
#: ``invalid`` through the ack.
MALFORMED_CALLS = (
    ("{}", "{}"),
    ("42", "{}"),
    ("null", None),
    ("[]", None),
    ('"typing"', DEEP_PACKET),
    ('"typing"', HUGE),
    ('"typing"', '{"is_typing": ' + SURROGATE.encode("unicode_escape").decode() + "}"),
    ('"message:send"', '{"client_id": "\\ud800", "body": "x"}'),
    ('"message:send"', '{"client_id": "a", "body": "\\udfff"}'),
    ('"typing"', "{not json"),
)


def malformed_frames(namespace: str) -> Iterator[str]:
    """Raw Engine.IO and Socket.IO frames with no ack to expect: dropped without a trace."""
    yield from ("9", "7", "x", "b!!", "bAAAA", "0", "²", "٣", "4", "4x", "49")
    yield from (f"45-{namespace},1[]", f"451-{namespace},[]", f"44{namespace},{{}}")
    yield from (f"42{namespace}", f"42{namespace},", f"42{namespace},[]", f"42{namespace},{{}}")
    yield from (f"42{namespace},{'1' * 200}[]", f'42{namespace},²["typing"]')
    yield from (
        f"42{namespace},[{{}},{{}}]",
        f"42{namespace},{DEEP_PACKET}",
        f"42{namespace},{HUGE}",
    )
    yield from (f"43{namespace},1[]", f"43{namespace},{{}}", f"41{namespace},x")


async def fuzz_socket(socket: RawSocket, events: list[str], texts: list[str]) -> int:
    """Every payload text at every event, then the malformed calls and frames; return accepted."""
    accepted = 0
    for event, text in itertools.product(events, texts):
        ack = await socket.call_raw(json.dumps(event), text or None)
        accepted += check_ack((event, text[:80]), ack) and event == "message:send"
    for event_json, payload_json in MALFORMED_CALLS:
        ack = await socket.call_raw(event_json, payload_json)
        assert not check_ack((event_json, payload_json), ack)
        assert ack["error"]["code"] == "invalid", ack
    for frame in malformed_frames(socket.namespace):
        await socket.ws.send_str(frame)
    await socket.ws.send_bytes(b"\x04\xff binary")
    return accepted


async def test_hostile_packets_and_payloads_on_every_socket_event(
    nabij: Nabij, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """A visitor in a chat, its expert and a coordinator watching it, each over a raw socket."""
    caplog.set_level(logging.INFO)
    await nabij.add_expert("anna", capacity=3)
    await nabij.add_expert("cora", role="coordinator", on_shift=False)
    tokens = {name: await nabij.login(name) for name in ("anna", "cora")}
    texts = [text for text in json_texts(25) if len(text) < MAX_PACKET_BYTES - 100]
    events = ordered_events()
    async with (
        raw_socket(nabij.url, "/visitor") as visitor,
        raw_socket(nabij.url, "/staff", tokens["anna"]) as expert,
        raw_socket(nabij.url, "/staff", tokens["cora"]) as coordinator,
    ):
        assert (await expert.call("presence:set", {"available": True}))["ok"]
        cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
        assert (await coordinator.call("chat:watch", {"conversation_id": cid}))["ok"]
        texts.append(json.dumps({"conversation_id": cid, "client_id": "c", "body": "\\ud800"}))
        accepted = 0
        for socket in (visitor, expert, coordinator):
            mine = [e for ns, e in events if ns == socket.namespace and e not in ENDING]
            accepted += await fuzz_socket(socket, mine, texts)
        stored = await nabij.app[store_key].messages_after(cid, 0)
        assert len(stored) == accepted
        conversation = await nabij.app[store_key].get_conversation(cid)
        assert conversation is not None and conversation.state == "active"
        for socket in (coordinator, expert, visitor):  # the ending events, last
            mine = [e for ns, e in events if ns == socket.namespace and e in ENDING]
            await fuzz_socket(socket, mine, texts)
            assert (await socket.call("no:such"))["error"]["code"] == "invalid"  # still answers
    assert_clean_logs(caplog, capfd)


#: Long-polling bodies engineio would choke on: unknown types, bad base64, too many
#: packets, not UTF-8, a JSONP body, an empty packet, and Socket.IO packets as above.
POLLING_BODIES = (
    b"9",
    b"x",
    b"b!!",
    b"",
    b"\x1e".join([b"6"] * 20),
    b"\xff\xfe",
    b"d=",
    b"4\x1e\x1e4",
    b"42/visitor,1[{},{}]",
    b"42/visitor,1" + DEEP.encode(),
    b'42/visitor,1["typing",' + HUGE.encode() + b"]",
    b"42/visitor,1[]",
)


async def test_hostile_long_polling_bodies(
    nabij: Nabij, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Each body on a fresh polling session: a 4xx or an answer, never a 500 or a traceback."""
    caplog.set_level(logging.INFO)
    endpoint = f"{nabij.url}/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        for body in POLLING_BODIES:
            async with http.get(endpoint) as response:
                sid = json.loads((await response.text())[1:])["sid"]
            async with http.post(f"{endpoint}&sid={sid}", data=b"40/visitor,") as response:
                assert response.status == 200
            async with http.get(f"{endpoint}&sid={sid}") as response:
                assert "40/visitor," in await response.text()
            async with http.post(f"{endpoint}&sid={sid}", data=body) as response:
                assert response.status < 500, (body[:40], response.status)
    assert_clean_logs(caplog, capfd)


async def test_a_request_after_the_session_closed_is_refused_cleanly(
    nabij: Nabij, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """A POST or GET on a polling session that a close packet ended: 400, no traceback.

    engineio raises ``KeyError("Session is disconnected")`` there; it was a 500 ``internal``.
    """
    caplog.set_level(logging.INFO)
    endpoint = f"{nabij.url}/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        for method, body in (("POST", b"40/visitor,"), ("GET", None)):
            async with http.get(endpoint) as response:
                sid = json.loads((await response.text())[1:])["sid"]
            async with http.post(f"{endpoint}&sid={sid}", data=b"1") as response:
                assert response.status == 200  # the close packet
            async with http.request(method, f"{endpoint}&sid={sid}", data=body) as response:
                assert response.status == 400, (method, response.status)
                assert "internal" not in await response.text()
    assert_clean_logs(caplog, capfd)


async def raw_status(nabij: Nabij, request: bytes) -> int:
    """Send ``request`` on its own TCP connection; the answer's HTTP status."""
    reader, writer = await asyncio.open_connection(nabij.server.host, nabij.server.port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), ACK_TIMEOUT_S)
    finally:
        writer.close()
    return int(status_line.split(b" ")[1])


#: Header values that are not UTF-8: aiohttp hands them on as lone surrogates.
NOT_UTF8_HEADERS = (
    b"Cookie: nabij_session=\xff\xfe\xed\xa0\x80\r\n",
    b'Cookie: nabij_session="\xc3"; nabij_login=\xff\r\n',
    b"X-CSRF-Token: \xff\xfe\r\n",
    b"X-Forwarded-For: \xed\xa0\x80\r\n",
    b"Origin: http://\xff.example\r\n",
    b"Accept-Language: \xff\r\n",
)


async def test_headers_that_are_not_utf8_on_every_route(
    nabij: Nabij, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """A session cookie of ``\\xff`` was a 500 on every staff route (hashing the token)."""
    caplog.set_level(logging.INFO)
    for route in http_routes(nabij.app):
        method, path = route.split(" ", 1)[0], concrete_paths(route)[0]
        if "/socket.io/" in path:
            path += "?EIO=4&transport=polling"
        for header in NOT_UTF8_HEADERS:
            request = (
                f"{method} {path} HTTP/1.1\r\nHost: nabij\r\nConnection: close\r\n".encode()
                + header
                + b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            )
            assert await raw_status(nabij, request) == 400, (route, header)
    assert_clean_logs(caplog, capfd)


async def test_a_malformed_connect_is_refused_with_invalid(
    nabij: Nabij, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """A resume token of lone surrogates raised in token_hash: no connect, no refusal."""
    caplog.set_level(logging.INFO)
    refusal = await assert_refused(nabij.url, "/visitor", auth={"token": SURROGATE * 20})
    assert "invalid" in str(refusal), refusal
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(f"{nabij.url}/socket.io/?EIO=4&transport=websocket")
        assert (await ws.receive_str()).startswith("0{")
        for auth in ('"token"', "[1]", "{not json", DEEP_PACKET, '{"token": ' + HUGE + "}"):
            await ws.send_str(f"40/visitor,{auth}")
            answer = await asyncio.wait_for(ws.receive_str(), ACK_TIMEOUT_S)
            assert answer.startswith("44/visitor,") and '"invalid"' in answer, (auth, answer)
        await ws.send_str("40/visitor,")  # the socket is still good for a proper connect
        assert (await ws.receive_str()).startswith("40/visitor,")
        await ws.close()
    assert_clean_logs(caplog, capfd)
