"""Widget opens, counted without identifying anyone: one bare counter per UTC hour.

Nothing about the visitor is stored: no IP address, no cookie, no user agent, no page.
The hour bucket is all, so the counts show demand but not who or when exactly. The HTTP
route counts each address at most once an hour (chatserver/http/events.py keeps a keyed
hash of it in the live store for that hour only), so a figure is opens by distinct
visitors per hour rather than page loads, and a script cannot inflate it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.counters import increment
from registration.models import WidgetOpenCount


def hour_start(at: dt.datetime) -> dt.datetime:
    """The start of the UTC hour ``at`` falls in.

    Raises:
        ValueError: ``at`` is naive.
    """
    if at.tzinfo is None:
        raise ValueError("give an aware datetime")
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


async def count_widget_open(session: AsyncSession, at: dt.datetime) -> None:
    """Add one to the counter of ``at``'s hour, atomically (an upsert, safe under load)."""
    await increment(session, WidgetOpenCount.count, hour_start=hour_start(at))


async def widget_opens_by_hour(
    session: AsyncSession, start: dt.datetime, end: dt.datetime
) -> dict[dt.datetime, int]:
    """The counters of the hours in [start, end), by the hour's UTC start."""
    query = (
        select(WidgetOpenCount.hour_start, WidgetOpenCount.count)
        .where(WidgetOpenCount.hour_start >= start)
        .where(WidgetOpenCount.hour_start < end)
    )
    return {hour: count for hour, count in await session.execute(query)}
