"""The report API: contact tables, chat figures and CSV exports (coordinators and admins).

Handlers stay thin: authorize, parse the period, call one function of ``registration``.
docs/reports.md defines every figure; docs/protocol.md §8 lists the routes.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import APIError, require_staff
from registration.chatfigures import chat_report, chat_report_as_dict
from registration.export import (
    BREAKDOWNS,
    breakdown_rows,
    codebook_rows,
    export_rows,
    to_csv,
)
from registration.feedback import voice_report
from registration.periods import Period, PeriodInputError, parse_period
from registration.reports import (
    contact_report,
    contact_report_by_expert,
    expert_report_as_dict,
    report_as_dict,
)

logger = logging.getLogger(__name__)

#: Who may read reports.
REPORT_ROLE = "coordinator"


def period_from_query(request: web.Request, allowed: Collection[str] = ()) -> Period:
    """The ``from``/``to`` period of the query string, or 400 with every bad field."""
    unknown = set(request.query) - {"from", "to", *allowed}
    errors = {name: "Unknown parameter." for name in sorted(unknown)}
    try:
        period = parse_period(request.query.get("from"), request.query.get("to"))
    except PeriodInputError as exc:
        errors.update(exc.errors)
    if errors:
        raise APIError(400, "invalid", "Some parameters need a correction.", errors)
    return period


def _by(request: web.Request, allowed: Collection[str], required: bool) -> str | None:
    by = request.query.get("by")
    if (by is None and required) or (by is not None and by not in allowed):
        choices = " or ".join(allowed)
        raise APIError(400, "invalid", f"by must be {choices}.", {"by": f"Use {choices}."})
    return by


async def contacts_handler(request: web.Request) -> web.Response:
    """``GET /api/reports/contacts?from&to[&by=expert]``: the evaluation's tables."""
    await require_staff(request, REPORT_ROLE)
    period = period_from_query(request, allowed={"by"})
    by = _by(request, ("expert",), required=False)
    async with request.app[keys.db_key]() as session:
        payload: dict[str, Any] = report_as_dict(await contact_report(session, period))
        if by == "expert":
            experts = await contact_report_by_expert(session, period)
            payload["by_expert"] = [expert_report_as_dict(item) for item in experts]
    return web.json_response({"ok": True, **payload})


async def chat_handler(request: web.Request) -> web.Response:
    """``GET /api/reports/chat?from&to``: the chat's own figures and the week's heat map."""
    await require_staff(request, REPORT_ROLE)
    period = period_from_query(request)
    tz = request.app[keys.settings_key].timezone
    threshold = request.app[keys.settings_key].small_cell_threshold
    async with request.app[keys.db_key]() as session:
        report = await chat_report(session, period, tz)
        voice = await voice_report(session, period, tz, report.figures.answered, threshold)
    return web.json_response({"ok": True, **chat_report_as_dict(report), **voice})


def csv_response(rows: list[list[str]], filename: str) -> web.Response:
    """A CSV download that is never cached."""
    return web.Response(
        text=to_csv(rows),
        content_type="text/csv",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _stem(period: Period) -> str:
    return f"{period.start.isoformat()}_{period.end.isoformat()}"


async def export_handler(request: web.Request) -> web.Response:
    """``GET /api/reports/export.csv?from&to``: one row per contact, codes only."""
    user = await require_staff(request, REPORT_ROLE)
    period = period_from_query(request)
    async with request.app[keys.db_key]() as session:
        rows = await export_rows(session, period)
    logger.info("contacts exported rows=%d by=%d", len(rows) - 1, user.id)
    return csv_response(rows, f"nabij-contacten-{_stem(period)}.csv")


async def breakdown_handler(request: web.Request) -> web.Response:
    """``GET /api/reports/breakdown.csv?from&to&by=expert|week``: small counts as ``<5``."""
    user = await require_staff(request, REPORT_ROLE)
    period = period_from_query(request, allowed={"by"})
    by = _by(request, BREAKDOWNS, required=True)
    assert by is not None
    threshold = request.app[keys.settings_key].small_cell_threshold
    async with request.app[keys.db_key]() as session:
        rows = await breakdown_rows(session, period, by, threshold)
    logger.info("breakdown exported by_group=%s by=%d", by, user.id)
    return csv_response(rows, f"nabij-per-{by}-{_stem(period)}.csv")


async def codebook_handler(request: web.Request) -> web.Response:
    """``GET /api/reports/codebook.csv``: every export column and code with its label."""
    await require_staff(request, REPORT_ROLE)
    return csv_response(codebook_rows(), "nabij-codeboek.csv")
