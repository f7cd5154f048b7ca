"""Middlewares: JSON errors for the API, CSRF defence for cookies, security headers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from chatserver import keys
from chatserver.errors import OUTAGES
from chatserver.http.csrf import SAFE_METHODS, csrf_token_middleware
from chatserver.http.headers import header_text_middleware
from chatserver.http.jsonapi import APIError, json_error
from chatserver.http.messages import VISITOR_PATHS

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Cookie-free endpoints that widget host sites may POST to; the handler checks the origin.
CROSS_SITE_POSTS = frozenset({"/api/events/widget-open", *VISITOR_PATHS})

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
}


UNAVAILABLE_MESSAGE = "The database is briefly unreachable; nothing was saved. Try again soon."


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API errors become JSON; an unexpected failure is logged without the request's content."""
    try:
        return await handler(request)
    except APIError as exc:
        return exc.response
    except web.HTTPException as exc:
        if request.path.startswith("/api/"):
            return json_error(exc.status, "invalid" if exc.status < 500 else "internal", exc.reason)
        raise
    except OUTAGES as exc:
        # The database or Redis is unreachable: a clear 503, not a 500 with a trace.
        logger.warning(
            "request failed method=%s route=%s error=%s",
            request.method,
            _route(request),
            type(exc).__name__,
        )
        return json_error(503, "unavailable", UNAVAILABLE_MESSAGE)
    except Exception:
        logger.exception("request failed method=%s route=%s", request.method, _route(request))
        return json_error(500, "internal", "Something went wrong on our side; nothing changed.")


def _route(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "?"


@web.middleware
async def origin_check_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse state-changing requests from another origin.

    Cookies are SameSite=Strict and the API only takes JSON (a cross-site form cannot send
    it without a preflight); this check of Origin (or Referer) is the third layer.
    """
    if request.method in SAFE_METHODS or request.path.startswith("/socket.io/"):
        return await handler(request)
    if request.path in CROSS_SITE_POSTS:
        return await handler(request)
    expected = request.app[keys.settings_key].own_origins
    origin = request.headers.get("Origin") or _referer_origin(request.headers.get("Referer"))
    if origin is not None and origin not in expected:
        return json_error(403, "forbidden", "Cross-origin request refused.")
    return await handler(request)


def _referer_origin(referer: str | None) -> str | None:
    if not referer:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}"


@web.middleware
async def security_headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers and a strict CSP on every response but the socket transport.

    Raised HTTP errors and redirects (a page's 404, a sign-in redirect) get them too.
    """
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _add_security_headers(request, exc)
        raise
    _add_security_headers(request, response)
    return response


def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    if not request.path.startswith("/socket.io/"):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")


def setup_middlewares(app: web.Application) -> None:
    """Install the middlewares, outermost first."""
    app.middlewares.extend(
        [
            security_headers_middleware,
            header_text_middleware,
            error_middleware,
            origin_check_middleware,
            csrf_token_middleware,
        ]
    )
