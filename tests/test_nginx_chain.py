"""The production shape, run for real: a TLS proxy, deploy/nginx.conf, two replicas.

Debian's nginx runs deploy/nginx.conf (only its `# site:` lines filled in: tests/nginx.py)
in front of two ``nabij serve`` processes on PostgreSQL and Redis; a second nginx in front
of it terminates TLS, as a host nginx or load balancer does in production. Visitors come
from distinct loopback addresses (the client socket is bound to 127.0.0.N), so every
per-address rule is exercised as on the internet: before nginx's realip module, every
visitor behind a TLS proxy shared the proxy's address and the 21st was refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import signal
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import redis.asyncio as aioredis
import socketio

from tests.harness import Peer
from tests.nginx import (
    SITE_CONF,
    SITE_TLS_CONF,
    NginxProcess,
    make_certificate,
    render_site_conf,
    render_site_tls_conf,
    start_site_nginx,
    start_tls_proxy,
)
from tests.processes import ServerProcess, add_expert, login, peers, stamp_schema
from tests.services import require_nginx
from tests.waiting import eventually

STACK = pytest.mark.parametrize("stack", ["postgres+redis"], indirect=True)

#: The thirty visitors: 127.0.0.2 ... 127.0.0.31.
VISITORS = [f"127.0.0.{n}" for n in range(2, 32)]
#: Low, so "over the limit" takes three sockets; thirty visitors sharing one address
#: (the proxy's) would be refused from the third on.
SOCKETS_PER_ADDRESS = 2
#: Three experts of ten chats each: every visitor is assigned.
EXPERTS = ("anna", "bram", "cees")
EXIT_BOUND_S = 15.0


@dataclass
class Chain:
    """TLS proxy -> our nginx -> replicas ``a`` and ``b``; clients bound to a source."""

    a: ServerProcess
    b: ServerProcess
    site: NginxProcess
    site_tls_port: int
    tls: NginxProcess
    ssl: ssl.SSLContext
    redis: tuple[str, str]
    sessions: list[aiohttp.ClientSession] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where visitors go: the TLS proxy."""
        return f"https://127.0.0.1:{self.tls.port}"

    @property
    def site_url(self) -> str:
        """Our nginx itself, with its own TLS (deploy/nginx-tls.conf): facing the internet."""
        return f"https://127.0.0.1:{self.site_tls_port}"

    @property
    def site_plain_url(self) -> str:
        """Our nginx's plain port, where the TLS proxy connects."""
        return f"http://127.0.0.1:{self.site.port}"

    def http(self, source: str) -> aiohttp.ClientSession:
        """An HTTP session whose connections come from ``source`` (closed at teardown)."""
        connector = aiohttp.TCPConnector(local_addr=(source, 0), ssl=self.ssl)
        session = aiohttp.ClientSession(connector=connector)
        self.sessions.append(session)
        return session

    async def visitor(
        self,
        source: str,
        *,
        url: str | None = None,
        transports: tuple[str, ...] = ("websocket",),
        http: aiohttp.ClientSession | None = None,
        **kwargs: Any,
    ) -> Peer:
        """A visitor socket from ``source`` through the chain (or ``url``)."""
        client = socketio.AsyncClient(reconnection=False, http_session=http or self.http(source))
        peer = Peer(client, "/visitor")

        async def record(event: str, data: Any = None) -> None:
            await peer.events[event].put(data)

        client.on("*", record, namespace="/visitor")
        await client.connect(
            url or self.url,
            namespaces=["/visitor"],
            transports=list(transports),
            wait_timeout=5,
            **kwargs,
        )
        return peer

    async def refusal(self, source: str, **kwargs: Any) -> Any:
        """Connecting from ``source`` must fail; what the refusal carried."""
        refusals: list[Any] = []
        client = socketio.AsyncClient(reconnection=False, http_session=self.http(source))
        client.on("connect_error", refusals.append, namespace="/visitor")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(
                kwargs.pop("url", self.url),
                namespaces=["/visitor"],
                transports=["websocket"],
                wait_timeout=5,
                **kwargs,
            )
        await client.disconnect()
        return refusals[0] if refusals else None


@pytest.fixture
async def chain(stack: dict[str, str | None], tmp_path: Path) -> AsyncIterator[Chain]:
    """Start the whole shape; stop every process at the end, whatever happened."""
    require_nginx()
    env = {
        "NABIJ_SECRET_KEY": secrets.token_urlsafe(48),
        "NABIJ_DATABASE_URL": str(stack["database_url"]),
        "NABIJ_REDIS_URL": str(stack["redis_url"]),
        "NABIJ_REDIS_PREFIX": f"nabij-test:{secrets.token_hex(6)}:",
        "NABIJ_RECONNECT_GRACE_S": "30",
        "NABIJ_TRUSTED_PROXY": "true",
        "NABIJ_VISITOR_SOCKETS_PER_ADDRESS": str(SOCKETS_PER_ADDRESS),
    }
    await stamp_schema(str(stack["database_url"]))
    for name in EXPERTS:
        await add_expert(str(stack["database_url"]), name, capacity=10)
    stoppable: list[ServerProcess | NginxProcess] = []
    sessions: list[aiohttp.ClientSession] = []
    try:
        a = ServerProcess(env, tmp_path / "a.log")
        b = ServerProcess(env, tmp_path / "b.log")
        stoppable += [a, b]
        await asyncio.gather(a.ready(), b.ready())
        cert, key = make_certificate(tmp_path)
        site, site_tls_port = await start_site_nginx(
            [a.port, b.port], trusted=["127.0.0.1"], cert=cert, key=key
        )
        stoppable.append(site)
        tls = await start_tls_proxy(site.port, cert, key)
        stoppable.append(tls)
        context = ssl.create_default_context(cafile=str(cert))
        redis = (env["NABIJ_REDIS_URL"], env["NABIJ_REDIS_PREFIX"])
        yield Chain(a, b, site, site_tls_port, tls, context, redis, sessions)
    finally:
        for session in sessions:
            await session.close()
        for process in stoppable:
            process.stop()
        await _drop_keys(env["NABIJ_REDIS_URL"], env["NABIJ_REDIS_PREFIX"])


async def _drop_keys(url: str, prefix: str) -> None:
    """Remove this run's keys from the shared Redis (only ours: the prefix is random)."""
    client = aioredis.Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def _visitor_count(server: ServerProcess) -> int:
    """Visitor sockets open on ``server`` (its own /metrics, asked directly)."""
    async with aiohttp.ClientSession() as http, http.get(f"{server.url}/metrics") as response:
        text = await response.text()
    found = re.search(r'^nabij_connections\{namespace="/visitor"\} (\S+)$', text, re.M)
    assert found, text
    return int(float(found.group(1)))


async def _experts_on(server: ServerProcess, connect: Any) -> list[Peer]:
    """The three experts, signed in and available on ``server`` directly."""
    experts = []
    for name in EXPERTS:
        cookie = await login(server.url, name)
        expert = await connect(server.url, "/staff", headers={"Cookie": f"nabij_session={cookie}"})
        assert (await expert.call("presence:set", {"available": True}))["ok"]
        experts.append(expert)
    return experts


@dataclass
class Chat:
    """One of the thirty visitors, its conversation and the expert who holds it."""

    source: str
    visitor: Peer
    token: str
    conversation_id: str
    expert: Peer | None = None


async def _thirty_chats(chain: Chain, experts: list[Peer]) -> list[Chat]:
    """Every visitor asks for a chat through the chain; every one gets it and is assigned."""
    visitors = await asyncio.gather(*(chain.visitor(source) for source in VISITORS))
    acks = await asyncio.gather(*(v.call("chat:request", {"audience": "victim"}) for v in visitors))
    assert [ack["ok"] for ack in acks] == [True] * len(VISITORS), acks  # no rate_limited
    chats = {
        ack["conversation_id"]: Chat(source, visitor, ack["token"], ack["conversation_id"])
        for source, visitor, ack in zip(VISITORS, visitors, acks, strict=True)
    }
    await asyncio.gather(*(chat.visitor.next("chat:assigned") for chat in chats.values()))

    async def experts_told() -> bool:
        for expert in experts:
            for assigned in expert.pending("chat:assigned"):
                chats[assigned["conversation_id"]].expert = expert
        return all(chat.expert is not None for chat in chats.values())

    await eventually(experts_told, what="the experts to be told of their chats", timeout=5)
    return list(chats.values())


async def _expert_says(chat: Chat, client_id: str, body: str) -> int:
    assert chat.expert is not None
    data = {"conversation_id": chat.conversation_id, "client_id": client_id, "body": body}
    sent = await chat.expert.call("message:send", data)
    assert sent["ok"], sent
    return int(sent["seq"])


async def _one_address_over_its_limit_is_refused_alone(chain: Chain) -> None:
    """The third socket of one address is refused, however it forges X-Forwarded-For."""
    opened = []
    for n in range(SOCKETS_PER_ADDRESS):
        forged = {"X-Forwarded-For": f"203.0.113.{n + 1}"}
        opened.append(await chain.visitor("127.0.0.40", headers=forged))
    refusal = await chain.refusal("127.0.0.40", headers={"X-Forwarded-For": "203.0.113.9"})
    assert refusal["data"]["code"] == "rate_limited"
    opened.append(await chain.visitor("127.0.0.41"))  # the neighbour is not refused
    # Straight at our nginx (the shape where it faces the internet): the header is ignored.
    for n in range(SOCKETS_PER_ADDRESS):
        forged = {"X-Forwarded-For": f"127.0.0.{n + 1}"}
        opened.append(await chain.visitor("127.0.0.42", url=chain.site_url, headers=forged))
    refusal = await chain.refusal(
        "127.0.0.42", url=chain.site_url, headers={"X-Forwarded-For": "198.51.100.1"}
    )
    assert refusal["data"]["code"] == "rate_limited"
    for peer in opened:
        await peer.disconnect()


async def _long_polling_works(chain: Chain) -> ServerProcess:
    """Every request of a long-polling session reaches the replica that holds it (returned).

    The session is closed after; python-engineio leaves the client's last poll open on the
    server until it times out, which holds that replica's exit on SIGTERM for up to
    aiohttp's shutdown timeout (runtime.py): the test stops the other one.
    """
    http = chain.http("127.0.0.43")
    polling = await chain.visitor("127.0.0.43", transports=("polling",), http=http)
    # No expert is on yet: the chat is closed. Each call is a POST and a GET poll; one on
    # the other replica would end the session ("Invalid session").
    for _ in range(5):
        ack = await polling.call("chat:request", {"audience": "relative"})
        assert ack["error"]["code"] == "closed", ack
    assert polling.client.transport() == "polling"
    counts = {server: await _visitor_count(server) for server in (chain.a, chain.b)}
    assert sorted(counts.values()) == [0, 1]
    # The client would wait out its pending poll (up to 25 s): close its connections.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(polling.disconnect(), 1)
    await http.close()
    return max(counts, key=lambda server: counts[server])


async def _a_websocket_upgrade_works(chain: Chain) -> None:
    """The default transports: long-polling first, then the upgrade to a websocket."""
    upgraded = await chain.visitor("127.0.0.44", transports=("polling", "websocket"))

    async def on_websocket() -> bool:
        return bool(upgraded.client.transport() == "websocket")

    await eventually(on_websocket, what="the upgrade to a websocket", timeout=5)
    assert (await upgraded.call("chat:request", {"audience": "unknown"}))["error"][
        "code"
    ] == "closed"
    await upgraded.disconnect()


async def _operations_paths_are_private_and_big_bodies_refused(chain: Chain) -> None:
    """/metrics, /readyz and /healthz answer 404 through nginx; 64 KiB is the body limit."""
    http = chain.http("127.0.0.45")
    for base in (chain.url, chain.site_url, chain.site_plain_url):
        for path in ("/metrics", "/readyz", "/healthz"):
            async with http.get(base + path) as response:
                assert response.status == 404, (base, path)
    async with http.get(chain.site_url + "/api/status") as response:  # TLS at nginx itself
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    for base in (chain.url, chain.site_url):
        for path in ("/api/auth/login", "/socket.io/?EIO=4&transport=polling"):
            async with http.post(base + path, data=b"x" * (65 * 1024)) as response:
                assert response.status == 413, (base, path)
    async with http.post(chain.url + "/api/auth/login", data=b"x" * (63 * 1024)) as response:
        # Through to Nabij, which refuses it for its own reasons (no JSON in it).
        assert response.status != 413 and "Content-Security-Policy" in response.headers


async def _sigterm_moves_its_visitors_to_the_other(
    chain: Chain, chats: list[Chat], gone: ServerProcess, kept: ServerProcess
) -> None:
    """``gone`` drains; its visitors resume on ``kept`` through nginx and miss nothing."""

    async def only_the_thirty() -> bool:
        counts = await asyncio.gather(_visitor_count(gone), _visitor_count(kept))
        return sum(counts) == len(VISITORS)

    await eventually(only_the_thirty, what="the other sockets to close", timeout=10)
    on_gone = await _visitor_count(gone)
    assert 0 < on_gone < len(VISITORS)  # both replicas carry visitors
    gone.signal(signal.SIGTERM)
    assert await gone.exited(EXIT_BOUND_S) == 0, gone.log.read_text()

    async def dropped() -> bool:
        return sum(not chat.visitor.client.connected for chat in chats) == on_gone

    await eventually(dropped, what="the drained replica's visitors to be disconnected", timeout=5)
    moved = [chat for chat in chats if not chat.visitor.client.connected]
    seqs = await asyncio.gather(*(_expert_says(chat, "e2", "tijdens") for chat in chats))
    assert set(seqs) == {2}
    for chat in chats:
        if chat.visitor.client.connected:
            assert (await chat.visitor.next("message:new"))["seq"] == 2
    resumed = await asyncio.gather(*(_resume(chain, chat) for chat in moved))
    assert resumed == [("tijdens", "active", 2)] * on_gone
    assert await _visitor_count(kept) == len(VISITORS)


async def _resume(chain: Chain, chat: Chat) -> tuple[str, str, int]:
    """Come back through the chain from the same address with the last seq seen (1)."""
    visitor = await chain.visitor(chat.source, auth={"token": chat.token, "last_seq": 1})
    replayed = await visitor.next("message:new")
    assert replayed["seq"] == 2
    state = await visitor.next("chat:resumed")
    chat.visitor = visitor
    return replayed["body"], state["state"], state["last_seq"]


async def _redis_text(url: str, prefix: str) -> str:
    """Every key of this installation and every value in it, as text."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        values = [await _redis_value(client, key) for key in keys]
    finally:
        await client.aclose()
    assert keys
    return "\n".join(f"{key} {value}" for key, value in zip(keys, values, strict=True))


async def _redis_value(client: aioredis.Redis, key: str) -> object:
    kind = await client.type(key)
    if kind == "string":
        return await client.get(key)
    if kind == "hash":
        return await client.hgetall(key)
    if kind == "list":
        return await client.lrange(key, 0, -1)
    if kind == "set":
        return await client.smembers(key)
    if kind == "zset":
        return await client.zrange(key, 0, -1)
    return await client.xrange(key) if kind == "stream" else kind


def _addresses_in(text: str) -> set[str]:
    """Every loopback address in ``text`` but 127.0.0.1 (the proxies' and Nabij's own)."""
    return {a for a in re.findall(r"127\.0\.0\.\d+", text)} - {"127.0.0.1"}


def test_debians_nginx_takes_the_shipped_files_with_their_own_trusted_ranges(
    tmp_path: Path,
) -> None:
    """The chain test narrows the trusted ranges; the shipped ones must load too."""
    require_nginx()
    nginx = NginxProcess("check")
    try:
        cert, key = make_certificate(tmp_path)
        tls = render_site_tls_conf(SITE_TLS_CONF.read_text(), port=1443, cert=cert, key=key)
        (nginx.dir / "nabij-tls.conf").write_text(tls)
        conf = render_site_conf(
            SITE_CONF.read_text(), port=1080, replicas=[1081], trusted=None, temp_dir=nginx.dir
        )
        assert "set_real_ip_from fc00::/7;" in conf
        checked = nginx.check_conf(conf)
        assert checked.returncode == 0, checked.stderr
    finally:
        nginx.stop()


@STACK
@pytest.mark.timeout(150)
async def test_visitors_through_a_tls_proxy_and_nginx_keep_their_own_addresses(
    chain: Chain,
) -> None:
    await _one_address_over_its_limit_is_refused_alone(chain)
    kept = await _long_polling_works(chain)
    gone = chain.a if kept is chain.b else chain.b
    await _a_websocket_upgrade_works(chain)
    await _operations_paths_are_private_and_big_bodies_refused(chain)
    async with peers() as connect:
        # The experts sit on the replica that stays, straight, not through nginx.
        experts = await _experts_on(kept, connect)
        chats = await _thirty_chats(chain, experts)
        for chat in chats:
            assert await _expert_says(chat, "e1", "voor") == 1
            assert (await chat.visitor.next("message:new"))["body"] == "voor"
        await _sigterm_moves_its_visitors_to_the_other(chain, chats, gone, kept)
        for chat in chats:
            await chat.visitor.disconnect()
    at_rest = await _redis_text(*chain.redis)
    nabij_logs = chain.a.log.read_text() + chain.b.log.read_text()
    assert 'msg="chat requested"' in nabij_logs  # the logs are there, and say things
    for text in (nabij_logs, chain.site.logs(), chain.tls.logs(), at_rest):
        assert _addresses_in(text) == set()
    for text in (chain.site.logs(), chain.tls.logs()):
        assert "client:" not in text  # no request-level line at all
