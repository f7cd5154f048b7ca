"""The roster, team, my-shifts and audit pages, and the colleagues list they read.

The pages are thin shells: the server renders the layout, the texts (a JSON data block)
and what the script needs to start (today's local date, the user); the ES modules under
static/console/ then read and change everything through the JSON API (roster.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from chatserver import keys
from chatserver.console.roster_texts import page_texts
from chatserver.http.staffpages import page_context, staff_page_headers
from nabij.vocab import FOCUS_CODES, ROLES
from staffing.experts import list_staff
from staffing.models import StaffUser


def _start_data(request: web.Request, user_id: int, role: str) -> dict[str, Any]:
    """What a page's script needs at start: who, today (local), the codes it offers."""
    tz = request.app[keys.settings_key].timezone
    return {
        "user_id": user_id,
        "role": role,
        "today": dt.datetime.now(tz).date().isoformat(),
        "timezone": tz.key,
        "roles": list(ROLES),
        "focus": list(FOCUS_CODES),
    }


async def _render(request: web.Request, user: StaffUser, template: str) -> web.StreamResponse:
    context = page_context(request, user)
    context["page_texts"] = page_texts(context["lang"], context["t"])
    context["page_data"] = _start_data(request, user.id, user.role)
    response = aiohttp_jinja2.render_template(template, request, context)
    return staff_page_headers(response)


async def roster_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /roster``: week and month views, patterns, chat hours, coverage, requests."""
    return await _render(request, user, "console/roster.html")


async def team_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /team``: the accounts, new experts, links, deactivation."""
    return await _render(request, user, "console/team.html")


async def my_shifts_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /my-shifts``: one's own shifts, calendar feed and drop/swap requests."""
    return await _render(request, user, "console/myshifts.html")


async def audit_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /audit``: the audit log, newest first."""
    return await _render(request, user, "console/audit.html")


async def colleagues_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``GET /api/staff``: active staff, id and display name only (for swap requests)."""
    async with request.app[keys.db_key]() as session:
        users = await list_staff(session, active_only=True)
    staff = [{"id": u.id, "display_name": u.display_name} for u in users]
    staff.sort(key=lambda entry: (str(entry["display_name"]).lower(), entry["id"]))
    return web.json_response({"ok": True, "staff": staff})
