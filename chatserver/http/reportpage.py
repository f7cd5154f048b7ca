"""``GET /reports``: the coordinators' report page, rendered on the server.

No script at all and no style attributes (the CSP has no 'unsafe-inline'): bars are SVG
rects sized by their ``width`` attribute, heat map cells get classes. The previous period
stands beside the chosen one; the page prints cleanly.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from chatserver import keys
from chatserver.console.i18n import code_labels, field_label, texts
from chatserver.console.report_texts import DAYS, MONTHS, period_error
from chatserver.http.staffpages import language, page_context, staff_page_headers
from registration.chatfigures import ChatFigures, ChatReport, HourCell, chat_report
from registration.periods import (
    Period,
    PeriodChoice,
    PeriodInputError,
    choose_period,
    previous_period,
    today_in,
)
from registration.reports import CodeCount, ContactReport, FieldTable, contact_report
from staffing.models import StaffUser

#: Width in pixels of a bar at 100%.
BAR_WIDTH = 200
HEAT_LEVELS = 4
#: Shown where there is no figure (an en dash, as Dutch tables do).
DASH = "\u2013"


def number_nl(value: float | None, lang: str = "nl") -> str:
    """A number the Dutch way (decimal comma; a point in English); a dash when none."""
    if value is None:
        return DASH
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",") if lang == "nl" else f"{value:.1f}"


def duration_nl(seconds: int | None) -> str:
    """Seconds as ``m:ss`` minutes; a dash when there are none."""
    if seconds is None:
        return DASH
    return f"{seconds // 60}:{seconds % 60:02d}"


def bar(pct: int | None) -> int:
    """The width of a bar of ``pct`` percent."""
    return 0 if pct is None else round(BAR_WIDTH * min(pct, 100) / 100)


def heat_level(value: int, highest: int) -> int:
    """0 for nothing, else 1..HEAT_LEVELS relative to the busiest hour."""
    return 0 if value <= 0 or highest <= 0 else math.ceil(HEAT_LEVELS * value / highest)


def _row(now: CodeCount, before: CodeCount, label: str, lang: str) -> dict[str, Any]:
    return {
        "label": label,
        "n": now.n,
        "pct": number_nl(now.pct, lang),
        "bar": bar(now.pct),
        "prev_n": before.n,
        "prev_pct": number_nl(before.pct, lang),
        "prev_bar": bar(before.pct),
    }


def _table(now: FieldTable, before: FieldTable, lang: str) -> dict[str, Any]:
    labels = code_labels(lang, now.field)
    return {
        "field": now.field,
        "label": field_label(lang, now.field),
        "multi": now.multi,
        "base": now.base,
        "prev_base": before.base,
        "missing": now.missing,
        "prev_missing": before.missing,
        "rows": [
            _row(a, b, labels[a.code], lang) for a, b in zip(now.rows, before.rows, strict=True)
        ],
    }


def contact_context(now: ContactReport, before: ContactReport, lang: str = "nl") -> dict[str, Any]:
    """The contact tables of both periods, row beside row, labelled in ``lang``."""
    t = texts(lang)
    buckets = zip(now.duration.buckets, before.duration.buckets, strict=True)
    return {
        "contacts": now.contacts,
        "prev_contacts": before.contacts,
        "mean": number_nl(now.duration.mean, lang),
        "prev_mean": number_nl(before.duration.mean, lang),
        "median": number_nl(now.duration.median, lang),
        "prev_median": number_nl(before.duration.median, lang),
        "buckets": [_row(a, b, t[f"report.bucket.{a.code}"], lang) for a, b in buckets],
        "tables": [_table(a, b, lang) for a, b in zip(now.fields, before.fields, strict=True)],
    }


CHAT_ROWS: tuple[str, ...] = (
    "requests",
    "answered",
    "missed_closed",
    "missed_nobody_free",
    "missed_unknown",
    "abandoned",
)
TIME_ROWS: tuple[str, ...] = ("wait_p50_s", "wait_p90_s", "talk_mean_s", "talk_median_s")


def chat_context(now: ChatReport, before: ChatReport, lang: str = "nl") -> dict[str, Any]:
    """The chat figures of both periods and the heat map of the chosen one."""
    t = texts(lang)
    counts = [
        {
            "label": t[f"report.row.{key}"],
            "n": getattr(now.figures, key),
            "prev_n": getattr(before.figures, key),
        }
        for key in CHAT_ROWS
    ]
    opens = {"n": now.widget_opens, "prev_n": before.widget_opens}
    counts.append({"label": t["report.row.widget_opens"], **opens})
    times = [
        {
            "label": t[f"report.row.{key}"],
            "now": duration_nl(getattr(now.figures, key)),
            "prev": duration_nl(getattr(before.figures, key)),
        }
        for key in TIME_ROWS
    ]
    return {"counts": counts, "times": times, "heatmap": heatmap(now, lang)}


def heatmap(report: ChatReport, lang: str = "nl") -> list[dict[str, Any]]:
    """Seven rows (Monday first) of 24 cells with their classes, text and tooltip."""
    highest = max(cell.figures.requests for row in report.week for cell in row)
    return [
        {"day": DAYS[lang][index], "cells": [_cell(cell, highest, lang) for cell in row]}
        for index, row in enumerate(report.week)
    ]


def _cell(cell: HourCell, highest: int, lang: str) -> dict[str, Any]:
    figures: ChatFigures = cell.figures
    classes = [f"heat-{heat_level(figures.requests, highest)}"]
    classes += ["staffed"] if cell.staffed_hours else []
    classes += [f"gap-{cell.gap}"] if cell.gap else []
    title = texts(lang)["report.cell"].format(
        day=DAYS[lang][cell.day],
        hour=f"{cell.hour:02d}",
        requests=figures.requests,
        answered=figures.answered,
        missed=figures.missed,
        opens=cell.widget_opens,
        staffed=number_nl(cell.staffed_hours, lang),
    )
    return {"classes": " ".join(classes), "text": figures.requests or "", "title": title}


def period_label(period: Period, lang: str = "nl") -> str:
    """The period in words, e.g. ``1 maart 2026 tot en met 31 maart 2026``."""

    def day(value: dt.date) -> str:
        return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"

    return texts(lang)["report.through"].format(first=day(period.start), last=day(period.end))


def _choice(request: web.Request) -> tuple[PeriodChoice, dict[str, str]]:
    query, today = request.query, today_in(request.app[keys.settings_key].timezone)
    try:
        get = query.get
        return choose_period(
            get("kind"), get("year"), get("number"), get("from"), get("to"), today
        ), {}
    except PeriodInputError as exc:
        return choose_period(None, None, None, None, None, today), exc.errors


def refuse_report_page(request: web.Request, status: int, _level: str) -> web.Response:
    """The report page's refusal (its route's ``refusal``): 401/403 as plain text."""
    return web.Response(status=status, text=_REFUSALS[language(request)][status])


async def report_page(request: web.Request, user: StaffUser) -> web.Response:
    """The page (coordinators); the signed-out and experts get ``refuse_report_page``."""
    lang = language(request)
    choice, raw_errors = _choice(request)
    t = texts(lang)
    errors = {t[f"report.field.{k}"]: period_error(lang, v) for k, v in raw_errors.items()}
    figures = await _figures(request, choice.period, lang)
    context = page_context(request, user, **figures, choice=choice, errors=errors)
    status = 400 if errors else 200
    response = aiohttp_jinja2.render_template(
        "reports/report.html", request, context, status=status
    )
    staff_page_headers(response)
    return response


async def _figures(request: web.Request, period: Period, lang: str) -> dict[str, Any]:
    """Every table of ``period`` beside the previous period's, ready for the template."""
    previous = previous_period(period)
    tz = request.app[keys.settings_key].timezone
    async with request.app[keys.db_key]() as session:
        contacts = contact_context(
            await contact_report(session, period), await contact_report(session, previous), lang
        )
        chat = chat_context(
            await chat_report(session, period, tz), await chat_report(session, previous, tz), lang
        )
    return {
        "period": period.as_dict(),
        "period_label": period_label(period, lang),
        "previous_label": period_label(previous, lang),
        "hours": range(24),
        "contacts": contacts,
        "chat": chat,
    }


_REFUSALS = {
    "nl": {401: "Meld je eerst aan.", 403: "Rapportages zijn voor coördinatoren."},
    "en": {401: "Sign in first.", 403: "Reports are for coordinators."},
}
