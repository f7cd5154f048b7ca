"""The chat's own figures from content-free conversation records, and the roster beside them.

Definitions (docs/reports.md has them for readers):

- A *chat request* is a conversation record whose ``requested_at`` lies in the period
  (local days, see registration.periods). Its outcome is answered, missed (closed:
  nobody on the roster; nobody_free: rostered but none available; unknown: recorded
  before the reason was kept) or abandoned (the visitor left while waiting).
- *Wait time* is of answered chats, from request to answer; p50/p90 by nearest rank.
- *Talk time* is of answered chats, from answer to end: mean (whole seconds, half up)
  and median.
- The *hour of the week* is local time (Monday 0 = 00:00-00:59 on Monday) of the request,
  of the widget open's hour, and of each rostered hour. *Staffed hours* add up the hours
  (fractions too) each expert was on shift in that slot over the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.models import ConversationRecord
from registration.periods import Period
from registration.widget_opens import widget_opens_by_hour
from staffing.models import Shift

#: Dutch day names, Monday first (``datetime.weekday()`` order).
DAY_NAMES: Final = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ChatFigures:
    """Counts and times of a set of chat requests (seconds for every time)."""

    requests: int
    answered: int
    missed_closed: int
    missed_nobody_free: int
    missed_unknown: int
    abandoned: int
    wait_p50_s: int | None
    wait_p90_s: int | None
    talk_mean_s: int | None
    talk_median_s: int | None

    @property
    def missed(self) -> int:
        """Missed for any reason."""
        return self.missed_closed + self.missed_nobody_free + self.missed_unknown


@dataclass(frozen=True)
class HourCell:
    """One hour of the week: demand (requests, widget opens) beside the roster."""

    day: int
    hour: int
    figures: ChatFigures
    widget_opens: int
    staffed_hours: float

    @property
    def gap(self) -> str | None:
        """``unstaffed``: requests but nobody rostered; ``missed``: rostered, yet missed."""
        if self.figures.requests and not self.staffed_hours:
            return "unstaffed"
        if self.figures.missed:
            return "missed"
        return None


@dataclass(frozen=True)
class ChatReport:
    """The chat figures of one period with the week's heat map (7 rows of 24 cells)."""

    period: Period
    figures: ChatFigures
    widget_opens: int
    staffed_hours: float
    week: tuple[tuple[HourCell, ...], ...]


def nearest_rank(values: Sequence[int], pct: int) -> int | None:
    """The ``pct``-th percentile by nearest rank: the smallest value with pct% at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, (pct * len(ordered) + 99) // 100)
    return ordered[rank - 1]


def median_half_up(values: Sequence[int]) -> int | None:
    """The median in whole units; the mean of the middle two is rounded half up."""
    if not values:
        return None
    ordered, middle = sorted(values), len(values) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle] + 1) // 2


def chat_figures(records: Sequence[ConversationRecord]) -> ChatFigures:
    """The counts and times of ``records``."""
    answered = [r for r in records if r.outcome == "answered"]
    missed = [r.missed_reason for r in records if r.outcome == "missed"]
    waits = [r.wait_s for r in answered if r.wait_s is not None]
    talks = [r.talk_s for r in answered if r.talk_s is not None]
    return ChatFigures(
        requests=len(records),
        answered=len(answered),
        missed_closed=missed.count("closed"),
        missed_nobody_free=missed.count("nobody_free"),
        missed_unknown=sum(1 for reason in missed if reason not in ("closed", "nobody_free")),
        abandoned=sum(1 for r in records if r.outcome == "abandoned"),
        wait_p50_s=nearest_rank(waits, 50),
        wait_p90_s=nearest_rank(waits, 90),
        talk_mean_s=(2 * sum(talks) + len(talks)) // (2 * len(talks)) if talks else None,
        talk_median_s=median_half_up(talks),
    )


async def chat_report(session: AsyncSession, period: Period, tz: ZoneInfo) -> ChatReport:
    """Load the records, widget opens and shifts of ``period`` and compute the figures."""
    start, end = period.utc_bounds(tz)
    records = await _records(session, start, end)
    opens = await widget_opens_by_hour(session, start, end)
    staffed = staffed_hours_by_slot(await _shift_times(session, start, end), start, end, tz)
    return build_chat_report(period, records, opens, staffed, tz)


async def _records(
    session: AsyncSession, start: dt.datetime, end: dt.datetime
) -> list[ConversationRecord]:
    query = (
        select(ConversationRecord)
        .where(ConversationRecord.requested_at >= start)
        .where(ConversationRecord.requested_at < end)
        .order_by(ConversationRecord.requested_at)
    )
    return list((await session.execute(query)).scalars())


async def _shift_times(
    session: AsyncSession, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    query = (
        select(Shift.starts_at, Shift.ends_at)
        .where(Shift.starts_at < end)
        .where(Shift.ends_at > start)
    )
    return [(s, e) for s, e in await session.execute(query)]


def slot_of(moment: dt.datetime, tz: ZoneInfo) -> tuple[int, int]:
    """(weekday, hour) of ``moment`` in local time; Monday is 0."""
    local = moment.astimezone(tz)
    return local.weekday(), local.hour


def staffed_hours_by_slot(
    shifts: Sequence[tuple[dt.datetime, dt.datetime]],
    start: dt.datetime,
    end: dt.datetime,
    tz: ZoneInfo,
) -> dict[tuple[int, int], float]:
    """Expert-hours on shift per local hour of the week, for the parts inside [start, end).

    Shifts are walked in pieces that end on whole UTC hours; every zone this serves has
    whole-hour offsets, so those are whole local hours too.
    """
    totals: dict[tuple[int, int], float] = {}
    for shift_start, shift_end in shifts:
        moment, stop = max(shift_start, start), min(shift_end, end)
        while moment < stop:
            boundary = moment.replace(minute=0, second=0, microsecond=0) + HOUR
            piece_end = min(boundary, stop)
            slot = slot_of(moment, tz)
            totals[slot] = totals.get(slot, 0.0) + (piece_end - moment) / HOUR
            moment = piece_end
    return totals


def build_chat_report(
    period: Period,
    records: Sequence[ConversationRecord],
    opens: dict[dt.datetime, int],
    staffed: dict[tuple[int, int], float],
    tz: ZoneInfo,
) -> ChatReport:
    """Compute the period's figures and the 7 x 24 heat map of the week."""
    by_slot: dict[tuple[int, int], list[ConversationRecord]] = {}
    for record in records:
        by_slot.setdefault(slot_of(record.requested_at, tz), []).append(record)
    opens_by_slot: dict[tuple[int, int], int] = {}
    for hour, count in opens.items():
        slot = slot_of(hour, tz)
        opens_by_slot[slot] = opens_by_slot.get(slot, 0) + count
    week = tuple(
        tuple(_cell(day, hour, by_slot, opens_by_slot, staffed) for hour in range(24))
        for day in range(7)
    )
    total_staffed = round(sum(staffed.values()), 2)
    return ChatReport(period, chat_figures(records), sum(opens.values()), total_staffed, week)


def _cell(
    day: int,
    hour: int,
    records: dict[tuple[int, int], list[ConversationRecord]],
    opens: dict[tuple[int, int], int],
    staffed: dict[tuple[int, int], float],
) -> HourCell:
    slot = (day, hour)
    figures = chat_figures(records.get(slot, []))
    return HourCell(day, hour, figures, opens.get(slot, 0), round(staffed.get(slot, 0.0), 2))


def figures_as_dict(figures: ChatFigures) -> dict[str, Any]:
    """JSON-ready figures (docs/reports.md describes every key)."""
    return {
        "requests": figures.requests,
        "answered": figures.answered,
        "missed": figures.missed,
        "missed_closed": figures.missed_closed,
        "missed_nobody_free": figures.missed_nobody_free,
        "missed_unknown": figures.missed_unknown,
        "abandoned": figures.abandoned,
        "wait_p50_s": figures.wait_p50_s,
        "wait_p90_s": figures.wait_p90_s,
        "talk_mean_s": figures.talk_mean_s,
        "talk_median_s": figures.talk_median_s,
    }


def chat_report_as_dict(report: ChatReport) -> dict[str, Any]:
    """The whole chat report as JSON-ready data, the heat map as ``week[day][hour]``."""
    return {
        "period": report.period.as_dict(),
        **figures_as_dict(report.figures),
        "widget_opens": report.widget_opens,
        "staffed_hours": report.staffed_hours,
        "days": list(DAY_NAMES),
        "week": [[_cell_dict(cell) for cell in row] for row in report.week],
    }


def _cell_dict(cell: HourCell) -> dict[str, Any]:
    return {
        "day": cell.day,
        "hour": cell.hour,
        **figures_as_dict(cell.figures),
        "widget_opens": cell.widget_opens,
        "staffed_hours": cell.staffed_hours,
        "gap": cell.gap,
    }
