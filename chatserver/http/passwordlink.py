"""``/password/{token}``: the page behind a one-time password link (HTML form, no session).

It calls the same domain function as ``POST /api/auth/password``. The token is the
credential; it is never logged nor written anywhere but the form's own address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from chatserver import keys
from chatserver.console.api_texts import api_message
from chatserver.http.forms import form_text, read_form
from chatserver.http.staffpages import language, page_context, staff_page_headers
from staffing.audit import record_change
from staffing.experts import StaffInputError
from staffing.resets import use_password_link, user_for_password_link


def _render(request: web.Request, status: int = 200, **extra: Any) -> web.StreamResponse:
    context = page_context(request, None, token=request.match_info["token"], **extra)
    response = aiohttp_jinja2.render_template(
        "console/passwordlink.html", request, context, status=status
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return staff_page_headers(response)


async def link_page(request: web.Request) -> web.StreamResponse:
    """``GET /password/{token}``: the form, or why the link no longer works."""
    async with request.app[keys.db_key]() as session:
        user = await user_for_password_link(
            session, request.match_info["token"], dt.datetime.now(dt.UTC)
        )
    if user is None:
        return _render(request, 404, invalid=True, errors={})
    return _render(request, username=user.username, errors={})


async def link_submit(request: web.Request) -> web.StreamResponse:
    """``POST /password/{token}``: set the password, spend the link, sign out everywhere."""
    password = form_text(await read_form(request), "password")
    token, now = request.match_info["token"], dt.datetime.now(dt.UTC)
    try:
        async with request.app[keys.db_key].begin() as session:
            user, ended = await use_password_link(session, token, password, now)
            await record_change(session, user.id, "user.password_set", f"user:{user.id}")
    except StaffInputError as exc:
        if "token" in exc.errors:
            return _render(request, 404, invalid=True, errors={})
        async with request.app[keys.db_key]() as session:
            owner = await user_for_password_link(session, token, now)
        username = owner.username if owner else ""
        lang = language(request)
        errors = {name: api_message(lang, text) for name, text in exc.errors.items()}
        return _render(request, 400, username=username, errors=errors)
    await request.app[keys.staff_access_key].apply_change(user.id, ended)
    return _render(request, done=True, username=user.username, errors={})
