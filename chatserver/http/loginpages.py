"""The sign-in form, signing out, and changing one's own password (HTML forms with CSRF)."""

from __future__ import annotations

import logging

import aiohttp_jinja2
from aiohttp import web

from chatserver import keys
from chatserver.console.api_texts import api_message
from chatserver.http.auth import sign_in, sign_out
from chatserver.http.csrf import csrf_token_for, ensure_login_binding
from chatserver.http.forms import form_text, read_form
from chatserver.http.jsonapi import APIError
from chatserver.http.staffpages import (
    language,
    page_context,
    staff_page_headers,
    with_lang,
)
from chatserver.staffauth import (
    SESSION_COOKIE,
    clear_session_cookie,
    revoke_other_sessions,
    set_session_cookie,
    user_for_token,
)
from staffing.experts import StaffInputError, change_password
from staffing.models import StaffUser

logger = logging.getLogger(__name__)

MAX_FIELD = 1024


def _render_login(request: web.Request, error: str = "", username: str = "") -> web.Response:
    response = web.Response(status=401 if error else 200, content_type="text/html")
    binding = ensure_login_binding(request, response)
    context = page_context(
        request, None, error=error, username=username, csrf_token=csrf_token_for(request, binding)
    )
    response.text = aiohttp_jinja2.render_string("console/login.html", request, context)
    staff_page_headers(response)
    return response


async def login_page(request: web.Request) -> web.StreamResponse:
    """``GET /login``: the form; signed-in users go straight to the console."""
    token = request.cookies.get(SESSION_COOKIE)
    if token and await user_for_token(request.app[keys.db_key], token) is not None:
        raise web.HTTPSeeOther(with_lang(request, "/console"))
    return _render_login(request)


async def login_submit(request: web.Request) -> web.StreamResponse:
    """``POST /login``: same checks and throttle as the JSON sign-in."""
    form = await read_form(request)
    username = form_text(form, "username", MAX_FIELD).strip().lower()
    t = page_context(request, None)["t"]
    try:
        _, token = await sign_in(request, username, form_text(form, "password", MAX_FIELD))
    except APIError as exc:
        message = t["login.throttled"] if exc.status_code == 429 else t["login.failed"]
        response = _render_login(request, message, username)
        response.set_status(exc.status_code)
        return response
    response = web.HTTPSeeOther(with_lang(request, "/console"))
    set_session_cookie(response, token, request.app[keys.settings_key])
    raise response


async def logout_submit(request: web.Request) -> web.StreamResponse:
    """``POST /logout``: end this session everywhere it is open, then the sign-in page."""
    await sign_out(request)
    response = web.HTTPSeeOther(with_lang(request, "/login"))
    clear_session_cookie(response)
    raise response


async def password_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /password``: the change-password form."""
    response = aiohttp_jinja2.render_template(
        "console/password.html", request, page_context(request, user, errors={}, done=False)
    )
    return staff_page_headers(response)


async def password_submit(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``POST /password``: check the current password, store the new one, sign out the rest."""
    form = await read_form(request)
    db = request.app[keys.db_key]
    try:
        async with db.begin() as session:
            await change_password(
                session,
                user.id,
                form_text(form, "current_password", MAX_FIELD),
                form_text(form, "new_password", MAX_FIELD),
            )
    except StaffInputError as exc:
        lang = language(request)
        errors = {name: api_message(lang, text) for name, text in exc.errors.items()}
        context = page_context(request, user, errors=errors, done=False)
        response = aiohttp_jinja2.render_template(
            "console/password.html", request, context, status=400
        )
        return staff_page_headers(response)
    ended = await revoke_other_sessions(db, user.id, request.cookies.get(SESSION_COOKIE))
    await request.app[keys.staff_access_key].apply_change(user.id, ended)
    context = page_context(request, user, errors={}, done=True)
    response = aiohttp_jinja2.render_template("console/password.html", request, context)
    return staff_page_headers(response)
