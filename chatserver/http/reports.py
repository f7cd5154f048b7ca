"""The report API: contact tables, chat figures and CSV exports (coordinators and admins).

Handlers stay thin: the route declares who may call it and the query (chatserver/http/
endpoints.py); the handler reads the period and calls one function of ``registration``.
docs/reports.md defines every figure; docs/protocol.md §8 lists the routes.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.http.declared import Body
from chatserver.http.jsonapi import APIError
from chatserver.schema import said
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
from registration.voicecsv import voice_codebook_rows, voice_rows
from staffing.models import StaffUser

logger = logging.getLogger(__name__)

#: A ``YYYY-MM-DD`` day; registration/periods.py says what is wrong with one.
Day = Annotated[str, Meta(max_length=64)]
INVALID_PARAMETERS = "Some parameters need a correction."


class PeriodQuery(Body):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``: the days of a report, both included."""

    refusal: ClassVar[str] = INVALID_PARAMETERS
    unknown_field: ClassVar[str] = "Unknown parameter."
    first: Day | None = msgspec.field(default=None, name="from")
    last: Day | None = msgspec.field(default=None, name="to")


class ContactsQuery(PeriodQuery):
    """``GET /api/reports/contacts``: optionally ``by=expert`` too."""

    by: Annotated[Literal["expert"] | None, said("Use expert.")] = None


class BreakdownQuery(Body):
    """``GET /api/reports/breakdown.csv``: a period, per expert or per ISO week."""

    refusal: ClassVar[str] = INVALID_PARAMETERS
    unknown_field: ClassVar[str] = "Unknown parameter."
    by: Annotated[Literal["expert", "week"], said(f"Use {' or '.join(BREAKDOWNS)}.")]
    first: Day | None = msgspec.field(default=None, name="from")
    last: Day | None = msgspec.field(default=None, name="to")


def period_of(query: PeriodQuery | BreakdownQuery) -> Period:
    """The period ``query`` names, or 400 with every bad day."""
    try:
        return parse_period(query.first, query.last)
    except PeriodInputError as exc:
        raise APIError(400, "invalid", INVALID_PARAMETERS, exc.errors) from None


async def contacts_handler(
    request: web.Request, user: StaffUser, query: ContactsQuery
) -> web.Response:
    """``GET /api/reports/contacts?from&to[&by=expert]``: the evaluation's tables."""
    period, by = period_of(query), query.by
    async with request.app[keys.db_key]() as session:
        payload: dict[str, Any] = report_as_dict(await contact_report(session, period))
        if by == "expert":
            experts = await contact_report_by_expert(session, period)
            payload["by_expert"] = [expert_report_as_dict(item) for item in experts]
    return web.json_response({"ok": True, **payload})


async def chat_handler(request: web.Request, user: StaffUser, query: PeriodQuery) -> web.Response:
    """``GET /api/reports/chat?from&to``: the chat's own figures and the week's heat map."""
    period = period_of(query)
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


async def export_handler(request: web.Request, user: StaffUser, query: PeriodQuery) -> web.Response:
    """``GET /api/reports/export.csv?from&to``: one row per contact, codes only."""
    period = period_of(query)
    async with request.app[keys.db_key]() as session:
        rows = await export_rows(session, period)
    logger.info("contacts exported rows=%d by=%d", len(rows) - 1, user.id)
    return csv_response(rows, f"nabij-contacten-{_stem(period)}.csv")


async def breakdown_handler(
    request: web.Request, user: StaffUser, query: BreakdownQuery
) -> web.Response:
    """``GET /api/reports/breakdown.csv?from&to&by=expert|week``: small counts as ``<5``."""
    period, by = period_of(query), query.by
    threshold = request.app[keys.settings_key].small_cell_threshold
    async with request.app[keys.db_key]() as session:
        rows = await breakdown_rows(session, period, by, threshold)
    logger.info("breakdown exported by_group=%s by=%d", by, user.id)
    return csv_response(rows, f"nabij-per-{by}-{_stem(period)}.csv")


async def codebook_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``GET /api/reports/codebook.csv``: every export column and code with its label."""
    return csv_response([*codebook_rows(), *voice_codebook_rows()], "nabij-codeboek.csv")


async def voice_handler(request: web.Request, user: StaffUser, query: PeriodQuery) -> web.Response:
    """``GET /api/reports/voice.csv?from&to``: the visitor's voice, one figure a row."""
    period = period_of(query)
    settings = request.app[keys.settings_key]
    threshold = settings.small_cell_threshold
    async with request.app[keys.db_key]() as session:
        report = await chat_report(session, period, settings.timezone)
        answered = report.figures.answered
        voice = await voice_report(session, period, settings.timezone, answered, threshold)
    logger.info("visitor voice exported by=%d", user.id)
    return csv_response(voice_rows(voice, threshold), f"nabij-stem-{_stem(period)}.csv")
