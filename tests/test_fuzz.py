"""Fuzzing with Hypothesis: arbitrary JSON at every socket event and every HTTP route.

Hypothesis draws the inputs (about 50 per socket event, 8 per HTTP route, no deadline)
in a synchronous collector; the running service then gets them all. Every answer must
be a well-formed ack (``ok`` true, or false with a code other than ``internal``) or an
HTTP status below 500, nothing may be logged at ERROR, and only accepted input may
change anything. XSS in typed text: tests/test_browser_hardening.py and the browser tests.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from chatserver.authz import SOCKET_ACCESS, http_routes
from chatserver.keys import db_key, store_key
from nabij.db import Base
from staffing.models import AuditEntry
from tests.authz_helpers import concrete
from tests.harness import Nabij

KEYS = st.sampled_from(
    [
        "conversation_id",
        "client_id",
        "body",
        "is_typing",
        "available",
        "audience",
        "lang",
        "to_expert_id",
        "note",
        "hashed_ip",
    ]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["victim", "nl", "0" * 32, "x" * 2001, "\x00", "<script>"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=12,
)
PAYLOADS = st.dictionaries(KEYS, JSON, max_size=4) | JSON


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
    return drawn


def check_ack(event: str, payload: Any, ack: Any) -> bool:
    """A well-formed ack, never ``internal``; return whether it accepted the input."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (event, payload, ack)
    if not ack["ok"]:
        assert ack["error"]["code"] != "internal", (event, payload, ack)
    return bool(ack["ok"])


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [f"{r.name}: {r.getMessage()}" for r in errors]


async def test_arbitrary_payloads_on_every_socket_event(
    nabij: Nabij, caplog: pytest.LogCaptureFixture
) -> None:
    """Visitor and coordinator, each in a live chat: no exception, no stray message."""
    caplog.set_level(logging.INFO)
    await nabij.add_expert("cora", role="coordinator", capacity=5)
    staff = await nabij.staff("cora")
    visitor = await nabij.visitor()
    cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
    await staff.next("chat:assigned")
    payloads = draw(PAYLOADS, 50)
    accepted_messages = 0
    for event in [*sorted(SOCKET_ACCESS), "/visitor no:such", "/staff chat:request"]:
        namespace, name = event.split(" ")
        peer = visitor if namespace == "/visitor" else staff
        for payload in payloads:
            if name in ("chat:end", "visitor:block"):
                continue  # a valid one ends the chat the rest of the run needs
            accepted = check_ack(event, payload, await peer.call(name, payload))
            accepted_messages += accepted and name == "message:send"
    stored = await nabij.app[store_key].messages_after(cid, 0)
    assert len(stored) == accepted_messages
    conversation = await nabij.app[store_key].get_conversation(cid)
    assert conversation is not None and conversation.state == "active"
    no_errors_logged(caplog)


async def test_arbitrary_bodies_and_queries_on_every_http_route(
    nabij: Nabij, caplog: pytest.LogCaptureFixture
) -> None:
    """Signed in as an admin (with the CSRF token): every answer is below 500, no row added."""
    caplog.set_level(logging.INFO)
    await nabij.add_expert("fuzzadmin", role="admin")
    token = await nabij.login("fuzzadmin")
    before = await row_counts(nabij)
    bodies = draw(JSON, 8)
    queries = draw(st.dictionaries(st.text(max_size=8), st.text(max_size=12), max_size=3), 8)
    async with nabij.http(token) as http:
        for route in http_routes(nabij.app):
            method, path = concrete(route)
            if path.startswith("/socket.io/") or route.endswith("logout"):
                continue
            for body, query in zip(bodies, queries, strict=True):
                data = None if method == "GET" else json.dumps(body)
                headers = {"Content-Type": "application/json"}
                async with http.request(
                    method, nabij.url + path, params=query, data=data, headers=headers
                ) as response:
                    assert response.status < 500, (route, body, query, response.status)
    no_errors_logged(caplog)
    assert await row_counts(nabij) == before


#: Tables that bodiless routes rightly change: the calendar link (issued or revoked
#: whatever the body, and audited) and the cookie-free widget-open counter.
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
