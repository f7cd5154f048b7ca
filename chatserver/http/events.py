"""``POST /api/events/widget-open``: count a widget open, knowing nothing about who opened it.

No body, no cookie, nothing of the request is read or stored but the time: the counter
of the current UTC hour goes up by one (registration.widget_opens). Host sites listed in
``NABIJ_WIDGET_ORIGINS`` may call it cross-origin, like ``GET /api/status``; other
origins are refused so a stranger's page cannot inflate the figures from browsers.
"""

from __future__ import annotations

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import APIError
from nabij.db import utcnow
from registration.widget_opens import count_widget_open


async def widget_open(request: web.Request) -> web.Response:
    """204 after counting; 403 ``forbidden`` from an origin that is not a host site."""
    settings = request.app[keys.settings_key]
    origin = request.headers.get("Origin")
    if origin is not None and origin not in settings.allowed_origins:
        raise APIError(403, "forbidden", "This origin may not count widget opens.")
    async with request.app[keys.db_key].begin() as session:
        await count_widget_open(session, utcnow())
    response = web.Response(status=204)
    if origin in settings.widget_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response
