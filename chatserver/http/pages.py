"""HTML pages: the demo host page at ``/`` (the console arrives with its own issue)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from chatserver import keys
from chatserver.http.middleware import SECURITY_HEADERS


def demo_csp(public_url: str, host: str) -> str:
    """The default CSP, plus the page's own WebSocket origin for the widget's socket.

    CSP Level 3 lets ``'self'`` match ``ws:``/``wss:`` on the same host, but not every
    browser in use implements that yet, so the socket origin is named explicitly.
    """
    scheme = "wss" if urlsplit(public_url).scheme == "https" else "ws"
    socket_origin = f"{scheme}://{host}"
    default = SECURITY_HEADERS["Content-Security-Policy"]
    return default.replace("connect-src 'self'", f"connect-src 'self' {socket_origin}")


async def index(request: web.Request) -> web.Response:
    """The demo: a peer-support team's web page with the widget embedded as a host would."""
    settings = request.app[keys.settings_key]
    # Same origin as the page, whichever of Nabij's addresses the visitor used.
    context = {"widget_src": "/widget/widget.js"}
    response = aiohttp_jinja2.render_template("index.html", request, context)
    response.headers["Content-Security-Policy"] = demo_csp(settings.public_url, request.host)
    return response


FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


async def favicon(request: web.Request) -> web.FileResponse:
    """``GET /favicon.ico``: browsers ask for it on every page; a day's cache is plenty."""
    response = web.FileResponse(FAVICON, headers={"Cache-Control": "public, max-age=86400"})
    response.content_type = "image/x-icon"
    return response
