"""The evaluation's tables of low-threshold contacts, computed from done registrations.

Definitions (docs/reports.md explains them for readers of the report):

- A *contact* is a registration with status ``done`` whose ``contact_date`` lies in the
  period. Pending registrations are not yet registered contacts and are left out.
- Single-choice fields: a contact without an answer counts as *missing*, apart from the
  codes, and the percentages are of the contacts that did answer.
- Multi-select fields: the percentages are of all contacts (49 of 54 with a listening ear
  is 91%), so they do not add up to 100; contacts with no code chosen count as *none*.
- Percentages are whole numbers rounded half up (0.5 goes up: 1 of 8 is 12.5% → 13%).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.codes import CODES, FIELD_LABELS, LABELS
from registration.models import Registration
from registration.periods import Period
from staffing.models import StaffUser

#: The coded fields in the order of the form; True for the multi-select ones.
CODED_FIELDS: Final[dict[str, bool]] = {
    "contact_type": False,
    "first_or_followup": False,
    "contact_seeker": False,
    "referral": False,
    "support": True,
    "advised_help": True,
}
#: Duration buckets: code, Dutch label, lowest minute, first minute of the next bucket.
DURATION_BUCKETS: Final[tuple[tuple[str, str, int, int | None], ...]] = (
    ("under_15", "Minder dan 15 minuten", 0, 15),
    ("15_29", "15 tot 30 minuten", 15, 30),
    ("30_59", "30 tot 60 minuten", 30, 60),
    ("60_plus", "60 minuten of langer", 60, None),
)


@dataclass(frozen=True)
class CodeCount:
    """One row of a table: a code, its Dutch label, how many, and the percentage."""

    code: str
    label: str
    n: int
    pct: int | None


@dataclass(frozen=True)
class FieldTable:
    """The counts of one coded field.

    ``base`` is the denominator of the percentages. ``missing`` counts contacts without an
    answer (single choice) or with no code chosen (multi-select, shown as "none").
    """

    field: str
    label: str
    multi: bool
    base: int
    missing: int
    rows: tuple[CodeCount, ...]


@dataclass(frozen=True)
class DurationTable:
    """Duration in minutes: mean (one decimal, half up), median, and the buckets."""

    n: int
    missing: int
    mean: float | None
    median: float | None
    buckets: tuple[CodeCount, ...]


@dataclass(frozen=True)
class ContactReport:
    """Every table of one period."""

    period: Period
    contacts: int
    duration: DurationTable
    fields: tuple[FieldTable, ...]

    def field(self, name: str) -> FieldTable:
        """The table of the coded field ``name``."""
        return next(table for table in self.fields if table.field == name)


def percent(n: int, base: int) -> int | None:
    """``n`` of ``base`` as a whole percentage rounded half up; None when the base is 0.

    Integer arithmetic, so 1 of 8 (12.5) gives 13 and no float ever rounds to even.
    """
    if base <= 0:
        return None
    return (200 * n + base) // (2 * base)


async def done_registrations(session: AsyncSession, period: Period) -> list[Registration]:
    """The registered contacts of ``period``: status done, contact date in it, by id."""
    query = (
        select(Registration)
        .where(Registration.status == "done")
        .where(Registration.contact_date >= period.start)
        .where(Registration.contact_date <= period.end)
        .order_by(Registration.id)
    )
    return list((await session.execute(query)).scalars())


async def contact_report(session: AsyncSession, period: Period) -> ContactReport:
    """Load the contacts of ``period`` and compute its tables."""
    return build_contact_report(period, await done_registrations(session, period))


def build_contact_report(period: Period, rows: Sequence[Registration]) -> ContactReport:
    """Compute every table from the registrations (already filtered to the period)."""
    return ContactReport(
        period=period,
        contacts=len(rows),
        duration=duration_table([row.duration_minutes for row in rows]),
        fields=tuple(field_table(name, rows) for name in CODED_FIELDS),
    )


def duration_table(minutes: Sequence[int | None]) -> DurationTable:
    """Mean, median and buckets of the durations given; None counts as missing."""
    known = [value for value in minutes if value is not None]
    buckets = tuple(
        CodeCount(code, label, n, percent(n, len(known)))
        for code, label, low, high in DURATION_BUCKETS
        for n in [sum(1 for v in known if v >= low and (high is None or v < high))]
    )
    return DurationTable(
        n=len(known),
        missing=len(minutes) - len(known),
        mean=_mean(known),
        median=float(statistics.median(known)) if known else None,
        buckets=buckets,
    )


def _mean(values: Sequence[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def field_table(name: str, rows: Sequence[Registration]) -> FieldTable:
    """The counts and percentages of one coded field over ``rows``."""
    if CODED_FIELDS[name]:
        chosen = [set(getattr(row, name) or ()) for row in rows]
        base, missing = len(rows), sum(1 for codes in chosen if not codes)
    else:
        answers = [getattr(row, name) for row in rows]
        chosen = [{answer} if answer is not None else set() for answer in answers]
        missing = sum(1 for answer in answers if answer is None)
        base = len(rows) - missing
    counts = [sum(1 for codes in chosen if code in codes) for code in CODES[name]]
    return FieldTable(
        field=name,
        label=FIELD_LABELS[name],
        multi=CODED_FIELDS[name],
        base=base,
        missing=missing,
        rows=tuple(
            CodeCount(code, LABELS[name][code], n, percent(n, base))
            for code, n in zip(CODES[name], counts, strict=True)
        ),
    )


@dataclass(frozen=True)
class ExpertReport:
    """The tables of one expert's contacts (coordinators only)."""

    expert_id: int
    display_name: str
    report: ContactReport


async def contact_report_by_expert(session: AsyncSession, period: Period) -> list[ExpertReport]:
    """One report per expert with contacts in ``period``, by display name then id."""
    groups = await group_by_expert(session, await done_registrations(session, period))
    return [
        ExpertReport(expert_id, name, build_contact_report(period, rows))
        for expert_id, name, rows in groups
    ]


async def group_by_expert(
    session: AsyncSession, rows: Sequence[Registration]
) -> list[tuple[int, str, list[Registration]]]:
    """``rows`` per expert as (id, display name, rows), by display name then id."""
    groups: dict[int, list[Registration]] = {}
    for row in rows:
        groups.setdefault(row.expert_id, []).append(row)
    names = await _display_names(session, sorted(groups))
    result = [(i, names.get(i, f"#{i}"), items) for i, items in groups.items()]
    return sorted(result, key=lambda item: (item[1].lower(), item[0]))


async def _display_names(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
    return {row.id: row.display_name for row in await session.execute(query)}


def report_as_dict(report: ContactReport) -> dict[str, Any]:
    """The report as JSON-ready data (docs/reports.md describes every key)."""
    return {
        "period": report.period.as_dict(),
        "contacts": report.contacts,
        "duration": {
            "n": report.duration.n,
            "missing": report.duration.missing,
            "mean": report.duration.mean,
            "median": report.duration.median,
            "buckets": [_row_dict(row) for row in report.duration.buckets],
        },
        "fields": {table.field: _table_dict(table) for table in report.fields},
    }


def _table_dict(table: FieldTable) -> dict[str, Any]:
    return {
        "label": table.label,
        "multi": table.multi,
        "base": table.base,
        "missing": table.missing,
        "codes": [_row_dict(row) for row in table.rows],
    }


def _row_dict(row: CodeCount) -> dict[str, Any]:
    return {"code": row.code, "label": row.label, "n": row.n, "pct": row.pct}


def expert_report_as_dict(item: ExpertReport) -> dict[str, Any]:
    """One expert's report as JSON-ready data."""
    return {
        "expert_id": item.expert_id,
        "display_name": item.display_name,
        **report_as_dict(item.report),
    }
