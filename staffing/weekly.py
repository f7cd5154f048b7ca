"""Weekly local-time windows ("every Mon-Fri 19:00-22:00") and their real instants.

Recurring shifts and the team's intended chat hours are both such windows. They are kept
in local wall-clock time and turned into UTC instants day by day, so that 19:00 stays
19:00 on both sides of a daylight-saving change, and a window whose end is not after its
start (22:00-01:00) ends on the next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

#: Monday first, as ``date.weekday()`` counts.
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WindowError(ValueError):
    """A window was refused; ``errors`` maps each bad field to a clear message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class WeeklyWindow:
    """A local time window on some days of the week."""

    weekdays: frozenset[int]
    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, weekdays: Iterable[str], start: str, end: str) -> WeeklyWindow:
        """Build from day codes (``mon`` … ``sun``) and ``HH:MM`` times; raise WindowError."""
        errors: dict[str, str] = {}
        days = _parse_weekdays(weekdays, errors)
        times = {
            name: _parse_time(text, name, errors) for name, text in (("start", start), ("end", end))
        }
        if not errors and times["start"] == times["end"]:
            errors["end"] = "The end must differ from the start."
        if errors:
            raise WindowError(errors)
        return cls(frozenset(days), times["start"], times["end"])  # type: ignore[arg-type]

    @property
    def day_codes(self) -> list[str]:
        """The weekdays as codes, Monday first."""
        return [WEEKDAY_CODES[day] for day in sorted(self.weekdays)]

    def occurrence(self, day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The UTC instants of the window that starts on local ``day``.

        A local time skipped or repeated by a daylight-saving change resolves with
        ``fold=0`` (the offset before the change), as ``shifts.parse_local_datetime`` does.
        """
        end_day = day if self.end > self.start else day + dt.timedelta(days=1)
        starts = dt.datetime.combine(day, self.start, tzinfo=tz).astimezone(dt.UTC)
        ends = dt.datetime.combine(end_day, self.end, tzinfo=tz).astimezone(dt.UTC)
        return starts, ends

    def occurrences(
        self, first: dt.date, last: dt.date, tz: ZoneInfo
    ) -> Iterator[tuple[dt.date, dt.datetime, dt.datetime]]:
        """``(local day, start, end)`` of every window starting on a day in [first, last]."""
        day = first
        while day <= last:
            if day.weekday() in self.weekdays:
                yield (day, *self.occurrence(day, tz))
            day += dt.timedelta(days=1)


def _parse_weekdays(codes: Iterable[str], errors: dict[str, str]) -> set[int]:
    if isinstance(codes, str):
        codes = codes.split(",")
    days: set[int] = set()
    for code in codes:
        cleaned = str(code).strip().lower()
        if cleaned not in WEEKDAY_CODES:
            errors["weekdays"] = f"Unknown day {cleaned!r}; use {', '.join(WEEKDAY_CODES)}."
            return days
        days.add(WEEKDAY_CODES.index(cleaned))
    if not days:
        errors["weekdays"] = "Choose at least one day of the week."
    return days


def _parse_time(text: str, name: str, errors: dict[str, str]) -> dt.time | None:
    try:
        parsed = dt.time.fromisoformat(str(text).strip())
    except ValueError:
        errors[name] = f"{text!r} is not a time; write it like 19:00."
        return None
    if parsed.second or parsed.microsecond or parsed.tzinfo is not None:
        errors[name] = "Give hours and minutes only, like 19:00."
        return None
    return parsed
