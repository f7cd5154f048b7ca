"""The shift API: everyone signed in reads the roster; coordinators change it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from aiohttp import web
from msgspec import Meta
from sqlalchemy.orm import selectinload

from chatserver import keys
from chatserver.http.declared import Body, Id
from chatserver.http.jsonapi import APIError
from chatserver.http.params import path_id
from chatserver.schema import said
from staffing.audit import record_change
from staffing.models import Shift, StaffUser
from staffing.shifts import (
    ShiftInputError,
    add_shift,
    change_shift,
    delete_shift,
    list_shifts,
    parse_local_datetime,
)

MAX_WINDOW = dt.timedelta(days=62)


def shift_payload(shift: Shift, tz: dt.tzinfo) -> dict[str, Any]:
    """A shift in UTC and in local time."""
    return {
        "id": shift.id,
        "user_id": shift.user_id,
        "display_name": shift.user.display_name,
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
        "starts_local": shift.starts_at.astimezone(tz).isoformat(),
        "ends_local": shift.ends_at.astimezone(tz).isoformat(),
    }


#: A moment as the roster page sends it: ISO 8601, local time when without an offset.
Moment = Annotated[str, Meta(max_length=64), said("required")]


class ShiftBody(Body):
    """``POST /api/shifts`` and ``PUT /api/shifts/{id}``: whose shift, from when to when."""

    # A field error, so the roster page shows it at the expert field (in its language).
    user_id: Annotated[Id, said("Choose an expert.")]
    starts_at: Moment
    ends_at: Moment


class WindowQuery(Body):
    """``GET /api/shifts?from&to``: a week from now unless given."""

    start: Moment | None = msgspec.field(default=None, name="from")
    end: Moment | None = msgspec.field(default=None, name="to")


def _moment(request: web.Request, name: str, raw: str) -> dt.datetime:
    try:
        return parse_local_datetime(raw, request.app[keys.settings_key].timezone)
    except ValueError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", {name: str(exc)}) from None


def _window(request: web.Request, query: WindowQuery) -> tuple[dt.datetime, dt.datetime]:
    tz = request.app[keys.settings_key].timezone
    start = _moment(request, "from", query.start) if query.start else dt.datetime.now(tz)
    end = _moment(request, "to", query.end) if query.end else start + dt.timedelta(days=7)
    if not start < end <= start + MAX_WINDOW:
        raise APIError(400, "invalid", "from must be before to, at most 62 days apart.")
    return start, end


async def list_handler(request: web.Request, user: StaffUser, query: WindowQuery) -> web.Response:
    """``GET /api/shifts?from&to`` (ISO, local time when without offset); ``user``: anyone."""
    start, end = _window(request, query)
    tz = request.app[keys.settings_key].timezone
    async with request.app[keys.db_key]() as session:
        shifts = await list_shifts(session, start, end)
        return web.json_response({"ok": True, "shifts": [shift_payload(s, tz) for s in shifts]})


def _times(request: web.Request, body: ShiftBody) -> tuple[dt.datetime, dt.datetime]:
    return _moment(request, "starts_at", body.starts_at), _moment(request, "ends_at", body.ends_at)


async def create_handler(request: web.Request, user: StaffUser, body: ShiftBody) -> web.Response:
    """``POST /api/shifts {user_id, starts_at, ends_at}`` (coordinators)."""
    actor, user_id = user, body.user_id
    starts_at, ends_at = _times(request, body)
    tz = request.app[keys.settings_key].timezone
    try:
        async with request.app[keys.db_key].begin() as session:
            shift = await add_shift(session, user_id=user_id, starts_at=starts_at, ends_at=ends_at)
            await session.refresh(shift, ["user"])
            payload = shift_payload(shift, tz)
            await record_change(session, actor.id, "shift.add", f"shift:{shift.id}", **payload)
    except ShiftInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None
    return web.json_response({"ok": True, "shift": payload}, status=201)


async def update_handler(request: web.Request, user: StaffUser, body: ShiftBody) -> web.Response:
    """``PUT /api/shifts/{id} {user_id, starts_at, ends_at}``: move, change or reassign."""
    actor, user_id, shift_id = user, body.user_id, _shift_id(request)
    starts_at, ends_at = _times(request, body)
    tz = request.app[keys.settings_key].timezone
    try:
        async with request.app[keys.db_key].begin() as session:
            shift = await change_shift(
                session, shift_id, user_id=user_id, starts_at=starts_at, ends_at=ends_at
            )
            if shift is None:
                raise APIError(404, "not_found", "No such shift.")
            await session.refresh(shift, ["user"])
            payload = shift_payload(shift, tz)
            await record_change(session, actor.id, "shift.change", f"shift:{shift_id}", **payload)
    except ShiftInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None
    return web.json_response({"ok": True, "shift": payload})


def _shift_id(request: web.Request) -> int:
    return path_id(request, "shift_id", "No such shift.")


async def delete_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``DELETE /api/shifts/{id}`` (coordinators)."""
    actor, shift_id = user, _shift_id(request)
    tz = request.app[keys.settings_key].timezone
    async with request.app[keys.db_key].begin() as session:
        shift = await session.get(Shift, shift_id, options=[selectinload(Shift.user)])
        if shift is None or not await delete_shift(session, shift_id):
            raise APIError(404, "not_found", "No such shift.")
        # What was deleted, so the audit log can say whose shift and when.
        payload = shift_payload(shift, tz)
        await record_change(session, actor.id, "shift.delete", f"shift:{shift_id}", **payload)
    return web.json_response({"ok": True})
