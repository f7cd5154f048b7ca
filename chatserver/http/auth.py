"""``POST /api/auth/login``, ``POST /api/auth/logout``, ``GET /api/me``."""

from __future__ import annotations

import hashlib
import logging
from typing import Annotated, ClassVar

from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.clientaddress import hashed_client_address
from chatserver.http.declared import Body
from chatserver.http.jsonapi import APIError
from chatserver.staffauth import (
    SESSION_COOKIE,
    clear_session_cookie,
    set_session_cookie,
)
from nabij.db import utcnow
from staffing.experts import authenticate
from staffing.models import StaffUser
from staffing.sessions import (
    create_login_session,
    end_login_session,
    hash_token,
    user_for_session_token,
)

logger = logging.getLogger(__name__)

LOGIN_ATTEMPTS_PER_WINDOW = 10
LOGIN_ATTEMPTS_PER_ADDRESS = 30
LOGIN_WINDOW_S = 15 * 60
#: Longer than any username (64) or password (staffing/passwords.py) that can exist.
MAX_CREDENTIAL_CHARS = 1024
Credential = Annotated[str, Meta(max_length=MAX_CREDENTIAL_CHARS)]


def user_payload(user: StaffUser) -> dict[str, object]:
    """What the console may know of the signed-in user."""
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "focus": sorted(user.focus_codes),
        "capacity": user.capacity,
    }


class Credentials(Body):
    """``POST /api/auth/login``: exactly a username and a password, as text."""

    refusal: ClassVar[str] = "Send exactly {username, password} as text."
    username: Credential
    password: Credential


async def check_login_throttle(request: web.Request, username: str) -> None:
    """Count every attempt per username and per address; a burst gets 429.

    Keys are hashes, kept for the window only. The per-address limit stops one client
    trying many usernames; it is higher, as a team may share one office address.
    Shared by the JSON sign-in and the sign-in form.
    """
    store = request.app[keys.store_key]
    now = request.app[keys.chat_key].clock()
    key = "login:" + hashlib.sha256(username.encode()).hexdigest()[:32]
    by_address = "loginaddr:" + request_address_key(request)
    if await store.hit_rate_limit(
        by_address, LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_WINDOW_S, now
    ) or await store.hit_rate_limit(key, LOGIN_ATTEMPTS_PER_WINDOW, LOGIN_WINDOW_S, now):
        raise APIError(429, "rate_limited", "Too many sign-in attempts; wait 15 minutes.")


def request_address_key(request: web.Request) -> str:
    """The client's address as a keyed hash (chatserver/clientaddress.py: which hop)."""
    forwarded_for = request.headers.get("X-Forwarded-For")
    return hashed_client_address(request.app[keys.settings_key], request.remote, forwarded_for)


async def sign_in(request: web.Request, username: str, password: str) -> tuple[StaffUser, str]:
    """Throttle, check the password and open a session; APIError 429 or 401 otherwise."""
    await check_login_throttle(request, username)
    settings, db = request.app[keys.settings_key], request.app[keys.db_key]
    async with db.begin() as session:
        user = await authenticate(session, username, password)
        if user is None:
            logger.info("sign-in refused")
            raise APIError(401, "unauthorized", "Wrong username or password.")
        token = await create_login_session(session, user.id, utcnow(), settings.session_max_age_s)
    logger.info("signed in user=%d", user.id)
    return user, token


async def sign_out(request: web.Request) -> None:
    """End this browser's session; its open consoles are signed out too."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with request.app[keys.db_key].begin() as session:
            user = await user_for_session_token(session, token, utcnow())
            await end_login_session(session, token)
        if user is not None:
            await request.app[keys.staff_access_key].apply_change(user.id, [hash_token(token)])


async def login(request: web.Request, body: Credentials) -> web.Response:
    """Sign in; a new session token every time (no fixation)."""
    user, token = await sign_in(request, body.username.strip().lower(), body.password)
    response = web.json_response({"ok": True, "user": user_payload(user)})
    set_session_cookie(response, token, request.app[keys.settings_key])
    return response


async def logout(request: web.Request) -> web.Response:
    """Sign out this browser (the session row is deleted, the cookie cleared)."""
    await sign_out(request)
    response = web.json_response({"ok": True})
    clear_session_cookie(response)
    return response


async def me(request: web.Request, user: StaffUser) -> web.Response:
    """The signed-in user, and whether they are on a shift now (the console's status bar)."""
    on_shift = await request.app[keys.team_view_key].is_on_shift(user.id)
    return web.json_response({"ok": True, "user": user_payload(user), "on_shift": on_shift})
