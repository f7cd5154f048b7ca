"""The roster API beyond single shifts: recurring patterns, chat hours, coverage, audit.

Everyone signed in reads; coordinators change. Every change is written to the audit log
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.http.declared import Body, Id
from chatserver.http.jsonapi import APIError
from chatserver.http.params import path_id
from chatserver.http.shifts import shift_payload
from chatserver.schema import said
from nabij.dates import OUT_OF_RANGE, in_range
from staffing.audit import list_changes, record_change
from staffing.coverage import (
    RosterWarning,
    chat_hours,
    replace_chat_hours,
    roster_gaps,
    roster_warnings,
)
from staffing.experts import list_staff
from staffing.models import ShiftPattern, StaffUser
from staffing.patterns import create_pattern, end_pattern, list_patterns, skip_pattern_days
from staffing.presence import unattended_shifts
from staffing.shifts import ShiftInputError, list_shifts
from staffing.weekly import WeeklyWindow, WindowError

INVALID = "Some fields need a correction."
#: The longest coverage period one request may ask for.
MAX_COVERAGE_DAYS = 92


#: A local day as the roster page sends it.
Day = Annotated[str, Meta(max_length=64), said("Give a date like 2026-12-01.")]
#: A time of day (``HH:MM``); WeeklyWindow.parse says what is wrong with one.
Clock = Annotated[str, Meta(max_length=64), said("Give hours and minutes only, like 19:00.")]
Weekdays = Annotated[
    list[Annotated[str, Meta(max_length=16)]],
    Meta(max_length=7 * 4),
    said('Give a list of days like ["mon", "tue"].'),
]


class WindowBody(Body):
    """A weekly window: the days, a start and an end (local times)."""

    weekdays: Weekdays
    start: Clock = ""
    end: Clock = ""


class PatternBody(Body):
    """``POST /api/roster/patterns``: a recurring shift of one expert."""

    user_id: Annotated[Id, said("Choose an expert.")]
    weekdays: Weekdays
    starts_on: Day
    start: Clock = ""
    end: Clock = ""
    ends_on: Day | None = None


class SkipBody(Body):
    """``POST /api/roster/patterns/{id}/skip``: the days off, first to last."""

    first: Day
    last: Day


class EndBody(Body):
    """``POST /api/roster/patterns/{id}/end``: the last day with a shift."""

    last: Day


class ChatHoursBody(Body):
    """``PUT /api/roster/chat-hours``: every window the team means to be open."""

    hours: Annotated[
        list[WindowBody], Meta(max_length=7 * 24), said("Give a list of {weekdays, start, end}.")
    ]


class PeriodQuery(Body):
    """``GET /api/roster/coverage?from&to``: four weeks from today unless given."""

    first: Day | None = msgspec.field(default=None, name="from")
    last: Day | None = msgspec.field(default=None, name="to")


class AuditQuery(Body):
    """``GET /api/audit?before=ID``: the page of entries before an id (default: the newest)."""

    before: Annotated[Id | None, said("Give an entry id.")] = None


def _invalid(fields: dict[str, str]) -> APIError:
    return APIError(400, "invalid", INVALID, fields)


def _date(raw: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise _invalid({name: f"{raw[:20]!r} is not a date like 2026-12-01."}) from None
    if not in_range(day):
        raise _invalid({name: OUT_OF_RANGE})
    return day


def _optional_date(raw: str | None, name: str) -> dt.date | None:
    return None if raw is None else _date(raw, name)


def _window(body: WindowBody | PatternBody) -> WeeklyWindow:
    try:
        return WeeklyWindow.parse(body.weekdays, body.start, body.end)
    except WindowError as exc:
        raise _invalid(exc.errors) from None


def _window_payload(window: WeeklyWindow) -> dict[str, Any]:
    return {
        "weekdays": window.day_codes,
        "start": window.start.strftime("%H:%M"),
        "end": window.end.strftime("%H:%M"),
    }


def pattern_payload(pattern: ShiftPattern) -> dict[str, Any]:
    """A pattern as the API shows it (local times; dates are local days)."""
    return {
        "id": pattern.id,
        "user_id": pattern.user_id,
        "weekdays": pattern.weekdays.split(","),
        "start": pattern.start_time,
        "end": pattern.end_time,
        "starts_on": pattern.starts_on.isoformat(),
        "ends_on": pattern.ends_on.isoformat() if pattern.ends_on else None,
        "generated_until": pattern.generated_until.isoformat(),
    }


def _today(request: web.Request) -> dt.date:
    return dt.datetime.now(request.app[keys.settings_key].timezone).date()


def _pattern_id(request: web.Request) -> int:
    return path_id(request, "pattern_id", "No such pattern.")


async def list_patterns_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``GET /api/roster/patterns`` (anyone signed in)."""
    async with request.app[keys.db_key]() as session:
        patterns = await list_patterns(session)
        payload = [{**pattern_payload(p), "display_name": p.user.display_name} for p in patterns]
    return web.json_response({"ok": True, "patterns": payload})


async def create_pattern_handler(
    request: web.Request, user: StaffUser, body: PatternBody
) -> web.Response:
    """``POST /api/roster/patterns {user_id, weekdays, start, end, starts_on, ends_on?}``."""
    actor, user_id, window = user, body.user_id, _window(body)
    starts_on = _date(body.starts_on, "starts_on")
    ends_on = _optional_date(body.ends_on, "ends_on")
    tz = request.app[keys.settings_key].timezone
    try:
        async with request.app[keys.db_key].begin() as session:
            pattern = await create_pattern(
                session,
                user_id=user_id,
                window=window,
                starts_on=starts_on,
                ends_on=ends_on,
                today=_today(request),
                tz=tz,
            )
            payload = pattern_payload(pattern)
            await record_change(
                session, actor.id, "pattern.add", f"pattern:{pattern.id}", **payload
            )
    except ShiftInputError as exc:
        raise _invalid(exc.errors) from None
    return web.json_response({"ok": True, "pattern": payload}, status=201)


async def skip_days_handler(request: web.Request, user: StaffUser, body: SkipBody) -> web.Response:
    """``POST /api/roster/patterns/{id}/skip {first, last}``: days off, holidays."""
    actor, first, last = user, _date(body.first, "first"), _date(body.last, "last")
    pattern_id = _pattern_id(request)
    tz = request.app[keys.settings_key].timezone
    try:
        async with request.app[keys.db_key].begin() as session:
            removed = await skip_pattern_days(session, pattern_id, first, last, tz)
            details = {"first": first.isoformat(), "last": last.isoformat(), "removed": removed}
            await record_change(
                session, actor.id, "pattern.skip", f"pattern:{pattern_id}", **details
            )
    except ShiftInputError as exc:
        raise _not_found_or_invalid(exc) from None
    return web.json_response({"ok": True, "removed": removed})


async def end_pattern_handler(request: web.Request, user: StaffUser, body: EndBody) -> web.Response:
    """``POST /api/roster/patterns/{id}/end {last}``: no more shifts after that day."""
    actor, last = user, _date(body.last, "last")
    pattern_id = _pattern_id(request)
    tz = request.app[keys.settings_key].timezone
    try:
        async with request.app[keys.db_key].begin() as session:
            removed = await end_pattern(session, pattern_id, last, tz)
            details = {"last": last.isoformat(), "removed": removed}
            await record_change(
                session, actor.id, "pattern.end", f"pattern:{pattern_id}", **details
            )
    except ShiftInputError as exc:
        raise _not_found_or_invalid(exc) from None
    return web.json_response({"ok": True, "removed": removed})


def _not_found_or_invalid(exc: ShiftInputError) -> APIError:
    if "pattern_id" in exc.errors:
        return APIError(404, "not_found", "No such pattern.")
    return _invalid(exc.errors)


async def get_chat_hours_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``GET /api/roster/chat-hours``: the hours the team means to be open (anyone)."""
    async with request.app[keys.db_key]() as session:
        windows = await chat_hours(session)
    return web.json_response({"ok": True, "hours": [_window_payload(w) for w in windows]})


async def put_chat_hours_handler(
    request: web.Request, user: StaffUser, body: ChatHoursBody
) -> web.Response:
    """``PUT /api/roster/chat-hours {hours: [{weekdays, start, end}, ...]}``."""
    actor, windows = user, []
    for index, item in enumerate(body.hours):
        try:
            windows.append(_window(item))
        except APIError:
            raise _invalid({f"hours[{index}]": "Give weekdays, a start and an end."}) from None
    async with request.app[keys.db_key].begin() as session:
        await replace_chat_hours(session, windows)
        payload = [_window_payload(w) for w in windows]
        await record_change(session, actor.id, "chat_hours.set", "chat_hours", hours=payload)
    return web.json_response({"ok": True, "hours": payload})


async def coverage_handler(
    request: web.Request, user: StaffUser, query: PeriodQuery
) -> web.Response:
    """``GET /api/roster/coverage?from=YYYY-MM-DD&to=YYYY-MM-DD``: gaps and warnings."""
    first = _optional_date(query.first, "from") or _today(request)
    last = _optional_date(query.last, "to") or first + dt.timedelta(days=27)
    if not first <= last <= first + dt.timedelta(days=MAX_COVERAGE_DAYS):
        raise _invalid({"to": f"Give a period of at most {MAX_COVERAGE_DAYS} days, from ≤ to."})
    tz = request.app[keys.settings_key].timezone
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    async with request.app[keys.db_key]() as session:
        gaps = await roster_gaps(session, first, last, tz)
        has_hours = bool(await chat_hours(session))
        warnings = roster_warnings(await list_shifts(session, start, end))
        missed = await unattended_shifts(session, start, min(end, dt.datetime.now(tz)))
        unattended = [shift_payload(shift, tz) for shift in missed]
    return web.json_response(
        {
            "ok": True,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "chat_hours_set": has_hours,
            "gaps": [
                {
                    "starts_local": s.astimezone(tz).isoformat(),
                    "ends_local": e.astimezone(tz).isoformat(),
                }
                for s, e in gaps
            ],
            "unattended": unattended,
            "warnings": [_warning_payload(w, tz) for w in warnings],
        }
    )


def _warning_payload(warning: RosterWarning, tz: ZoneInfo) -> dict[str, Any]:
    """A warning with what a page needs to say it in its own language (``message``: English)."""
    return {
        "kind": warning.kind,
        "shift_id": warning.shift_id,
        "user_id": warning.user_id,
        "message": warning.message,
        "starts_local": warning.starts_at.astimezone(tz).isoformat(),
        "ends_local": warning.ends_at.astimezone(tz).isoformat(),
        "hours": round(warning.hours, 2),
        "limit": warning.limit,
    }


async def audit_handler(request: web.Request, user: StaffUser, query: AuditQuery) -> web.Response:
    """``GET /api/audit?before=ID``: the newest 100 changes (coordinators).

    ``staff`` maps every account id to its display name, so the page can name the people
    an entry is about (entries hold ids).
    """
    async with request.app[keys.db_key]() as session:
        changes = await list_changes(session, before_id=query.before)
        names = {str(u.id): u.display_name for u in await list_staff(session)}
    entries = [
        {
            "id": entry.id,
            "at": entry.at.isoformat(),
            "actor": username,
            "action": entry.action,
            "subject": entry.subject,
            "details": json.loads(entry.details),
        }
        for entry, username in changes
    ]
    return web.json_response({"ok": True, "entries": entries, "staff": names})
