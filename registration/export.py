"""CSV exports of the registrations: one row per contact, a codebook, and breakdowns.

The row-level export holds only the coded answers: the date, the duration, one column per
single-choice field and one 0/1 column per code of a multi-select field. No registration
id, expert, conversation, status, source or free text leaves this way.

The breakdowns (per expert or per ISO week) are meant to leave the team, so a count from 1
to below the threshold (``NABIJ_SMALL_CELL_THRESHOLD``, default 5) shows as ``<5``: no
contact can be singled out. 0 stays 0: it singles out no one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from registration.codes import CODES, FIELD_LABELS, LABELS
from registration.models import Registration
from registration.periods import Period
from registration.reports import CODED_FIELDS, done_registrations, group_by_expert

BREAKDOWNS: Final = ("expert", "week")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_columns() -> list[str]:
    """The columns of the row-level export, in order."""
    columns = ["contact_date", "duration_minutes"]
    for name, multi in CODED_FIELDS.items():
        columns += [f"{name}_{code}" for code in CODES[name]] if multi else [name]
    return columns


def export_row(row: Registration) -> list[str]:
    """One contact as CSV cells; a missing single-choice answer is an empty cell."""
    cells = [
        row.contact_date.isoformat() if row.contact_date else "",
        "" if row.duration_minutes is None else str(row.duration_minutes),
    ]
    for name, multi in CODED_FIELDS.items():
        value = getattr(row, name)
        if multi:
            cells += ["1" if code in (value or ()) else "0" for code in CODES[name]]
        else:
            cells.append(value or "")
    return cells


async def export_rows(session: AsyncSession, period: Period) -> list[list[str]]:
    """The header and one row per registered contact of ``period``, by date."""
    rows = await done_registrations(session, period)
    rows.sort(key=lambda row: (row.contact_date, row.id))
    return [export_columns(), *(export_row(row) for row in rows)]


def codebook_rows() -> list[list[str]]:
    """Every export column with its Dutch label, and every value it can hold."""
    rows = [
        ["column", "value", "label"],
        ["contact_date", "", f"{FIELD_LABELS['contact_date']} (JJJJ-MM-DD)"],
        ["duration_minutes", "", f"{FIELD_LABELS['duration_minutes']}, geheel getal"],
    ]
    for name, multi in CODED_FIELDS.items():
        if multi:
            rows += _flag_rows(name)
        else:
            rows.append([name, "", f"{FIELD_LABELS[name]} (leeg: niet ingevuld)"])
            rows += [[name, code, LABELS[name][code]] for code in CODES[name]]
    return rows


def _flag_rows(name: str) -> Iterator[list[str]]:
    for code in CODES[name]:
        column = f"{name}_{code}"
        yield [column, "", f"{FIELD_LABELS[name]}: {LABELS[name][code]}"]
        yield [column, "0", "nee"]
        yield [column, "1", "ja"]


def breakdown_columns() -> list[str]:
    """The columns of a breakdown: the group, its contacts, then counts per code."""
    columns = ["group", "contacts"]
    for name in CODED_FIELDS:
        columns += [f"{name}_{code}" for code in CODES[name]]
        columns.append(f"{name}_{'none' if CODED_FIELDS[name] else 'missing'}")
    return columns


def breakdown_counts(rows: Sequence[Registration]) -> list[int]:
    """The counts of ``rows`` in the order of breakdown_columns() (after the group)."""
    counts = [len(rows)]
    for name, multi in CODED_FIELDS.items():
        chosen = [set(getattr(r, name) or ()) if multi else {getattr(r, name)} for r in rows]
        counts += [sum(1 for codes in chosen if code in codes) for code in CODES[name]]
        counts.append(sum(1 for codes in chosen if not codes or codes == {None}))
    return counts


def small_cell(n: int, threshold: int) -> str:
    """``n`` as a cell, or ``<threshold`` when it lies from 1 to below the threshold."""
    return f"<{threshold}" if 0 < n < threshold else str(n)


async def breakdown_rows(
    session: AsyncSession, period: Period, by: str, threshold: int
) -> list[list[str]]:
    """The header and one suppressed row per expert or ISO week (``YYYY-Www``).

    Raises:
        ValueError: ``by`` is not one of BREAKDOWNS.
    """
    rows = await done_registrations(session, period)
    if by == "expert":
        groups = [(name, items) for _, name, items in await group_by_expert(session, rows)]
    elif by == "week":
        groups = _by_week(rows)
    else:
        raise ValueError(f"by must be one of {', '.join(BREAKDOWNS)}")
    body = [
        [safe_cell(label), *(small_cell(n, threshold) for n in breakdown_counts(items))]
        for label, items in groups
    ]
    return [breakdown_columns(), *body]


def _by_week(rows: Iterable[Registration]) -> list[tuple[str, list[Registration]]]:
    weeks: dict[str, list[Registration]] = {}
    for row in rows:
        if row.contact_date is not None:
            year, week, _ = row.contact_date.isocalendar()
            weeks.setdefault(f"{year}-W{week:02d}", []).append(row)
    return sorted(weeks.items())


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a leading ``'`` defuses it)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[Sequence[str]]) -> str:
    """The rows as CSV text (RFC 4180: comma, double quotes, CRLF)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()
