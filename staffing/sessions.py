"""Staff login sessions: the browser keeps a random token, the database only its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from staffing.models import StaffSession, StaffUser

#: Tokens longer than this are never ours; refuse them before hashing.
MAX_TOKEN_LENGTH = 128


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a secret token is stored, never the token itself.

    One function for every token: staff sessions, reset and calendar links, and the
    visitor's resume token (chatserver/chat/service.py).
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_login_session(
    session: AsyncSession, user_id: int, now: dt.datetime, max_age_s: int
) -> str:
    """Store a new login session for ``user_id`` and return its raw token (shown only once)."""
    _require_aware(now)
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=hash_token(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + dt.timedelta(seconds=max_age_s),
        )
    )
    await session.flush()
    return token


async def user_for_session_token(
    session: AsyncSession, token: str, now: dt.datetime
) -> StaffUser | None:
    """Return the active user signed in with ``token``; None if unknown, expired or inactive."""
    _require_aware(now)
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = (
        select(StaffUser)
        .join(StaffSession, StaffSession.user_id == StaffUser.id)
        .where(StaffSession.token_hash == hash_token(token))
        .where(StaffSession.expires_at > now)
        .where(StaffUser.active.is_(True))
    )
    result = await session.execute(query)
    return result.scalar_one_or_none()


async def live_session_hashes(
    session: AsyncSession, token_hashes: Collection[str], now: dt.datetime
) -> set[str]:
    """Which of ``token_hashes`` are still sessions (not signed out, not expired)."""
    _require_aware(now)
    if not token_hashes:
        return set()
    query = (
        select(StaffSession.token_hash)
        .where(StaffSession.token_hash.in_(list(token_hashes)))
        .where(StaffSession.expires_at > now)
    )
    return set((await session.execute(query)).scalars())


async def end_login_session(session: AsyncSession, token: str) -> None:
    """End (log out) the session with ``token``; unknown tokens are ignored."""
    if token and len(token) <= MAX_TOKEN_LENGTH:
        await session.execute(
            delete(StaffSession).where(StaffSession.token_hash == hash_token(token))
        )


async def login_session_hashes(session: AsyncSession, user_id: int) -> list[str]:
    """The stored hashes of every login session of ``user_id`` (to revoke open sockets)."""
    query = select(StaffSession.token_hash).where(StaffSession.user_id == user_id)
    return list((await session.execute(query)).scalars())


async def end_all_login_sessions(session: AsyncSession, user_id: int) -> None:
    """End every login session of ``user_id`` (password change, deactivation)."""
    await session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


async def delete_session_by_hash(session: AsyncSession, token_hash: str) -> None:
    """End the session stored under ``token_hash``."""
    await session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash))


async def purge_expired_login_sessions(session: AsyncSession, now: dt.datetime) -> int:
    """Delete expired sessions and return how many there were."""
    _require_aware(now)
    result = await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)


def _require_aware(now: dt.datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
