"""The calendar range Nabij accepts from outside: dates far from now are mistakes or attacks.

``date.fromisoformat`` reads ``0001-01-01`` and ``9999-12-31``, and the first step from
there (a day added, a week's window, a time zone applied) is an ``OverflowError``: ``GET
/api/shifts?from=9999-12-31`` was a 500. Every date and date-time read from a request is
checked against this range before anything computes with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

EARLIEST_DAY: Final = dt.date(2000, 1, 1)
LATEST_DAY: Final = dt.date(2099, 12, 31)
OUT_OF_RANGE: Final = (
    f"Give a date between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
)


def in_range(day: dt.date) -> bool:
    """Whether ``day`` (a date, or a datetime's date) lies in EARLIEST_DAY..LATEST_DAY."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return EARLIEST_DAY <= day <= LATEST_DAY
