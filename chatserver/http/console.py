"""The staff console page, the coordinators' quick-reply page, and the console's script files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web

import widget
from chatserver import keys
from chatserver.console.api_texts import api_message
from chatserver.console.i18n import code_labels, field_label, js_texts
from chatserver.http.forms import form_text, read_form
from chatserver.http.params import parse_id
from chatserver.http.staffpages import (
    language,
    page_context,
    staff_page_headers,
    with_lang,
)
from registration.codes import CODES
from registration.validation import FIELD_NAMES
from staffing.models import StaffUser
from staffing.quickreplies import QuickReplyInputError, list_quick_replies

STATIC = Path(__file__).resolve().parent.parent / "static"
SOCKETIO_CLIENT = widget.DIST / "vendor" / "socket.io.min.js"

#: The registration form, in the order an expert fills it in.
REGISTRATION_FIELDS = FIELD_NAMES


def registration_form(lang: str) -> dict[str, Any]:
    """Labels and options of every registration field for the template."""
    return {
        "labels": {name: field_label(lang, name) for name in REGISTRATION_FIELDS},
        "options": {name: code_labels(lang, name) for name in CODES},
    }


async def console_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /console``: the live console; its data comes over ``/staff`` and the JSON API."""
    on_shift = await request.app[keys.team_view_key].is_on_shift(user.id)
    context = page_context(request, user, on_shift=on_shift)
    context["js_texts"] = js_texts(context["lang"])
    context["timezone"] = request.app[keys.settings_key].timezone.key
    context["form"] = registration_form(context["lang"])
    response = aiohttp_jinja2.render_template("console/console.html", request, context)
    return staff_page_headers(response)


async def _quick_reply_page(
    request: web.Request,
    user: StaffUser,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> web.StreamResponse:
    async with request.app[keys.db_key]() as session:
        replies = await list_quick_replies(session)
    context = page_context(request, user, replies=replies, errors=errors or {}, typed=typed or {})
    response = aiohttp_jinja2.render_template(
        "console/quickreplies.html", request, context, status=status
    )
    return staff_page_headers(response)


async def quick_replies_page(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``GET /console/quick-replies``: coordinators manage the team's quick replies."""
    return await _quick_reply_page(request, user)


async def quick_reply_add(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``POST /console/quick-replies``: add one (form post)."""
    form = await read_form(request)
    typed = {name: form_text(form, name) for name in ("title", "body")}
    try:
        await request.app[keys.team_view_key].add_quick_reply(
            typed["title"], typed["body"], user.id
        )
    except QuickReplyInputError as exc:
        lang = language(request)
        errors = {name: api_message(lang, text) for name, text in exc.errors.items()}
        shown = {name: value[:1000] for name, value in typed.items()}
        return await _quick_reply_page(request, user, 400, errors, shown)
    raise web.HTTPSeeOther(with_lang(request, "/console/quick-replies"))


async def quick_reply_delete(request: web.Request, user: StaffUser) -> web.StreamResponse:
    """``POST /console/quick-replies/{reply_id}/delete`` (by a coordinator: ``user``)."""
    reply_id = parse_id(request.match_info["reply_id"])
    if reply_id is not None:
        await request.app[keys.team_view_key].delete_quick_reply(reply_id)
    raise web.HTTPSeeOther(with_lang(request, "/console/quick-replies"))


async def socketio_client(request: web.Request) -> web.StreamResponse:
    """The Socket.IO browser client built by the widget's npm build."""
    if not SOCKETIO_CLIENT.is_file():
        raise web.HTTPNotFound(text="Build the widget first (scripts/run does).")
    return web.FileResponse(SOCKETIO_CLIENT, headers={"Cache-Control": "no-cache"})
