"""``GET/POST /api/quick-replies``, ``DELETE /api/quick-replies/{id}``."""

from __future__ import annotations

from aiohttp import web

from chatserver import keys
from chatserver.http.jsonapi import APIError, read_json_object, require_staff
from chatserver.http.params import path_id
from staffing.quickreplies import (
    QuickReplyInputError,
    add_quick_reply,
    delete_quick_reply,
    list_quick_replies,
    quick_reply_as_dict,
)


async def list_handler(request: web.Request) -> web.Response:
    """Every quick reply (any signed-in staff member)."""
    await require_staff(request)
    async with request.app[keys.db_key]() as session:
        replies = await list_quick_replies(session)
    return web.json_response(
        {"ok": True, "quick_replies": [quick_reply_as_dict(r) for r in replies]}
    )


async def create_handler(request: web.Request) -> web.Response:
    """Add a quick reply: ``{title, body}`` (coordinators and admins)."""
    user = await require_staff(request, "coordinator")
    body = await read_json_object(request)
    if set(body) - {"title", "body"}:
        raise APIError(400, "invalid", "Send {title, body}.", {"title": "Unknown field."})
    try:
        async with request.app[keys.db_key].begin() as session:
            reply = await add_quick_reply(
                session, title=body.get("title"), body=body.get("body"), created_by=user.id
            )
            payload = quick_reply_as_dict(reply)
    except QuickReplyInputError as exc:
        raise APIError(400, "invalid", "Some fields need a correction.", exc.errors) from None
    await request.app[keys.chat_key].notifier.notify_quick_replies_changed()
    return web.json_response({"ok": True, "quick_reply": payload}, status=201)


async def delete_handler(request: web.Request) -> web.Response:
    """Remove a quick reply (coordinators and admins)."""
    await require_staff(request, "coordinator")
    reply_id = path_id(request, "reply_id", "No such quick reply.")
    async with request.app[keys.db_key].begin() as session:
        if not await delete_quick_reply(session, reply_id):
            raise APIError(404, "not_found", "No such quick reply.")
    await request.app[keys.chat_key].notifier.notify_quick_replies_changed()
    return web.json_response({"ok": True})
