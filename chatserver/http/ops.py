"""Operations endpoints: ``/healthz``, ``/readyz`` and ``/metrics``.

``/healthz`` says the process answers (no dependency: a liveness probe must not restart
every replica when the database blips). ``/readyz`` says whether this process should get
traffic: database and Redis reachable within a short timeout, this process's pub/sub
listener alive, and not draining. Both carry no identifiers and are safe to expose to the
load balancer; nginx still keeps them off the public site.

``/metrics`` carries counts only (see ``chatserver/metrics.py``), yet it tells how busy the
service is, which is sensitive for a service people may be watched using. It is served
with a bearer token (``NABIJ_METRICS_TOKEN``) when one is set, and otherwise only to direct
loopback requests (no ``X-Forwarded-For``: a request relayed by a local proxy is not local).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from typing import Any

import socketio
from aiohttp import web
from sqlalchemy import text

from chatserver import keys
from chatserver.chat.notify import STAFF, VISITOR
from chatserver.metrics import CONTENT_TYPE
from chatserver.realtime import libcompat

#: How long ``/readyz`` waits for each dependency.
READY_TIMEOUT_S = 2.0


async def healthz(_request: web.Request) -> web.Response:
    """Alive: the event loop answers. No dependency is checked."""
    return web.json_response({"ok": True}, headers={"Cache-Control": "no-store"})


async def readyz(request: web.Request) -> web.Response:
    """Ready for traffic: 200, or 503 naming each check that failed."""
    app = request.app
    checks = {
        "database": await _bounded(_database_ok(app)),
        "redis": await _bounded(app[keys.store_key].ping()),
        "pubsub": _listener_alive(app[keys.sio_key]),
        "draining": not app[keys.chat_key].draining,
    }
    failed = sorted(name for name, passed in checks.items() if not passed)
    status = 503 if failed else 200
    body = {"ok": not failed, "failed": failed}
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


async def _bounded(check: Any) -> bool:
    try:
        return bool(await asyncio.wait_for(check, READY_TIMEOUT_S))
    except Exception:
        return False


async def _database_ok(app: web.Application) -> bool:
    async with app[keys.engine_key].connect() as conn:
        await conn.execute(text("SELECT 1"))
    return True


def _listener_alive(sio: socketio.AsyncServer) -> bool:
    """The Redis manager's listener task: when it died, this process hears no other's emits.

    Without Redis there is no listener and nothing to check.
    """
    task = libcompat.listener_task(sio.manager)
    if not isinstance(sio.manager, socketio.AsyncRedisManager) or task is None:
        return True
    return not task.done()


async def metrics(request: web.Request) -> web.Response:
    """The Prometheus text exposition, to the token holder or a loopback caller."""
    if not _may_scrape(request):
        return web.json_response(
            {"ok": False, "error": {"code": "forbidden", "message": "Not for you."}}, status=403
        )
    app = request.app
    chat, sio = app[keys.chat_key], app[keys.sio_key]
    m = chat.metrics
    for namespace in (VISITOR, STAFF):
        m.connections.labels(namespace=namespace).set(_connections(sio, namespace))
    m.draining.set(1 if chat.draining else 0)
    try:
        counts = await app[keys.team_view_key].live_counts()
    except Exception:  # Redis down: the process counters are still worth a scrape
        m.errors.labels(code="temporarily_unavailable").inc()
    else:
        m.waiting.set(counts.waiting)
        m.active.set(counts.active)
        m.outbox_pending.set(counts.outbox_pending)
    response = web.Response(body=m.render(), headers={"Cache-Control": "no-store"})
    response.headers["Content-Type"] = CONTENT_TYPE
    return response


def _connections(sio: socketio.AsyncServer, namespace: str) -> int:
    """Sockets connected to ``namespace`` on this process (the manager's ``None`` room)."""
    return len(libcompat.room_members(sio.manager, namespace, None))


def _may_scrape(request: web.Request) -> bool:
    token = request.app[keys.settings_key].metrics_token
    if token is not None:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token.reveal()}".encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False
