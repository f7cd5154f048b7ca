"""Team management (coordinators and admins): accounts, deactivation, password links.

A new account gets no password from anyone: the coordinator passes on a one-time link
with which the expert sets their own. Only admins create, change or deactivate admins,
or make someone an admin, so a coordinator cannot raise their own rights.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import APIError, read_json_object, require_staff
from chatserver.http.params import parse_id
from staffing.audit import record_change
from staffing.experts import (
    EDITABLE,
    StaffInputError,
    create_staff_user,
    editable_values,
    get_staff_by_id,
    list_staff,
    set_staff_active,
    update_staff_user,
)
from staffing.models import StaffUser
from staffing.resets import issue_password_link, use_password_link
from staffing.sessions import login_session_hashes

INVALID = "Some fields need a correction."
CREATE_FIELDS = {"username", *EDITABLE}


def member_payload(user: StaffUser) -> dict[str, Any]:
    """An account as coordinators see it (never its password hash)."""
    return {
        "id": user.id,
        "username": user.username,
        **editable_values(user),
        "active": user.active,
    }


def _password_url(request: web.Request, token: str) -> str:
    return f"{request.app[keys.settings_key].public_url.rstrip('/')}/password/{token}"


def _guard_admin(actor: StaffUser, *roles: str) -> None:
    if "admin" in roles and actor.role != "admin":
        raise APIError(403, "forbidden", "Only an admin can manage admins.")


async def _member(request: web.Request, actor: StaffUser) -> int:
    user_id = parse_id(request.match_info["user_id"])
    async with request.app[keys.db_key]() as session:
        user = await get_staff_by_id(session, user_id) if user_id is not None else None
    if user is None:
        raise APIError(404, "not_found", "No such staff member.")
    _guard_admin(actor, user.role)
    return user.id


async def list_handler(request: web.Request) -> web.Response:
    """``GET /api/team``: every account, active or not."""
    await require_staff(request, "coordinator")
    async with request.app[keys.db_key]() as session:
        users = await list_staff(session)
    return web.json_response({"ok": True, "members": [member_payload(u) for u in users]})


async def create_handler(request: web.Request) -> web.Response:
    """``POST /api/team {username, display_name, role, focus, languages, capacity, cooldown_s}``.

    Answers the account and a one-time link to set its password.
    """
    actor = await require_staff(request, "coordinator")
    body = await read_json_object(request)
    if unknown := sorted(set(body) - CREATE_FIELDS):
        raise APIError(400, "invalid", INVALID, {name: "Unknown field." for name in unknown})
    _guard_admin(actor, str(body.get("role", "expert")))
    settings = request.app[keys.settings_key]
    values = {"role": "expert", "capacity": settings.default_capacity, "cooldown_s": 0, **body}
    try:
        async with request.app[keys.db_key].begin() as session:
            user = await create_staff_user(
                session, password=secrets.token_urlsafe(32), **_create_arguments(values)
            )
            token = await issue_password_link(session, user.id, dt.datetime.now(dt.UTC))
            payload = member_payload(user)
            await record_change(session, actor.id, "user.add", f"user:{user.id}", **payload)
    except (StaffInputError, TypeError) as exc:
        raise APIError(400, "invalid", INVALID, _errors(exc)) from None
    url = _password_url(request, token)
    return web.json_response({"ok": True, "member": payload, "password_link": url}, status=201)


def _create_arguments(values: dict[str, Any]) -> dict[str, Any]:
    text = {name: values.get(name) for name in ("username", "display_name", "role")}
    if not all(isinstance(value, str) for value in text.values()):
        raise StaffInputError(
            {n: "Required text." for n, v in text.items() if not isinstance(v, str)}
        )
    for name in ("focus", "languages"):
        value = values.get(name, [] if name == "focus" else ["nl"])
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise StaffInputError({name: "Give a list of codes."})
        text[name] = value
    return {**text, "capacity": values["capacity"], "cooldown_s": values["cooldown_s"]}


def _errors(exc: Exception) -> dict[str, str]:
    return exc.errors if isinstance(exc, StaffInputError) else {"body": "Unexpected values."}


async def update_handler(request: web.Request) -> web.Response:
    """``PUT /api/team/{id}`` with any of the editable fields."""
    actor = await require_staff(request, "coordinator")
    user_id = await _member(request, actor)
    body = await read_json_object(request)
    _guard_admin(actor, str(body.get("role", "")))
    try:
        async with request.app[keys.db_key].begin() as session:
            user = await update_staff_user(session, user_id, body)
            if user is None:
                raise APIError(404, "not_found", "No such staff member.")
            payload = member_payload(user)
            await record_change(session, actor.id, "user.change", f"user:{user_id}", **body)
    except StaffInputError as exc:
        raise APIError(400, "invalid", INVALID, exc.errors) from None
    return web.json_response({"ok": True, "member": payload})


async def deactivate_handler(request: web.Request) -> web.Response:
    """``POST /api/team/{id}/deactivate``: signed out everywhere; their data stays."""
    actor = await require_staff(request, "coordinator")
    user_id = await _member(request, actor)
    if user_id == actor.id:
        raise APIError(400, "invalid", "You cannot deactivate yourself.")
    async with request.app[keys.db_key].begin() as session:
        hashes = await login_session_hashes(session, user_id)
        user = await set_staff_active(session, user_id, False)
        if user is None:  # accounts are never deleted, but be exact
            raise APIError(404, "not_found", "No such staff member.")
        payload = member_payload(user)
        await record_change(session, actor.id, "user.deactivate", f"user:{user_id}")
    await request.app[keys.chat_key].do_sign_out_expert(user_id, hashes)
    return web.json_response({"ok": True, "member": payload})


async def activate_handler(request: web.Request) -> web.Response:
    """``POST /api/team/{id}/activate``."""
    actor = await require_staff(request, "coordinator")
    user_id = await _member(request, actor)
    async with request.app[keys.db_key].begin() as session:
        user = await set_staff_active(session, user_id, True)
        if user is None:  # accounts are never deleted, but be exact
            raise APIError(404, "not_found", "No such staff member.")
        payload = member_payload(user)
        await record_change(session, actor.id, "user.activate", f"user:{user_id}")
    return web.json_response({"ok": True, "member": payload})


async def password_link_handler(request: web.Request) -> web.Response:
    """``POST /api/team/{id}/password-link``: a one-time link to set a new password."""
    actor = await require_staff(request, "coordinator")
    user_id = await _member(request, actor)
    async with request.app[keys.db_key].begin() as session:
        token = await issue_password_link(session, user_id, dt.datetime.now(dt.UTC))
        await record_change(session, actor.id, "user.password_link", f"user:{user_id}")
    return web.json_response({"ok": True, "password_link": _password_url(request, token)})


async def use_link_handler(request: web.Request) -> web.Response:
    """``POST /api/auth/password {token, password}`` (no session): set it through a link."""
    body = await read_json_object(request)
    token, password = body.get("token"), body.get("password")
    if set(body) != {"token", "password"} or not isinstance(token, str):
        raise APIError(400, "invalid", "Send {token, password}.")
    if not isinstance(password, str):
        raise APIError(400, "invalid", INVALID, {"password": "Required."})
    try:
        async with request.app[keys.db_key].begin() as session:
            user = await use_password_link(session, token, password, dt.datetime.now(dt.UTC))
            await record_change(session, user.id, "user.password_set", f"user:{user.id}")
    except StaffInputError as exc:
        raise APIError(400, "invalid", INVALID, exc.errors) from None
    return web.json_response({"ok": True, "username": user.username})
