"""The sign-in form, signing out, and changing one's own password (HTML forms with CSRF)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import aiohttp_jinja2
from aiohttp import web

from chatserver import keys
from chatserver.console.api_texts import api_message
from chatserver.http.auth import sign_in, sign_out
from chatserver.http.csrf import csrf_token_for, ensure_login_binding
from chatserver.http.forms import read_form
from chatserver.http.jsonapi import APIError
from chatserver.http.staffpages import (
    language,
    page_context,
    page_user,
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


def _form_text(form: Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else ""


async def login_submit(request: web.Request) -> web.StreamResponse:
    """``POST /login``: same checks and throttle as the JSON sign-in."""
    form = await read_form(request)
    username = _form_text(form, "username").strip().lower()
    t = page_context(request, None)["t"]
    try:
        _, token = await sign_in(request, username, _form_text(form, "password"))
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


async def password_page(request: web.Request) -> web.StreamResponse:
    """``GET /password``: the change-password form."""
    user = await page_user(request)
    response = aiohttp_jinja2.render_template(
        "console/password.html", request, page_context(request, user, errors={}, done=False)
    )
    return staff_page_headers(response)


async def password_submit(request: web.Request) -> web.StreamResponse:
    """``POST /password``: check the current password, store the new one, sign out the rest."""
    user = await page_user(request)
    form = await read_form(request)
    db, chat = request.app[keys.db_key], request.app[keys.chat_key]
    try:
        async with db.begin() as session:
            await change_password(
                session,
                user.id,
                _form_text(form, "current_password"),
                _form_text(form, "new_password"),
            )
    except StaffInputError as exc:
        lang = language(request)
        errors = {name: api_message(lang, text) for name, text in exc.errors.items()}
        context = page_context(request, user, errors=errors, done=False)
        response = aiohttp_jinja2.render_template(
            "console/password.html", request, context, status=400
        )
        return staff_page_headers(response)
    await revoke_other_sessions(
        db, chat.store, chat.settings, user.id, request.cookies.get(SESSION_COOKIE), chat.clock()
    )
    context = page_context(request, user, errors={}, done=True)
    response = aiohttp_jinja2.render_template("console/password.html", request, context)
    return staff_page_headers(response)
