"""``POST /api/events/widget-open``: count a widget open, knowing nothing about who opened it.

No body and no cookie is read; the counter of the current UTC hour goes up by one
(registration.widget_opens). Host sites listed in ``NABIJ_WIDGET_ORIGINS`` may call it
cross-origin, like ``GET /api/status``; other origins are refused so a stranger's page
cannot inflate the figures from browsers. A script can post without an Origin, so each
address counts at most once an hour: its keyed hash is kept in the live store for that
hour (like the sign-in throttle), never the address, and never in the database. A repeat
gets the same 204, so the answer tells nothing.
"""

from __future__ import annotations

from aiohttp import web

from chatserver import keys
from chatserver.http.auth import request_address_key
from chatserver.http.jsonapi import APIError
from nabij.db import utcnow
from registration.widget_opens import count_widget_open


async def widget_open(request: web.Request) -> web.Response:
    """204 after counting; 403 ``forbidden`` from an origin that is not a host site."""
    settings = request.app[keys.settings_key]
    origin = request.headers.get("Origin")
    if origin is not None and origin not in settings.allowed_origins:
        raise APIError(403, "forbidden", "This origin may not count widget opens.")
    if await _first_open_this_hour(request):
        async with request.app[keys.db_key].begin() as session:
            await count_widget_open(session, utcnow())
    response = web.Response(status=204)
    if origin in settings.widget_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


#: How long one address's widget open keeps it from counting again.
OPEN_COUNTED_ONCE_PER_S = 3600


async def _first_open_this_hour(request: web.Request) -> bool:
    key = "widgetopen:" + request_address_key(request)
    now = request.app[keys.chat_key].clock()
    store = request.app[keys.store_key]
    return not await store.hit_rate_limit(key, 1, OPEN_COUNTED_ONCE_PER_S, now)
