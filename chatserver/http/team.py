"""Team management (coordinators and admins): accounts, deactivation, password links.

A new account gets no password from anyone: the coordinator passes on a one-time link
with which the expert sets their own. Only admins create, change or deactivate admins,
or make someone an admin, so a coordinator cannot raise their own rights.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any, ClassVar

import msgspec
from aiohttp import web
from msgspec import UNSET, Meta, UnsetType

from chatserver import keys
from chatserver.http.declared import Body
from chatserver.http.jsonapi import APIError
from chatserver.http.params import parse_id
from chatserver.schema import said
from staffing.audit import record_change
from staffing.experts import (
    CAPACITY_MESSAGE,
    COOLDOWN_MESSAGE,
    StaffChanges,
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

Text = Annotated[str, Meta(max_length=1024), said("Required text.")]
Codes = Annotated[list[Annotated[str, Meta(max_length=64)]], Meta(max_length=64)]
CodeList = Annotated[Codes, said("Give a list of codes.")]
Capacity = Annotated[int, said(CAPACITY_MESSAGE)]
Cooldown = Annotated[int, said(COOLDOWN_MESSAGE)]


class NewMember(Body):
    """``POST /api/team``: a new account (its password is set through a one-time link)."""

    username: Text
    display_name: Text
    role: Text = "expert"
    focus: CodeList = msgspec.field(default_factory=list)
    languages: CodeList = msgspec.field(default_factory=lambda: ["nl"])
    #: None: the service's default capacity (NABIJ_DEFAULT_CAPACITY).
    capacity: Capacity | None = None
    cooldown_s: Cooldown = 0


class MemberChanges(Body):
    """``PUT /api/team/{id}``: any of the editable fields; a field left out stays."""

    unknown_field: ClassVar[str] = "This cannot be changed here."
    display_name: Text | UnsetType = UNSET
    role: Text | UnsetType = UNSET
    focus: CodeList | UnsetType = UNSET
    languages: CodeList | UnsetType = UNSET
    capacity: Capacity | UnsetType = UNSET
    cooldown_s: Cooldown | UnsetType = UNSET

    def given(self) -> dict[str, Any]:
        """The fields that were sent."""
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not UNSET}


class NewPassword(Body):
    """``POST /api/auth/password``: the one-time link's token and the new password."""

    refusal: ClassVar[str] = "Send {token, password}."
    token: Annotated[str, Meta(max_length=256)]
    password: Annotated[str, Meta(max_length=4096), said("Required.")]


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


async def list_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``GET /api/team``: every account, active or not (coordinators)."""
    async with request.app[keys.db_key]() as session:
        users = await list_staff(session)
    return web.json_response({"ok": True, "members": [member_payload(u) for u in users]})


async def create_handler(request: web.Request, user: StaffUser, body: NewMember) -> web.Response:
    """``POST /api/team {username, display_name, role, focus, languages, capacity, cooldown_s}``.

    Answers the account and a one-time link to set its password.
    """
    actor = user
    _guard_admin(actor, body.role)
    capacity = body.capacity
    if capacity is None:
        capacity = request.app[keys.settings_key].default_capacity
    try:
        async with request.app[keys.db_key].begin() as session:
            user = await create_staff_user(
                session,
                password=secrets.token_urlsafe(32),
                username=body.username,
                display_name=body.display_name,
                role=body.role,
                focus=body.focus,
                languages=body.languages,
                capacity=capacity,
                cooldown_s=body.cooldown_s,
            )
            token = await issue_password_link(session, user.id, dt.datetime.now(dt.UTC))
            payload = member_payload(user)
            await record_change(session, actor.id, "user.add", f"user:{user.id}", **payload)
    except StaffInputError as exc:
        raise APIError(400, "invalid", INVALID, exc.errors) from None
    url = _password_url(request, token)
    return web.json_response({"ok": True, "member": payload, "password_link": url}, status=201)


async def update_handler(
    request: web.Request, user: StaffUser, body: MemberChanges
) -> web.Response:
    """``PUT /api/team/{id}`` with any of the editable fields."""
    actor, changes = user, body.given()
    user_id = await _member(request, actor)
    _guard_admin(actor, str(changes.get("role", "")))
    try:
        async with request.app[keys.db_key].begin() as session:
            member = await update_staff_user(session, user_id, StaffChanges(**changes))
            if member is None:
                raise APIError(404, "not_found", "No such staff member.")
            payload = member_payload(member)
            await record_change(session, actor.id, "user.change", f"user:{user_id}", **changes)
    except StaffInputError as exc:
        raise APIError(400, "invalid", INVALID, exc.errors) from None
    await request.app[keys.staff_access_key].apply_change(user_id)
    return web.json_response({"ok": True, "member": payload})


async def deactivate_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``POST /api/team/{id}/deactivate``: signed out everywhere; their data stays."""
    actor = user
    user_id = await _member(request, actor)
    if user_id == actor.id:
        raise APIError(400, "invalid", "You cannot deactivate yourself.")
    async with request.app[keys.db_key].begin() as session:
        hashes = await login_session_hashes(session, user_id)
        member = await set_staff_active(session, user_id, False)
        if member is None:  # accounts are never deleted, but be exact
            raise APIError(404, "not_found", "No such staff member.")
        payload = member_payload(member)
        await record_change(session, actor.id, "user.deactivate", f"user:{user_id}")
    await request.app[keys.staff_access_key].apply_change(user_id, hashes)
    return web.json_response({"ok": True, "member": payload})


async def activate_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``POST /api/team/{id}/activate``."""
    actor = user
    user_id = await _member(request, actor)
    async with request.app[keys.db_key].begin() as session:
        member = await set_staff_active(session, user_id, True)
        if member is None:  # accounts are never deleted, but be exact
            raise APIError(404, "not_found", "No such staff member.")
        payload = member_payload(member)
        await record_change(session, actor.id, "user.activate", f"user:{user_id}")
    await request.app[keys.staff_access_key].apply_change(user_id)
    return web.json_response({"ok": True, "member": payload})


async def password_link_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``POST /api/team/{id}/password-link``: a one-time link to set a new password."""
    actor = user
    user_id = await _member(request, actor)
    async with request.app[keys.db_key].begin() as session:
        token = await issue_password_link(session, user_id, dt.datetime.now(dt.UTC))
        await record_change(session, actor.id, "user.password_link", f"user:{user_id}")
    return web.json_response({"ok": True, "password_link": _password_url(request, token)})


async def use_link_handler(request: web.Request, body: NewPassword) -> web.Response:
    """``POST /api/auth/password {token, password}`` (no session): set it through a link."""
    now = dt.datetime.now(dt.UTC)
    try:
        async with request.app[keys.db_key].begin() as session:
            user, ended = await use_password_link(session, body.token, body.password, now)
            await record_change(session, user.id, "user.password_set", f"user:{user.id}")
    except StaffInputError as exc:
        raise APIError(400, "invalid", INVALID, exc.errors) from None
    await request.app[keys.staff_access_key].apply_change(user.id, ended)
    return web.json_response({"ok": True, "username": user.username})
