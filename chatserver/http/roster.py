"""The roster API beyond single shifts: recurring patterns, chat hours, coverage, audit.

Everyone signed in reads; coordinators change. Every change is written to the audit log
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import APIError, read_json_object, require_staff
from chatserver.http.params import parse_id, path_id
from chatserver.http.shifts import shift_payload
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
from staffing.models import ShiftPattern
from staffing.patterns import create_pattern, end_pattern, list_patterns, skip_pattern_days
from staffing.presence import unattended_shifts
from staffing.shifts import ShiftInputError, list_shifts
from staffing.weekly import WeeklyWindow, WindowError

INVALID = "Some fields need a correction."
#: The longest coverage period one request may ask for.
MAX_COVERAGE_DAYS = 92


def _invalid(fields: dict[str, str]) -> APIError:
    return APIError(400, "invalid", INVALID, fields)


def _date(raw: object, name: str, *, required: bool = True) -> dt.date | None:
    if raw is None and not required:
        return None
    if not isinstance(raw, str):
        raise _invalid({name: "Give a date like 2026-12-01."})
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise _invalid({name: f"{raw[:20]!r} is not a date like 2026-12-01."}) from None
    if not in_range(day):
        raise _invalid({name: OUT_OF_RANGE})
    return day


def _required_date(raw: object, name: str) -> dt.date:
    parsed = _date(raw, name)
    assert parsed is not None
    return parsed


def _window(body: dict[str, Any]) -> WeeklyWindow:
    days = body.get("weekdays")
    if not isinstance(days, list) or not all(isinstance(day, str) for day in days):
        raise _invalid({"weekdays": 'Give a list of days like ["mon", "tue"].'})
    try:
        return WeeklyWindow.parse(days, str(body.get("start", "")), str(body.get("end", "")))
    except WindowError as exc:
        raise _invalid(exc.errors) from None


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise _invalid({name: "Unknown field." for name in unknown})


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


async def list_patterns_handler(request: web.Request) -> web.Response:
    """``GET /api/roster/patterns``."""
    await require_staff(request)
    async with request.app[keys.db_key]() as session:
        patterns = await list_patterns(session)
        payload = [{**pattern_payload(p), "display_name": p.user.display_name} for p in patterns]
    return web.json_response({"ok": True, "patterns": payload})


async def create_pattern_handler(request: web.Request) -> web.Response:
    """``POST /api/roster/patterns {user_id, weekdays, start, end, starts_on, ends_on?}``."""
    actor = await require_staff(request, "coordinator")
    body = await read_json_object(request)
    _only(body, {"user_id", "weekdays", "start", "end", "starts_on", "ends_on"})
    user_id = body.get("user_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise _invalid({"user_id": "Choose an expert."})
    window = _window(body)
    starts_on = _required_date(body.get("starts_on"), "starts_on")
    ends_on = _date(body.get("ends_on"), "ends_on", required=False)
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


async def skip_days_handler(request: web.Request) -> web.Response:
    """``POST /api/roster/patterns/{id}/skip {first, last}``: days off, holidays."""
    actor = await require_staff(request, "coordinator")
    body = await read_json_object(request)
    _only(body, {"first", "last"})
    first = _required_date(body.get("first"), "first")
    last = _required_date(body.get("last"), "last")
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


async def end_pattern_handler(request: web.Request) -> web.Response:
    """``POST /api/roster/patterns/{id}/end {last}``: no more shifts after that day."""
    actor = await require_staff(request, "coordinator")
    body = await read_json_object(request)
    _only(body, {"last"})
    last = _required_date(body.get("last"), "last")
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


async def get_chat_hours_handler(request: web.Request) -> web.Response:
    """``GET /api/roster/chat-hours``: the hours the team means to be open."""
    await require_staff(request)
    async with request.app[keys.db_key]() as session:
        windows = await chat_hours(session)
    return web.json_response({"ok": True, "hours": [_window_payload(w) for w in windows]})


async def put_chat_hours_handler(request: web.Request) -> web.Response:
    """``PUT /api/roster/chat-hours {hours: [{weekdays, start, end}, ...]}``."""
    actor = await require_staff(request, "coordinator")
    body = await read_json_object(request)
    _only(body, {"hours"})
    hours = body.get("hours")
    if not isinstance(hours, list) or not all(isinstance(h, dict) for h in hours):
        raise _invalid({"hours": "Give a list of {weekdays, start, end}."})
    windows = []
    for index, item in enumerate(hours):
        try:
            windows.append(_window(item))
        except APIError:
            raise _invalid({f"hours[{index}]": "Give weekdays, a start and an end."}) from None
    async with request.app[keys.db_key].begin() as session:
        await replace_chat_hours(session, windows)
        payload = [_window_payload(w) for w in windows]
        await record_change(session, actor.id, "chat_hours.set", "chat_hours", hours=payload)
    return web.json_response({"ok": True, "hours": payload})


async def coverage_handler(request: web.Request) -> web.Response:
    """``GET /api/roster/coverage?from=YYYY-MM-DD&to=YYYY-MM-DD``: gaps and warnings."""
    await require_staff(request, "coordinator")
    today = _today(request)
    first = _date(request.query.get("from"), "from", required=False) or today
    last = _date(request.query.get("to"), "to", required=False) or first + dt.timedelta(days=27)
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


async def audit_handler(request: web.Request) -> web.Response:
    """``GET /api/audit?before=ID``: the newest 100 changes (coordinators).

    ``staff`` maps every account id to its display name, so the page can name the people
    an entry is about (entries hold ids).
    """
    await require_staff(request, "coordinator")
    raw = request.query.get("before")
    before = parse_id(raw)
    if raw is not None and before is None:
        raise _invalid({"before": "Give an entry id."})
    async with request.app[keys.db_key]() as session:
        changes = await list_changes(session, before_id=before)
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
