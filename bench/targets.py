"""How a load worker opens an expert or a visitor on each kind of server.

``nabij``: staff sign in over HTTP and join ``/staff``; visitors join ``/visitor``. Each
client carries its own ``X-Forwarded-For`` (a loopback address; the server runs with
``NABIJ_TRUSTED_PROXY=true``) so the per-address limits see distinct visitors.
``sio`` and ``ws``: the baselines, told the role in the connection's auth.
"""

from __future__ import annotations

import aiohttp

from bench.clients import Conn, SioConn, WsConn

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
    async with aiohttp.ClientSession(headers=headers) as http:
        response = await http.post(
            f"{url}/api/auth/login", json={"username": expert_name(index), "password": PASSWORD}
        )
        if response.status != 200:
            raise RuntimeError(f"login {index}: {response.status} {await response.text()}")
        token = response.cookies["nabij_session"].value
    conn = await SioConn("/staff").connect(
        url, headers={**headers, "Cookie": f"nabij_session={token}"}
    )
    ack = await conn.call("presence:set", {"available": True})
    if not ack.get("ok"):
        raise RuntimeError(f"presence:set {index}: {ack}")
    return conn


async def open_visitor(kind: str, url: str, index: int) -> Conn:
    """A visitor socket without a chat yet."""
    if kind == "ws":
        return await WsConn().connect(url, {"role": "visitor"})
    if kind == "sio":
        return await SioConn("/").connect(url, auth={"role": "visitor"})
    return await SioConn("/visitor").connect(
        url, headers={"X-Forwarded-For": fake_address(100 + index // 65536, index)}
    )
