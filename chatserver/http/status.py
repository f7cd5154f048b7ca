"""``GET /api/status``: is the chat open, when does it open next, where else to go.

Answered without a socket so the widget can show open/closed before opening one; listed
host sites may read it cross-origin (CORS), no cookies involved.
"""

from __future__ import annotations

from aiohttp import web

from chatserver import keys

#: Always shown: the emergency number and Veilig Thuis (free, can be anonymous).
ALTERNATIVES = [
    {"name": "Alarmnummer", "phone": "112", "when": "In direct gevaar"},
    {"name": "Veilig Thuis", "phone": "0800-2000", "when": "24/7, gratis, kan anoniem"},
]


async def status(request: web.Request) -> web.Response:
    """``{ok, open, next_opening, alternatives}``."""
    payload = await request.app[keys.chat_key].status()
    response = web.json_response({"ok": True, **payload, "alternatives": ALTERNATIVES})
    origin = request.headers.get("Origin")
    if origin and origin in request.app[keys.settings_key].widget_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    response.headers["Cache-Control"] = "no-store"
    return response
