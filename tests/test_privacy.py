"""Privacy, verified: after a whole chat, no message text, IP address or user agent is left
in the database, the logs or the live store (DESIGN.md, "Safety and privacy").

The chat runs on both stacks with a trusted proxy, a fake forwarded address and a
distinctive user agent; every log record at DEBUG (our loggers, aiohttp.access, engineio,
socketio, SQLAlchemy) is searched, then the database's bytes or every table's rows, then
every live-store key under the prefix once the erase grace has passed. The server runs as
chatserver.runtime.serve runs it: without aiohttp's access log.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from chatserver import runtime
from chatserver.app import create_app
from chatserver.keys import db_key, store_key
from nabij.db import Base
from tests.harness import Nabij, _drop_prefix, make_settings, unused_port
from tests.waiting import eventually

VISITOR_TEXT = "zwaluw-geheim-4711 ik ben bang"
EXPERT_TEXT = "reiger-antwoord-8822"
FAKE_IP = "203.0.113.77"
FAKE_UA = "NabijPrivacyProbe/9.9 (kievit-3391)"
#: How long the erasure after the (short) grace may take.
#: The reconnect grace of these tests: long enough that a loaded machine still finds the
#: content in the store right after the chat ends (the search's own check), short enough
#: to wait for its erasure.
GRACE_S = 2.0
ERASED_S = GRACE_S + 3.0
NEEDLES = (
    "zwaluw-geheim",
    EXPERT_TEXT,
    FAKE_IP,
    "kievit-3391",
    hashlib.sha256(FAKE_IP.encode()).hexdigest()[:16],  # an unkeyed hash is no protection
)
LOGGERS = ("", "aiohttp", "aiohttp.access", "engineio", "socketio", "chatserver", "sqlalchemy")


def test_the_server_runs_without_an_access_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """aiohttp's access log would write each address and user agent."""
    seen: dict[str, Any] = {}
    monkeypatch.setattr(runtime.web, "run_app", lambda app, **kw: seen.update(kw))
    monkeypatch.setattr(runtime.gc, "set_threshold", lambda *a: None)
    monkeypatch.setattr(runtime, "configure_logging", lambda: None)
    runtime.serve(
        make_settings({"database_url": "sqlite+aiosqlite://", "redis_url": None}, "x"), "h", 1
    )
    assert "access_log" in seen and seen["access_log"] is None


@pytest.fixture
def log_privacy() -> Iterator[None]:
    """The log filters ``serve`` installs (through configure_logging), removed after."""
    runtime.install_log_privacy()
    yield
    for name in (*runtime.SCRUBBED_LOGGERS, *runtime.DROPPED_LOGGERS):
        target = logging.getLogger(name)
        for kind in (runtime.ScrubClientData, runtime.DropRecords):
            for installed in [f for f in target.filters if isinstance(f, kind)]:
                target.removeFilter(installed)


def test_configure_logging_installs_the_log_privacy_filters(log_privacy: None) -> None:
    for name in (*runtime.SCRUBBED_LOGGERS, *runtime.DROPPED_LOGGERS):
        for installed in list(logging.getLogger(name).filters):
            logging.getLogger(name).removeFilter(installed)
    runtime.configure_logging()
    assert any(
        isinstance(f, runtime.ScrubClientData) for f in logging.getLogger("aiohttp.server").filters
    )
    assert any(
        isinstance(f, runtime.DropRecords) for f in logging.getLogger("aiohttp.access").filters
    )


@pytest.fixture
async def private_nabij(
    stack: dict[str, str | None], redis_prefix: str, log_privacy: None
) -> AsyncIterator[Nabij]:
    """Nabij behind a trusted proxy, served like production (no access log, log filters)."""
    port = unused_port()
    settings = make_settings(
        stack,
        redis_prefix,
        trusted_proxy=True,
        public_url=f"http://127.0.0.1:{port}",
        reconnect_grace_s=GRACE_S,
    )
    app = create_app(settings)
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server(access_log=None)
    nabij = Nabij(app, server)
    yield nabij
    await nabij.close()
    await server.close()
    if stack["redis_url"]:
        await _drop_prefix(str(stack["redis_url"]), redis_prefix)


async def whole_chat(nabij: Nabij) -> str:
    """Open the widget, chat both ways, end; return the conversation id."""
    headers = {"X-Forwarded-For": FAKE_IP, "User-Agent": FAKE_UA}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(nabij.url + "/widget/widget.js") as response:
            await response.read()
        async with http.post(nabij.url + "/api/events/widget-open", json={}) as response:
            await response.read()
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    visitor = await nabij._connect("/visitor", headers=headers)
    ack = await visitor.call("chat:request", {"audience": "victim"})
    await expert.next("chat:assigned")
    cid = str(ack["conversation_id"])
    assert (await visitor.call("message:send", {"client_id": "v1", "body": VISITOR_TEXT}))["ok"]
    await expert.next("message:new")
    sent = {"conversation_id": cid, "client_id": "e1", "body": EXPERT_TEXT}
    assert (await expert.call("message:send", sent))["ok"]
    await visitor.next("message:new")
    assert (await expert.call("chat:end", {"conversation_id": cid}))["ok"]
    await visitor.next("chat:ended")
    return cid


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of every logger that could carry a payload, down to DEBUG."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    """All captured records with every attribute, exception text included."""
    return "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.__dict__}" for r in caplog.records
    )


def found_in(haystack: str) -> list[str]:
    return [needle for needle in NEEDLES if needle in haystack]


async def database_text(nabij: Nabij, database_url: str) -> str:
    """Every row of every table, and for SQLite the database files' bytes too."""
    parts = []
    async with nabij.app[db_key]() as session:
        for table in Base.metadata.sorted_tables:
            query = text(f'SELECT * FROM "{table.name}"')  # noqa: S608 - our own table names
            rows = (await session.execute(query)).all()
            parts.append(repr(rows))
    if database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1])
        for file in path.parent.glob(path.name + "*"):
            parts.append(file.read_bytes().decode("latin-1"))
    return "\n".join(parts)


async def live_store_text(
    nabij: Nabij, stack: dict[str, str | None], prefix: str
) -> dict[str, str]:
    """Every live-store key under the prefix with its value (Redis), or the memory store's state."""
    store = nabij.app[store_key]
    if not stack["redis_url"]:
        return {"memory": repr(vars(store))}
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(str(stack["redis_url"]), decode_responses=True)
    found = {}
    async for key in client.scan_iter(match=f"{prefix}*", count=500):
        kind = await client.type(key)
        value: Any = {
            "string": client.get,
            "hash": client.hgetall,
            "set": client.smembers,
        }.get(kind)
        if value is not None:
            found[key] = repr(await value(key))
        elif kind == "list":
            found[key] = repr(await client.lrange(key, 0, -1))
        elif kind == "zset":
            found[key] = repr(await client.zrange(key, 0, -1, withscores=True))
        else:
            found[key] = repr(await client.dump(key))
    await client.aclose()
    return found


async def test_a_whole_chat_leaves_no_content_address_or_user_agent(
    private_nabij: Nabij,
    stack: dict[str, str | None],
    redis_prefix: str,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    caplog = debug_logs
    nabij = private_nabij
    cid = await whole_chat(nabij)
    before = await live_store_text(nabij, stack, redis_prefix)
    assert found_in(repr(before)) == ["zwaluw-geheim", EXPERT_TEXT]  # the search does find
    if stack["redis_url"]:  # during the grace, content only in the messages list
        holding = {key for key, value in before.items() if found_in(value) or found_in(key)}
        assert holding == {f"{redis_prefix}msgs:{cid}"}, holding
    await eventually(
        lambda: nabij.app[store_key].get_conversation(cid),
        what="the chat to be erased",
        until=lambda conversation: conversation is None,
        timeout=ERASED_S,
    )
    assert await nabij.app[store_key].get_conversation(cid) is None, "not erased"
    after = await live_store_text(nabij, stack, redis_prefix)
    assert not [(k, found_in(k + v)) for k, v in after.items() if found_in(k + v)]
    stored = await database_text(nabij, str(stack["database_url"]))
    assert cid in stored  # the search does find: the anonymous record is there
    assert not found_in(stored)
    logged = logged_text(caplog)
    assert len(caplog.records) > 10, "the logs were not captured"
    assert not found_in(logged), [
        r.getMessage() for r in caplog.records if found_in(str(r.__dict__))
    ]


ALERT_NOTE = "ijsvogel-zorg-5150 hij heeft een mes"


async def test_an_alert_note_lives_only_in_the_live_store_until_acknowledged(
    private_nabij: Nabij,
    stack: dict[str, str | None],
    redis_prefix: str,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """The note of a mentor alert is free text: never in the database or a log."""
    nabij = private_nabij
    await nabij.add_expert("anna")
    await nabij.add_expert("cora", role="coordinator")
    expert, coordinator = await nabij.staff("anna"), await nabij.staff("cora", available=False)
    visitor = await nabij.visitor()
    cid = (await visitor.call("chat:request", {"audience": "victim"}))["conversation_id"]
    await expert.next("chat:assigned")
    raised = await expert.call("alert:raise", {"conversation_id": cid, "note": ALERT_NOTE})
    assert raised["ok"], raised
    await coordinator.next("alert:new")

    holding = await live_store_text(nabij, stack, redis_prefix)
    found = {key for key, value in holding.items() if "ijsvogel-zorg" in value}
    assert found == (
        {f"{redis_prefix}alert:{raised['alert_id']}"} if stack["redis_url"] else {"memory"}
    )
    assert (await coordinator.call("alert:ack", {"alert_id": raised["alert_id"]}))["ok"]
    after = await live_store_text(nabij, stack, redis_prefix)
    assert not [key for key, value in after.items() if "ijsvogel-zorg" in value]
    assert "ijsvogel-zorg" not in await database_text(nabij, str(stack["database_url"]))
    logged = logged_text(debug_logs)
    assert raised["alert_id"] in logged  # the search does find: the id is logged
    assert "ijsvogel-zorg" not in logged


SESSION_COOKIE_VALUE = "kraanvogel-cookie-6020"
#: Requests aiohttp's parser refuses before any handler runs; each carries the user agent,
#: the session cookie and the forwarded address, so a log line quoting the bytes shows them.
_HEADERS = (
    f"Host: nabij\r\nUser-Agent: {FAKE_UA}\r\nCookie: nabij_session={SESSION_COOKIE_VALUE}\r\n"
    f"X-Forwarded-For: {FAKE_IP}\r\n"
).encode()
MALFORMED_REQUESTS = {
    "request line over 8190 bytes": b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n" + _HEADERS + b"\r\n",
    "bad header characters": b"GET / HTTP/1.1\r\n" + _HEADERS + b"Bad\x01Name: v\r\n\r\n",
    "bad header value": b"GET / HTTP/1.1\r\n" + _HEADERS + b"X-Note: a\x00b\r\n\r\n",
    "bad Content-Length": b"POST /api/auth/login HTTP/1.1\r\n"
    + _HEADERS
    + b"Content-Length: 12abc\r\n\r\n{}",
    "bad chunk": b"POST /api/auth/login HTTP/1.1\r\n"
    + _HEADERS
    + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "invalid UTF-8 path": b"GET /\xff\xfe/\xed\xa0\x80 HTTP/1.1\r\n" + _HEADERS + b"\r\n",
    "header line too long": b"GET / HTTP/1.1\r\n"
    + _HEADERS
    + b"X-Long: "
    + b"b" * 9000
    + b"\r\n\r\n",
    "not HTTP at all": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + _HEADERS,
}


async def send_raw(nabij: Nabij, request: bytes) -> bytes:
    """Write ``request`` on a fresh TCP connection; the server's answer (it closes after)."""
    host, port = nabij.server.host, nabij.server.port
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), 5)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def test_malformed_http_leaves_no_address_user_agent_or_cookie_in_the_logs(
    private_nabij: Nabij, debug_logs: pytest.LogCaptureFixture
) -> None:
    """aiohttp.server logged "Error handling request from 127.0.0.1" with the bad bytes."""
    answers = {name: await send_raw(private_nabij, raw) for name, raw in MALFORMED_REQUESTS.items()}
    for name, answer in answers.items():
        if name != "not HTTP at all":
            assert re.match(rb"HTTP/1\.[01] 4\d\d ", answer), (name, answer[:80])
    records = [r for r in debug_logs.records if r.name == "aiohttp.server"]
    assert records, "aiohttp.server logged nothing: the requests did not reach the parser"
    logged = logged_text(debug_logs)
    needles = ("127.0.0.1", FAKE_IP, "kievit-3391", SESSION_COOKIE_VALUE, "nabij_session")
    assert not [n for n in needles if n in logged], [
        r.getMessage() for r in debug_logs.records if any(n in str(r.__dict__) for n in needles)
    ]


@pytest.mark.parametrize("name", [*runtime.SCRUBBED_LOGGERS, *runtime.DROPPED_LOGGERS])
def test_library_records_keep_their_message_and_lose_what_the_client_sent(
    name: str, log_privacy: None, debug_logs: pytest.LogCaptureFixture
) -> None:
    """engineio would log "<sid>: Received packet MESSAGE data <payload>"; aiohttp the bytes."""
    try:
        raise ValueError(f"bad header: Cookie: nabij_session={SESSION_COOKIE_VALUE}")
    except ValueError:
        logging.getLogger(name).exception(
            "%s: Received packet %s data %s", "sid", "MESSAGE", FAKE_UA
        )
    logged = logged_text(debug_logs)
    assert SESSION_COOKIE_VALUE not in logged and "kievit-3391" not in logged, logged
    mine = [r for r in debug_logs.records if r.name == name]
    if name in runtime.DROPPED_LOGGERS:
        assert not mine
    else:
        assert [r.getMessage() for r in mine] == ["-: Received packet - data - error=ValueError"]
