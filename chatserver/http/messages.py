"""The message box over HTTP: visitors leave and read messages without a socket or cookie.

``POST /api/messages`` leaves a message and answers the pickup code; ``/thread``, ``/reply``
and ``/close`` take that code. Host sites listed in ``NABIJ_WIDGET_ORIGINS`` may call them
cross-origin (the preflight is answered for those alone, never with credentials); other
origins are refused. Experts list, claim and answer messages under ``/api/staff/messages``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.http.auth import request_address_key
from chatserver.http.jsonapi import APIError, read_json_object, require_staff
from chatserver.messagebox.codes import MAX_TYPED_CHARS
from chatserver.messagebox.service import MessageBox, waiting_as_dict
from chatserver.messagebox.threads import MessageBoxError
from chatserver.schema import NO_NUL, MessageBody, Payload, SchemaError, decode

#: The visitor's routes, which host sites may call cross-origin.
VISITOR_PATHS = frozenset(
    {"/api/messages", "/api/messages/thread", "/api/messages/reply", "/api/messages/close"}
)

Audience = Literal["victim", "perpetrator", "relative", "professional", "unknown"]
Language = Literal["nl", "en"]
Code = Annotated[str, Meta(min_length=1, max_length=MAX_TYPED_CHARS, pattern=NO_NUL)]

#: What each refusal of the message box is over HTTP.
STATUS_OF = {
    "invalid": 400,
    "not_found": 404,
    "rate_limited": 429,
    "taken": 409,
    "forbidden": 403,
    "not_on_shift": 403,
    "temporarily_unavailable": 503,
}


class LeaveMessage(Payload):
    """``POST /api/messages``."""

    audience: Audience
    body: MessageBody
    lang: Language = "nl"


class CodeOnly(Payload):
    """``POST /api/messages/thread`` and ``/close``."""

    code: Code


class CodeAndBody(Payload):
    """``POST /api/messages/reply``."""

    code: Code
    body: MessageBody


class AnswerBody(Payload):
    """``POST /api/staff/messages/{id}/answer``."""

    body: MessageBody


async def _payload(request: web.Request, payload_type: type[Any]) -> Any:
    try:
        return decode(await read_json_object(request), payload_type)
    except SchemaError as exc:
        fields = {exc.field: exc.message} if exc.field else None
        raise APIError(400, "invalid", exc.message, fields) from None


def _refused(exc: MessageBoxError) -> APIError:
    return APIError(STATUS_OF.get(exc.code, 400), exc.code, exc.message)


def _box(request: web.Request) -> MessageBox:
    return request.app[keys.messagebox_key]


def _host_site(request: web.Request) -> str | None:
    """The calling host site's origin; 403 for an origin that is neither Nabij nor listed."""
    origin = request.headers.get("Origin")
    if origin is not None and origin not in request.app[keys.settings_key].allowed_origins:
        raise APIError(403, "forbidden", "This site may not use the message box.")
    return origin


def _answer(request: web.Request, origin: str | None, **fields: Any) -> web.Response:
    response = web.json_response({"ok": True, **fields}, headers={"Cache-Control": "no-store"})
    if origin in request.app[keys.settings_key].widget_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


async def preflight(request: web.Request) -> web.Response:
    """``OPTIONS``: POST with a JSON body allowed for the listed host sites, nobody else."""
    origin = request.headers.get("Origin")
    response = web.Response(status=204)
    if origin and origin in request.app[keys.settings_key].widget_origins:
        response.headers.update(
            {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            }
        )
    return response


async def leave_handler(request: web.Request) -> web.Response:
    """``{audience, lang, body}`` → ``{ok, code}``: the code is shown once, stored hashed."""
    origin = _host_site(request)
    payload = await _payload(request, LeaveMessage)
    try:
        code = await _box(request).leave(
            request_address_key(request),
            audience=payload.audience,
            lang=payload.lang,
            body=payload.body,
        )
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return _answer(request, origin, code=code)


async def thread_handler(request: web.Request) -> web.Response:
    """``{code}`` → ``{ok, thread}``; 404 ``not_found`` for a wrong or deleted code."""
    origin = _host_site(request)
    payload = await _payload(request, CodeOnly)
    try:
        shown = await _box(request).read(request_address_key(request), payload.code)
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return _answer(request, origin, thread=shown.as_dict(for_staff=False))


async def reply_handler(request: web.Request) -> web.Response:
    """``{code, body}`` → ``{ok, thread}``: the visitor's one answer to the expert's reply."""
    origin = _host_site(request)
    payload = await _payload(request, CodeAndBody)
    try:
        shown = await _box(request).reply(request_address_key(request), payload.code, payload.body)
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return _answer(request, origin, thread=shown.as_dict(for_staff=False))


async def close_handler(request: web.Request) -> web.Response:
    """``{code}`` → ``{ok}``: the thread and every message of it are deleted for good."""
    origin = _host_site(request)
    payload = await _payload(request, CodeOnly)
    try:
        await _box(request).close(request_address_key(request), payload.code)
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return _answer(request, origin)


def _thread_id(request: web.Request) -> int:
    raw = request.match_info["thread_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or int(raw) > 2**31 - 1:
        raise APIError(404, "not_found", "No such message.")
    return int(raw)


async def staff_list_handler(request: web.Request) -> web.Response:
    """``{ok, count, messages: [...]}``: the messages this expert may answer now."""
    user = await require_staff(request)
    waiting = await _box(request).waiting(user.id)
    items = [waiting_as_dict(item, user.id) for item in waiting]
    return web.json_response({"ok": True, "count": len(items), "messages": items})


async def staff_claim_handler(request: web.Request) -> web.Response:
    """Claim a message → ``{ok, thread}``; 409 ``taken`` when a colleague was first."""
    user = await require_staff(request)
    try:
        shown = await _box(request).claim(user.id, _thread_id(request))
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return web.json_response({"ok": True, "thread": shown.as_dict(for_staff=True)})


async def staff_thread_handler(request: web.Request) -> web.Response:
    """A message this expert claimed → ``{ok, thread}``."""
    user = await require_staff(request)
    try:
        shown = await _box(request).open_claimed(user.id, _thread_id(request))
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return web.json_response({"ok": True, "thread": shown.as_dict(for_staff=True)})


async def staff_answer_handler(request: web.Request) -> web.Response:
    """``{body}`` → ``{ok, registration}``: the answer, and the pending registration it makes."""
    user = await require_staff(request)
    payload = await _payload(request, AnswerBody)
    try:
        registration = await _box(request).answer(user.id, _thread_id(request), payload.body)
    except MessageBoxError as exc:
        raise _refused(exc) from None
    return web.json_response({"ok": True, "registration": registration})
