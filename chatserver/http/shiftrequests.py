"""Shift requests: experts ask to drop or swap a shift; coordinators decide."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.http.declared import Body, Id
from chatserver.http.jsonapi import APIError
from chatserver.http.params import parse_id
from chatserver.schema import said
from nabij.vocab import role_at_least
from staffing.audit import record_change
from staffing.models import ShiftRequest, StaffUser
from staffing.requests import (
    decide_shift_request,
    list_shift_requests,
    request_shift_change,
)
from staffing.shifts import ShiftInputError

OptionalId = Annotated[Id | None, said("Give an id.")]


class ShiftRequestBody(Body):
    """``POST /api/shift-requests``: drop a shift, or swap it with a named colleague."""

    shift_id: OptionalId = None
    kind: Annotated[str, Meta(max_length=16), said("Choose drop or swap.")] = ""
    to_user_id: OptionalId = None
    # No length here: the domain says "at most 500" of the stripped note (bodies are 64 KB).
    note: Annotated[str, said("Text only.")] = ""


class RequestQuery(Body):
    """``GET /api/shift-requests?status=``: which ones (default: all)."""

    refusal: ClassVar[str] = "Unknown status."
    status: Annotated[Literal["pending", "approved", "refused"] | None, said("unknown")] = None


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


async def create_handler(
    request: web.Request, user: StaffUser, body: ShiftRequestBody
) -> web.Response:
    """``POST /api/shift-requests {shift_id, kind: drop|swap, to_user_id?, note?}``."""
    try:
        async with request.app[keys.db_key].begin() as session:
            item = await request_shift_change(
                session,
                requester_id=user.id,
                shift_id=body.shift_id or 0,
                kind=body.kind,
                to_user_id=body.to_user_id,
                note=body.note.strip(),
                now=dt.datetime.now(dt.UTC),
            )
            payload = request_payload(item)
            await record_change(session, user.id, "shift_request.add", f"request:{item.id}")
    except ShiftInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None
    return web.json_response({"ok": True, "request": payload}, status=201)


async def list_handler(request: web.Request, user: StaffUser, query: RequestQuery) -> web.Response:
    """``GET /api/shift-requests?status=pending``: your own; coordinators see everyone's."""
    status = query.status
    mine = None if role_at_least(user.role, "coordinator") else user.id
    async with request.app[keys.db_key]() as session:
        items = await list_shift_requests(session, requester_id=mine, status=status)
    return web.json_response({"ok": True, "requests": [request_payload(i) for i in items]})


async def approve_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``POST /api/shift-requests/{id}/approve`` (coordinators): carry it out."""
    return await _decide(request, user, approve=True)


async def refuse_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``POST /api/shift-requests/{id}/refuse`` (coordinators)."""
    return await _decide(request, user, approve=False)


async def _decide(request: web.Request, actor: StaffUser, *, approve: bool) -> web.Response:
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
