"""Staff authentication shared by HTTP handlers and the ``/staff`` namespace."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker

from nabij.db import utcnow
from nabij.settings import Settings
from staffing.models import StaffUser
from staffing.sessions import (
    delete_session_by_hash,
    hash_token,
    login_session_hashes,
    user_for_session_token,
)

SESSION_COOKIE = "nabij_session"

#: Live-store mark of a signed-out session: open staff sockets of it close at their next
#: event (they authenticated once, at connect).
REVOKED_SESSION = "revoked_session"


def set_session_cookie(response: web.StreamResponse, token: str, settings: Settings) -> None:
    """HttpOnly, SameSite=Strict, Secure outside plain-HTTP localhost, path /."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_s,
        httponly=True,
        samesite="Strict",
        secure=settings.cookie_secure,
        path="/",
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    """Remove the session cookie from the browser."""
    response.del_cookie(SESSION_COOKIE, path="/")


def token_from_cookie_header(header: str) -> str | None:
    """The session token in a raw ``Cookie`` header, if any."""
    try:
        cookie = SimpleCookie(header)
    except CookieError:
        return None
    morsel = cookie.get(SESSION_COOKIE)
    return morsel.value if morsel else None


async def user_for_token(db: async_sessionmaker[Any], token: str | None) -> StaffUser | None:
    """The active staff user a session token belongs to, or None."""
    if not token:
        return None
    async with db() as session:
        return await user_for_session_token(session, token, utcnow())


async def revoke_other_sessions(
    db: async_sessionmaker[Any], user_id: int, keep_token: str | None
) -> list[str]:
    """End every session of ``user_id`` but ``keep_token``; return the ended ones' hashes.

    The caller hands them to ``StaffAccessKeeper.apply_change``, which closes the consoles
    signed in with them.
    """
    keep = hash_token(keep_token) if keep_token else None
    async with db.begin() as session:
        hashes = [h for h in await login_session_hashes(session, user_id) if h != keep]
        for token_hash in hashes:
            await delete_session_by_hash(session, token_hash)
    return hashes
