"""CSRF tokens for the staff pages and the console's JSON calls.

A token is an HMAC (settings.secret_key) of what binds it to one browser: the session
token once signed in, or a random pre-login cookie on the sign-in form. Forms carry it in
a hidden ``csrf_token`` field, the console's fetch calls in the ``X-CSRF-Token`` header.
A state-changing request that carries a session cookie without the right token is refused
with 403 before any handler runs, so it changes nothing. This is a fourth layer next to
SameSite=Strict cookies, JSON-only API bodies and the Origin check (middleware.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from chatserver import keys
from chatserver.console.i18n import pick_language, texts
from chatserver.http.forms import read_form
from chatserver.http.jsonapi import json_error
from chatserver.staffauth import SESSION_COOKIE

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOGIN_COOKIE = "nabij_login"
LOGIN_PATH = "/login"
#: The JSON sign-in creates the session the token would be bound to; it needs none.
EXEMPT_PATHS = frozenset({"/api/auth/login"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def csrf_token(secret: str, binding: str) -> str:
    """The token bound to ``binding`` (a session or pre-login token)."""
    return hmac.new(secret.encode(), b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


def csrf_token_for(request: web.Request, binding: str | None = None) -> str:
    """The token for this request's session (or ``binding``); empty when there is none."""
    binding = binding or request.cookies.get(SESSION_COOKIE)
    if not binding:
        return ""
    return csrf_token(request.app[keys.settings_key].secret_key.reveal(), binding)


def ensure_login_binding(request: web.Request, response: web.StreamResponse) -> str:
    """The pre-login cookie's value, set on ``response`` when the browser has none yet."""
    value = request.cookies.get(LOGIN_COOKIE)
    if value and len(value) <= 64:
        return value
    value = secrets.token_urlsafe(24)
    settings = request.app[keys.settings_key]
    response.set_cookie(
        LOGIN_COOKIE,
        value,
        max_age=3600,
        httponly=True,
        samesite="Strict",
        secure=settings.cookie_secure,
        path=LOGIN_PATH,
    )
    return value


async def _sent_token(request: web.Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.content_type in FORM_TYPES and not request.path.startswith("/api/"):
        form = await read_form(request)
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def _binding(request: web.Request) -> str | None:
    if request.path == LOGIN_PATH:
        return request.cookies.get(LOGIN_COOKIE) or ""
    return request.cookies.get(SESSION_COOKIE)


def refuse(request: web.Request) -> web.Response:
    """403: JSON for the API, a short page otherwise."""
    if request.path.startswith("/api/"):
        return json_error(403, "forbidden", "Missing or wrong CSRF token; reload the page.")
    lang = pick_language(request.query.get("lang"), request.headers.get("Accept-Language"))
    return web.Response(status=403, text=f"403: {texts(lang)['form.expired']}\n")


@web.middleware
async def csrf_token_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse a state-changing request with a session cookie but without its CSRF token."""
    if (
        request.method in SAFE_METHODS
        or request.path.startswith("/socket.io/")
        or request.path in EXEMPT_PATHS
    ):
        return await handler(request)
    binding = _binding(request)
    if binding is None:
        return await handler(request)  # no session: the handler answers 401 or redirects
    expected = csrf_token_for(request, binding) if binding else ""
    if not expected or not hmac.compare_digest(expected, await _sent_token(request)):
        return refuse(request)
    return await handler(request)
