"""One-time links to set a password: for a new account, or a reset by a coordinator.

Only the SHA-256 of the link's token is kept. A link works once, for ``LINK_VALID``; a
new link for the same person cancels the older ones. Setting the password signs the
person out everywhere, so a reset also locks out whoever knew the old password.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from staffing.experts import StaffInputError
from staffing.models import PasswordReset, StaffUser
from staffing.passwords import hash_password, password_problem
from staffing.sessions import (
    MAX_TOKEN_LENGTH,
    end_all_login_sessions,
    hash_token,
    login_session_hashes,
)

LINK_VALID = dt.timedelta(hours=72)


async def issue_password_link(session: AsyncSession, user_id: int, now: dt.datetime) -> str:
    """A new one-time token for ``user_id`` (shown once); older links stop working."""
    await session.execute(delete(PasswordReset).where(PasswordReset.user_id == user_id))
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(token_hash=hash_token(token), user_id=user_id, expires_at=now + LINK_VALID)
    )
    await session.flush()
    return token


async def user_for_password_link(
    session: AsyncSession, token: str, now: dt.datetime
) -> StaffUser | None:
    """The active user a valid, unused link belongs to, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = (
        select(StaffUser)
        .join(PasswordReset, PasswordReset.user_id == StaffUser.id)
        .where(PasswordReset.token_hash == hash_token(token))
        .where(PasswordReset.expires_at > now)
        .where(StaffUser.active.is_(True))
    )
    return (await session.execute(query)).scalar_one_or_none()


async def use_password_link(
    session: AsyncSession, token: str, password: str, now: dt.datetime
) -> tuple[StaffUser, list[str]]:
    """Set the password through a link, spend the link, and sign the user out everywhere.

    Returns the user and the hashes of the sessions it ended (their open consoles must
    close too).

    Raises:
        StaffInputError: the link is unknown, used or expired, or the password is refused.
    """
    user = await user_for_password_link(session, token, now)
    if user is None:
        raise StaffInputError({"token": "This link has expired or was used already."})
    if problem := password_problem(password):
        raise StaffInputError({"password": problem})
    user.password_hash = await asyncio.to_thread(hash_password, password)
    await session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    ended = await login_session_hashes(session, user.id)
    await end_all_login_sessions(session, user.id)
    await session.flush()
    return user, ended
