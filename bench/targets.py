"""How a load worker opens an expert or a visitor on each kind of server.

``nabij``: staff sign in over HTTP and join ``/staff``; visitors join ``/visitor``. Each
client carries its own ``X-Forwarded-For`` (a loopback address; the server runs with
``NABIJ_TRUSTED_PROXY=true``) so the per-address limits see distinct visitors.
``sio`` and ``ws``: the baselines, told the role in the connection's auth.
"""

from __future__ import annotations

import asyncio

import aiohttp

from bench.clients import Conn, SioConn, WsConn

LOGIN_TRIES = 5
PASSWORD = "bench-password-1234"  # noqa: S105 - a throwaway account of a throwaway database


def fake_address(kind: int, index: int) -> str:
    """A distinct loopback address for client ``index`` (header only, never connected to)."""
    return f"127.{kind}.{index // 256 % 256}.{index % 256}"


def expert_name(index: int) -> str:
    """The username of bench expert ``index``."""
    return f"bench{index:04d}"


async def open_expert(kind: str, url: str, index: int) -> Conn:
    """An expert console, available for chats."""
    if kind == "ws":
        return await WsConn().connect(url, {"role": "expert", "expert": index})
    if kind == "sio":
        return await SioConn("/").connect(url, auth={"role": "expert", "expert": index})
    headers = {"X-Forwarded-For": fake_address(200, index)}
    token = await _login(url, index, headers)
    conn = await SioConn("/staff").connect(
        url, headers={**headers, "Cookie": f"nabij_session={token}"}
    )
    ack = await conn.call("presence:set", {"available": True})
    if not ack.get("ok"):
        raise RuntimeError(f"presence:set {index}: {ack}")
    return conn


async def _login(url: str, index: int, headers: dict[str, str]) -> str:
    """Sign in; retry a 503 (SQLite busy under a burst of sign-ins) up to LOGIN_TRIES times."""
    body = {"username": expert_name(index), "password": PASSWORD}
    async with aiohttp.ClientSession(headers=headers) as http:
        for attempt in range(LOGIN_TRIES):
            response = await http.post(f"{url}/api/auth/login", json=body)
            if response.status == 200:
                return response.cookies["nabij_session"].value
            if response.status != 503 or attempt == LOGIN_TRIES - 1:
                raise RuntimeError(f"login {index}: {response.status} {await response.text()}")
            await asyncio.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


async def open_visitor(kind: str, url: str, index: int) -> Conn:
    """A visitor socket without a chat yet."""
    if kind == "ws":
        return await WsConn().connect(url, {"role": "visitor"})
    if kind == "sio":
        return await SioConn("/").connect(url, auth={"role": "visitor"})
    return await SioConn("/visitor").connect(
        url, headers={"X-Forwarded-For": fake_address(100 + index // 65536, index)}
    )
