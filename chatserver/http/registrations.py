"""The registration API: pending list, manual contacts, completing and correcting."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, ClassVar, Literal

from aiohttp import web

from chatserver import keys
from chatserver.http.declared import Body
from chatserver.http.jsonapi import APIError
from chatserver.http.params import path_id
from chatserver.http.registrationbody import RegistrationBody
from chatserver.schema import said
from registration.registrations import (
    access_registration_by_id,
    can_edit,
    complete_registration,
    list_registrations,
    record_contact,
    registration_as_dict,
    visitor_audiences,
)
from registration.validation import (
    RegistrationFields,
    RegistrationInputError,
    validate_registration,
)
from staffing.models import StaffUser

logger = logging.getLogger(__name__)


def _today(request: web.Request) -> dt.date:
    return dt.datetime.now(request.app[keys.settings_key].timezone).date()


class RegistrationQuery(Body):
    """``GET /api/registrations?status=``: which ones (default: both)."""

    refusal: ClassVar[str] = "status must be pending or done."
    status: Annotated[Literal["pending", "done"] | None, said("unknown")] = None


def _validated(request: web.Request, body: RegistrationBody) -> RegistrationFields:
    try:
        return validate_registration(body.answers(), today=_today(request))
    except RegistrationInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None


def _registration_id(request: web.Request) -> int:
    return path_id(request, "registration_id", "No such registration.")


async def list_handler(
    request: web.Request, user: StaffUser, query: RegistrationQuery
) -> web.Response:
    """``GET /api/registrations?status=pending|done``: own for experts, all for coordinators."""
    async with request.app[keys.db_key]() as session:
        rows = await list_registrations(session, user, query.status)
        audiences = await visitor_audiences(session, rows)
    listed = [registration_as_dict(r, audiences.get(r.id)) for r in rows]
    return web.json_response({"ok": True, "registrations": listed})


async def create_handler(
    request: web.Request, user: StaffUser, body: RegistrationBody
) -> web.Response:
    """``POST /api/registrations``: a contact by phone, WhatsApp, face to face, ..."""
    fields = _validated(request, body)
    async with request.app[keys.db_key].begin() as session:
        row = await record_contact(session, expert_id=user.id, fields=fields, today=_today(request))
        payload = registration_as_dict(row)
    logger.info("registration recorded id=%d by=%d", payload["id"], user.id)
    return web.json_response({"ok": True, "registration": payload}, status=201)


async def get_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``GET /api/registrations/{id}``."""
    async with request.app[keys.db_key]() as session:
        row = await access_registration_by_id(session, user, _registration_id(request))
        if row is None:
            raise APIError(404, "not_found", "No such registration.")
        audience = (await visitor_audiences(session, [row])).get(row.id)
        return web.json_response({"ok": True, "registration": registration_as_dict(row, audience)})


async def update_handler(
    request: web.Request, user: StaffUser, body: RegistrationBody
) -> web.Response:
    """``PUT /api/registrations/{id}``: complete a pending one or correct a done one."""
    fields = _validated(request, body)
    today = _today(request)
    async with request.app[keys.db_key].begin() as session:
        row = await access_registration_by_id(session, user, _registration_id(request))
        if row is None:
            raise APIError(404, "not_found", "No such registration.")
        if not can_edit(user, row, today):
            raise APIError(403, "forbidden", "This registration can no longer be changed.")
        row = await complete_registration(session, row, fields, today)
        payload = registration_as_dict(row)
    logger.info("registration completed id=%d by=%d", payload["id"], user.id)
    return web.json_response({"ok": True, "registration": payload})
