"""``GET /api/status``: can a visitor chat now (four states), when, where else to go.

Answered without a socket so the widget can show open/closed before opening one; listed
host sites may read it cross-origin (CORS), no cookies involved. Every widget load asks,
so the JSON body is rendered once per answer and reused while the answer stays the same
(docs/performance.md).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from chatserver import keys

#: Always shown: the emergency number and Veilig Thuis (free, can be anonymous).
ALTERNATIVES = [
    {"name": "Alarmnummer", "phone": "112", "when": "In direct gevaar"},
    {"name": "Veilig Thuis", "phone": "0800-2000", "when": "24/7, gratis, kan anoniem"},
]


class StatusBody:
    """The last rendered body, for the live part and the published hours it was made of."""

    def __init__(self) -> None:
        self._made_of: tuple[dict[str, Any], dict[str, Any]] | None = None
        self._body = b""

    def render(self, live: dict[str, Any], published: dict[str, Any]) -> bytes:
        """``{ok, open, state, ..., next_opening, opening_hours, alternatives}`` as JSON.

        ``live`` is the small part that follows presence (compared by value); ``published``
        is one shared object until the hours are read again, so its identity says whether
        the cached body still holds.
        """
        made_of = self._made_of
        if made_of is None or made_of[0] != live or made_of[1] is not published:
            answer = {"ok": True, **live, **published, "alternatives": ALTERNATIVES}
            self._body = json.dumps(answer, separators=(",", ":")).encode()
            self._made_of = (live, published)
        return self._body


status_body_key = web.AppKey("status_body", StatusBody)


async def status(request: web.Request) -> web.Response:
    """``{ok, open, state, next_opening, opening_hours, alternatives}`` (docs/protocol.md)."""
    live, published = await request.app[keys.chat_key].status()
    body = request.app[status_body_key].render(live, published)
    response = web.Response(body=body, content_type="application/json")
    origin = request.headers.get("Origin")
    if origin and origin in request.app[keys.settings_key].widget_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    response.headers["Cache-Control"] = "no-store"
    return response
