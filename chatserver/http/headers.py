"""Request headers that are not UTF-8 are refused at the door (400), before anyone reads them.

aiohttp decodes header bytes as UTF-8 with ``surrogateescape``: a ``Cookie:
nabij_session=\\xff`` arrives as the lone surrogate ``"\\udcff"``, and the first ``encode``
(hashing the session token, the CSRF binding, the forwarded address) raised a
``UnicodeEncodeError``: a 500 on every staff route, and a traceback from the socket
handshake. Every header a handler or the socket server could read passes this check first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from chatserver.http.jsonapi import json_error
from chatserver.strictjson import is_scalar_text

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def valid_headers(request: web.Request) -> bool:
    """Whether every header value (and the query string) is valid UTF-8 text."""
    values = [request.query_string, *request.headers.values()]
    return all(value.isascii() or is_scalar_text(value) for value in values)


@web.middleware
async def header_text_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A 400 ``invalid`` for a request whose headers are not UTF-8; nothing else is read."""
    if not valid_headers(request):
        return json_error(400, "invalid", "A request header is not valid UTF-8.")
    return await handler(request)
