"""Staff login sessions: random tokens, stored only as a hash, expiring."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from staffing.experts import create_staff_user, set_staff_active
from staffing.models import StaffSession, StaffUser
from staffing.sessions import (
    create_login_session,
    end_all_login_sessions,
    end_login_session,
    purge_expired_login_sessions,
    user_for_session_token,
)

Maker = async_sessionmaker[Any]
NOW = dt.datetime(2026, 5, 4, 20, 0, tzinfo=dt.UTC)
HOUR = 3600


async def make_user(maker: Maker, username: str = "anna") -> StaffUser:
    """Create an expert to sign in with."""
    async with maker.begin() as session:
        return await create_staff_user(
            session, username=username, display_name=username.title(), password="x" * 12
        )


async def sign_in(maker: Maker, user: StaffUser, now: dt.datetime = NOW) -> str:
    """Start a one-hour login session and return its raw token."""
    async with maker.begin() as session:
        return await create_login_session(session, user.id, now, HOUR)


async def user_at(maker: Maker, token: str, now: dt.datetime = NOW) -> StaffUser | None:
    """Return who the token signs in at ``now``."""
    async with maker.begin() as session:
        return await user_for_session_token(session, token, now)


async def test_token_signs_in_until_it_expires(sessionmaker: Maker) -> None:
    anna = await make_user(sessionmaker)
    token = await sign_in(sessionmaker, anna)
    signed_in = await user_at(sessionmaker, token)
    assert signed_in is not None and signed_in.id == anna.id
    almost = NOW + dt.timedelta(seconds=HOUR - 1)
    assert await user_at(sessionmaker, token, almost) is not None
    assert await user_at(sessionmaker, token, NOW + dt.timedelta(seconds=HOUR)) is None


async def test_only_the_hash_of_the_token_is_stored(sessionmaker: Maker) -> None:
    anna = await make_user(sessionmaker)
    token = await sign_in(sessionmaker, anna)
    assert len(token) >= 43
    async with sessionmaker.begin() as session:
        stored = (await session.execute(select(StaffSession))).scalar_one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    assert stored.expires_at == NOW + dt.timedelta(seconds=HOUR)


async def test_unknown_or_odd_tokens_sign_in_nobody(sessionmaker: Maker) -> None:
    anna = await make_user(sessionmaker)
    token = await sign_in(sessionmaker, anna)
    for other in ("", "nope", token[:-1], token + "x", "x" * 10_000):
        assert await user_at(sessionmaker, other) is None


async def test_inactive_user_is_signed_out(sessionmaker: Maker) -> None:
    anna = await make_user(sessionmaker)
    token = await sign_in(sessionmaker, anna)
    async with sessionmaker.begin() as session:
        anna_row = await session.get(StaffUser, anna.id)
        assert anna_row is not None
        anna_row.active = False
    assert await user_at(sessionmaker, token) is None


async def test_deactivating_ends_all_sessions(sessionmaker: Maker) -> None:
    anna = await make_user(sessionmaker)
    token = await sign_in(sessionmaker, anna)
    async with sessionmaker.begin() as session:
        await set_staff_active(session, anna.id, False)
        await set_staff_active(session, anna.id, True)
    assert await user_at(sessionmaker, token) is None


async def test_ending_one_or_all_sessions(sessionmaker: Maker) -> None:
    anna, bram = await make_user(sessionmaker, "anna"), await make_user(sessionmaker, "bram")
    first, second = await sign_in(sessionmaker, anna), await sign_in(sessionmaker, anna)
    bram_token = await sign_in(sessionmaker, bram)
    async with sessionmaker.begin() as session:
        await end_login_session(session, first)
        await end_login_session(session, "unknown-token")
    assert await user_at(sessionmaker, first) is None
    assert await user_at(sessionmaker, second) is not None
    async with sessionmaker.begin() as session:
        await end_all_login_sessions(session, anna.id)
    assert await user_at(sessionmaker, second) is None
    assert await user_at(sessionmaker, bram_token) is not None


async def test_purge_removes_only_expired_sessions(sessionmaker: Maker) -> None:
    anna = await make_user(sessionmaker)
    await sign_in(sessionmaker, anna, NOW - dt.timedelta(hours=2))
    fresh = await sign_in(sessionmaker, anna)
    async with sessionmaker.begin() as session:
        assert await purge_expired_login_sessions(session, NOW) == 1
    assert await user_at(sessionmaker, fresh) is not None
