"""Shift requests: experts ask to drop or swap a shift; coordinators decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import APIError, read_json_object, require_staff
from chatserver.http.params import parse_id
from nabij.vocab import role_at_least
from staffing.audit import record_change
from staffing.models import ShiftRequest
from staffing.requests import decide_shift_request, list_shift_requests, request_shift_change
from staffing.shifts import ShiftInputError

FIELDS = {"shift_id", "kind", "to_user_id", "note"}


def request_payload(item: ShiftRequest) -> dict[str, Any]:
    """A shift request as the API shows it."""
    return {
        "id": item.id,
        "shift_id": item.shift_id,
        "requester_id": item.requester_id,
        "kind": item.kind,
        "to_user_id": item.to_user_id,
        "note": item.note,
        "status": item.status,
        "created_at": item.created_at.isoformat(),
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
    }


def _optional_id(value: object, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise APIError(400, "invalid", "Some fields need a correction.", {name: "Give an id."})
    return value


async def create_handler(request: web.Request) -> web.Response:
    """``POST /api/shift-requests {shift_id, kind: drop|swap, to_user_id?, note?}``."""
    user = await require_staff(request)
    body = await read_json_object(request)
    if unknown := sorted(set(body) - FIELDS):
        raise APIError(400, "invalid", "Unknown fields.", {n: "Unknown field." for n in unknown})
    note = body.get("note", "")
    if not isinstance(note, str):
        raise APIError(400, "invalid", "Some fields need a correction.", {"note": "Text only."})
    try:
        async with request.app[keys.db_key].begin() as session:
            item = await request_shift_change(
                session,
                requester_id=user.id,
                shift_id=_optional_id(body.get("shift_id"), "shift_id") or 0,
                kind=str(body.get("kind", "")),
                to_user_id=_optional_id(body.get("to_user_id"), "to_user_id"),
                note=note.strip(),
                now=dt.datetime.now(dt.UTC),
            )
            payload = request_payload(item)
            await record_change(session, user.id, "shift_request.add", f"request:{item.id}")
    except ShiftInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None
    return web.json_response({"ok": True, "request": payload}, status=201)


async def list_handler(request: web.Request) -> web.Response:
    """``GET /api/shift-requests?status=pending``: your own; coordinators see everyone's."""
    user = await require_staff(request)
    status = request.query.get("status")
    if status not in (None, "pending", "approved", "refused"):
        raise APIError(400, "invalid", "Unknown status.", {"status": "unknown"})
    mine = None if role_at_least(user.role, "coordinator") else user.id
    async with request.app[keys.db_key]() as session:
        items = await list_shift_requests(session, requester_id=mine, status=status)
    return web.json_response({"ok": True, "requests": [request_payload(i) for i in items]})


async def approve_handler(request: web.Request) -> web.Response:
    """``POST /api/shift-requests/{id}/approve`` (coordinators): carry it out."""
    return await _decide(request, approve=True)


async def refuse_handler(request: web.Request) -> web.Response:
    """``POST /api/shift-requests/{id}/refuse`` (coordinators)."""
    return await _decide(request, approve=False)


async def _decide(request: web.Request, *, approve: bool) -> web.Response:
    actor = await require_staff(request, "coordinator")
    request_id = parse_id(request.match_info["request_id"])
    now = dt.datetime.now(dt.UTC)
    try:
        async with request.app[keys.db_key].begin() as session:
            item = None
            if request_id is not None:
                item = await decide_shift_request(
                    session, request_id, approve=approve, decided_by=actor.id, now=now
                )
            if item is None:
                raise APIError(404, "not_found", "No such pending request.")
            payload = request_payload(item)
            action, subject = f"shift_request.{item.status}", f"request:{item.id}"
            await record_change(session, actor.id, action, subject)
    except ShiftInputError as exc:
        raise APIError(400, "invalid", "This request cannot be carried out.", exc.errors) from None
    return web.json_response({"ok": True, "request": payload})
