"""Private iCalendar feeds: an expert subscribes to their own shifts from a phone.

The feed URL carries a random token (the only credential a calendar app can send); the
database keeps its SHA-256. Issuing a new token revokes the old one. The feed holds the
expert's shifts and nothing else: no colleague, no chat, no visitor.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from staffing.models import CalendarToken, Shift, StaffUser
from staffing.sessions import MAX_TOKEN_LENGTH, hash_token

#: How far back and ahead the feed reaches.
FEED_PAST = dt.timedelta(days=31)
FEED_FUTURE = dt.timedelta(days=184)
EVENT_SUMMARY = "Chatdienst Nabij"


async def issue_calendar_token(session: AsyncSession, user_id: int) -> str:
    """A new feed token for ``user_id`` (shown once); the previous one stops working."""
    await revoke_calendar_token(session, user_id)
    token = secrets.token_urlsafe(32)
    session.add(CalendarToken(user_id=user_id, token_hash=hash_token(token)))
    await session.flush()
    return token


async def revoke_calendar_token(session: AsyncSession, user_id: int) -> None:
    """Stop the feed of ``user_id`` (if any)."""
    await session.execute(delete(CalendarToken).where(CalendarToken.user_id == user_id))


async def feed_shifts(session: AsyncSession, token: str, now: dt.datetime) -> list[Shift] | None:
    """The shifts of the active expert owning ``token`` around ``now``; None: no such feed."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = (
        select(StaffUser.id)
        .join(CalendarToken, CalendarToken.user_id == StaffUser.id)
        .where(CalendarToken.token_hash == hash_token(token))
        .where(StaffUser.active.is_(True))
    )
    user_id = (await session.execute(query)).scalar_one_or_none()
    if user_id is None:
        return None
    shifts = (
        select(Shift)
        .where(Shift.user_id == user_id)
        .where(Shift.ends_at > now - FEED_PAST)
        .where(Shift.starts_at < now + FEED_FUTURE)
        .order_by(Shift.starts_at)
    )
    return list((await session.execute(shifts)).scalars())


def render_ics(shifts: Sequence[Shift], host: str, now: dt.datetime) -> str:
    """An iCalendar (RFC 5545) document with one event per shift, in UTC, CRLF lines."""
    stamp = _ics_time(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Nabij//Roster//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{EVENT_SUMMARY}",
    ]
    for shift in shifts:
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(shift.starts_at)}",
            f"DTEND:{_ics_time(shift.ends_at)}",
            f"SUMMARY:{EVENT_SUMMARY}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _ics_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
