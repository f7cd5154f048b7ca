"""Report periods: whole local days, from the query string or a calendar preset.

A period is inclusive at both ends, like the evaluation's "1 January to 31 December".
Chat figures need instants: a period covers local midnight of ``start`` up to local
midnight after ``end``, converted to UTC (so a day of 23 or 25 hours counts whole).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from nabij.dates import OUT_OF_RANGE, in_range

#: The longest period a report covers; longer ones are refused, not truncated.
MAX_DAYS: Final = 3700
PRESETS: Final = ("year", "quarter", "month", "custom")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PeriodInputError(ValueError):
    """A period was refused; ``errors`` maps ``from``/``to`` to a clear message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1

    def utc_bounds(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[local midnight of start, local midnight after end) as aware UTC instants."""
        first = dt.datetime.combine(self.start, dt.time(), tzinfo=tz)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        return first.astimezone(dt.UTC), after.astimezone(dt.UTC)

    def as_dict(self) -> dict[str, str]:
        """``{"from": ..., "to": ...}`` in ISO dates, as the query string has them."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def today_in(tz: dt.tzinfo) -> dt.date:
    """Today's local date (the page's default period is the current month)."""
    return dt.datetime.now(tz).date()


def parse_period(raw_from: str | None, raw_to: str | None) -> Period:
    """Return the period of two ``YYYY-MM-DD`` texts; raise PeriodInputError with every error."""
    errors: dict[str, str] = {}
    start = _date(raw_from, "from", errors)
    end = _date(raw_to, "to", errors)
    if start is not None and end is not None:
        if start > end:
            errors["to"] = "The end date cannot be before the start date."
        elif (end - start).days >= MAX_DAYS:
            errors["to"] = f"A report covers at most {MAX_DAYS} days."
    if errors or start is None or end is None:
        raise PeriodInputError(errors)
    return Period(start, end)


def _date(raw: str | None, name: str, errors: dict[str, str]) -> dt.date | None:
    if not raw:
        errors[name] = "This field is required."
        return None
    if not _DATE_RE.fullmatch(raw):
        errors[name] = "Write the date as YYYY-MM-DD."
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = "This date does not exist."
        return None
    if not in_range(day):
        errors[name] = OUT_OF_RANGE
        return None
    return day


def preset_period(kind: str, year: int, number: int = 1) -> Period:
    """The calendar ``year``, its ``number``-th quarter or its ``number``-th month.

    Raises:
        ValueError: unknown kind, or a quarter/month number out of range.
    """
    if kind == "year":
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if kind == "quarter" and 1 <= number <= 4:
        return _months(year, 3 * number - 2, 3)
    if kind == "month" and 1 <= number <= 12:
        return _months(year, number, 1)
    raise ValueError(f"no {kind} number {number}")


def _months(year: int, first_month: int, count: int) -> Period:
    start = dt.date(year, first_month, 1)
    return Period(start, _add_months(start, count) - dt.timedelta(days=1))


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def previous_period(period: Period) -> Period:
    """The period just before, to show beside it.

    Whole calendar months (a month, a quarter, a year) step back by as many months, so
    March compares with February; any other period steps back by its number of days.
    """
    months = _whole_months(period)
    if months:
        start = _add_months(period.start, -months)
        return Period(start, period.start - dt.timedelta(days=1))
    length = dt.timedelta(days=period.days)
    return Period(period.start - length, period.end - length)


def _whole_months(period: Period) -> int:
    """How many calendar months the period spans exactly, or 0 when it is not whole months."""
    after = period.end + dt.timedelta(days=1)
    if period.start.day != 1 or after.day != 1:
        return 0
    return (after.year - period.start.year) * 12 + after.month - period.start.month


@dataclass(frozen=True)
class PeriodChoice:
    """What the report page's period picker chose: a preset or custom dates."""

    kind: str
    year: int
    number: int
    period: Period


def choose_period(
    kind: str | None,
    year: str | None,
    number: str | None,
    raw_from: str | None,
    raw_to: str | None,
    today: dt.date,
) -> PeriodChoice:
    """The picker's period; without a choice, the current month.

    Raises:
        PeriodInputError: an unknown kind, a year or number out of range, or bad dates.
    """
    kind = kind or "month"
    if kind not in PRESETS:
        raise PeriodInputError({"kind": f"Choose one of: {', '.join(PRESETS)}."})
    if kind == "custom":
        period = parse_period(raw_from, raw_to)
        return PeriodChoice(kind, period.start.year, 1, period)
    default = {"year": 1, "quarter": (today.month + 2) // 3, "month": today.month}[kind]
    chosen_year = _whole(year, "year", today.year, 2000, 2100)
    highest = {"year": 1, "quarter": 4, "month": 12}[kind]
    chosen_number = _whole(number, "number", default, 1, highest) if kind != "year" else 1
    period = preset_period(kind, chosen_year, chosen_number)
    return PeriodChoice(kind, chosen_year, chosen_number, period)


def _whole(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 4 or not low <= int(raw) <= high:
        raise PeriodInputError({name: f"Give a whole number from {low} to {high}."})
    return int(raw)
