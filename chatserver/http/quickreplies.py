"""``GET/POST /api/quick-replies``, ``DELETE /api/quick-replies/{id}``."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web

from chatserver import keys
from chatserver.http.declared import Body
from chatserver.http.jsonapi import APIError
from chatserver.http.params import path_id
from chatserver.schema import said
from staffing.models import StaffUser
from staffing.quickreplies import (
    BODY_MESSAGE,
    TITLE_MESSAGE,
    QuickReplyInputError,
    list_quick_replies,
    quick_reply_as_dict,
)


class QuickReplyBody(Body):
    """``POST /api/quick-replies``: a title and the text it puts in the message box."""

    title: Annotated[str, said(TITLE_MESSAGE)]
    body: Annotated[str, said(BODY_MESSAGE)]


async def list_handler(request: web.Request, user: StaffUser) -> web.Response:
    """Every quick reply (any signed-in staff member)."""
    async with request.app[keys.db_key]() as session:
        replies = await list_quick_replies(session)
    return web.json_response(
        {"ok": True, "quick_replies": [quick_reply_as_dict(r) for r in replies]}
    )


async def create_handler(
    request: web.Request, user: StaffUser, body: QuickReplyBody
) -> web.Response:
    """Add a quick reply: ``{title, body}`` (coordinators and admins)."""
    replies = request.app[keys.team_view_key]
    try:
        reply = await replies.add_quick_reply(body.title, body.body, user.id)
    except QuickReplyInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None
    payload = quick_reply_as_dict(reply)
    return web.json_response({"ok": True, "quick_reply": payload}, status=201)


async def delete_handler(request: web.Request, user: StaffUser) -> web.Response:
    """Remove a quick reply (coordinators and admins)."""
    reply_id = path_id(request, "reply_id", "No such quick reply.")
    if not await request.app[keys.team_view_key].delete_quick_reply(reply_id):
        raise APIError(404, "not_found", "No such quick reply.")
    return web.json_response({"ok": True})
