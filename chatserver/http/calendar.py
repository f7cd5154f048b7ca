"""The private calendar feed: issue or revoke your feed URL, and the feed itself."""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from chatserver import keys
from staffing.audit import record_change
from staffing.calendar import feed_shifts, issue_calendar_token, render_ics, revoke_calendar_token
from staffing.models import StaffUser


async def issue_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``POST /api/me/calendar``: a new feed URL (shown once); the old one stops working."""
    async with request.app[keys.db_key].begin() as session:
        token = await issue_calendar_token(session, user.id)
        await record_change(session, user.id, "calendar.issue", f"user:{user.id}")
    url = f"{request.app[keys.settings_key].public_url.rstrip('/')}/calendar/{token}.ics"
    return web.json_response({"ok": True, "url": url})


async def revoke_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``DELETE /api/me/calendar``: the feed URL stops working."""
    async with request.app[keys.db_key].begin() as session:
        await revoke_calendar_token(session, user.id)
        await record_change(session, user.id, "calendar.revoke", f"user:{user.id}")
    return web.json_response({"ok": True})


async def feed_handler(request: web.Request) -> web.Response:
    """``GET /calendar/{token}.ics``: the owner's shifts; 404 for a revoked or unknown token."""
    now = dt.datetime.now(dt.UTC)
    async with request.app[keys.db_key]() as session:
        shifts = await feed_shifts(session, request.match_info["token"], now)
    if shifts is None:
        raise web.HTTPNotFound(text="No such calendar.")
    host = request.app[keys.settings_key].public_origin.split("://", 1)[-1]
    response = web.Response(
        text=render_ics(shifts, host, now), content_type="text/calendar", charset="utf-8"
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
