"""The message box over HTTP: visitors leave and read messages without a socket or cookie.

``POST /api/messages`` leaves a message and answers the pickup code; ``/thread``, ``/reply``
and ``/close`` take that code. Host sites listed in ``NABIJ_WIDGET_ORIGINS`` may call them
cross-origin (the preflight is answered for those alone, never with credentials); other
origins are refused. Experts list, claim and answer messages under ``/api/staff/messages``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.http.auth import request_address_key
from chatserver.http.declared import Body
from chatserver.http.jsonapi import APIError
from chatserver.http.params import path_id
from chatserver.messagebox.codes import MAX_TYPED_CHARS
from chatserver.messagebox.service import MessageBox, waiting_as_dict
from chatserver.messagebox.threads import MessageBoxError
from chatserver.schema import NO_NUL, Audience, Language, MessageBody
from staffing.models import StaffUser

#: The visitor's routes, which host sites may call cross-origin.
VISITOR_PATHS = frozenset(
    {"/api/messages", "/api/messages/thread", "/api/messages/reply", "/api/messages/close"}
)

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


class LeaveMessage(Body):
    """``POST /api/messages``."""

    audience: Audience
    body: MessageBody
    lang: Language = "nl"


class CodeOnly(Body):
    """``POST /api/messages/thread`` and ``/close``."""

    code: Code


class CodeAndBody(Body):
    """``POST /api/messages/reply``."""

    code: Code
    body: MessageBody


class AnswerBody(Body):
    """``POST /api/staff/messages/{id}/answer``."""

    body: MessageBody


@contextmanager
def refusals_as_http() -> Iterator[None]:
    """A refusal of the message box as its HTTP answer (``STATUS_OF``), nothing changed."""
    try:
        yield
    except MessageBoxError as exc:
        raise APIError(STATUS_OF.get(exc.code, 400), exc.code, exc.message) from None


def _box(request: web.Request) -> MessageBox:
    return request.app[keys.messagebox_key]


def host_sites_only(request: web.Request) -> None:
    """The visitor routes' ``admit``: 403 for an origin that is neither Nabij nor listed.

    Checked before the body is read, as an access check is.
    """
    origin = request.headers.get("Origin")
    if origin is not None and origin not in request.app[keys.settings_key].allowed_origins:
        raise APIError(403, "forbidden", "This site may not use the message box.")


def _host_site(request: web.Request) -> str | None:
    """The calling host site's origin (``host_sites_only`` admitted it)."""
    return request.headers.get("Origin")


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


async def leave_handler(request: web.Request, body: LeaveMessage) -> web.Response:
    """``{audience, lang, body}`` → ``{ok, code}``: the code is shown once, stored hashed."""
    origin = _host_site(request)
    with refusals_as_http():
        code = await _box(request).leave(
            request_address_key(request),
            audience=body.audience,
            lang=body.lang,
            body=body.body,
        )
    return _answer(request, origin, code=code)


async def thread_handler(request: web.Request, body: CodeOnly) -> web.Response:
    """``{code}`` → ``{ok, thread}``; 404 ``not_found`` for a wrong or deleted code."""
    origin = _host_site(request)
    with refusals_as_http():
        shown = await _box(request).read(request_address_key(request), body.code)
    return _answer(request, origin, thread=shown.as_dict(for_staff=False))


async def reply_handler(request: web.Request, body: CodeAndBody) -> web.Response:
    """``{code, body}`` → ``{ok, thread}``: the visitor's one answer to the expert's reply."""
    origin = _host_site(request)
    with refusals_as_http():
        shown = await _box(request).reply(request_address_key(request), body.code, body.body)
    return _answer(request, origin, thread=shown.as_dict(for_staff=False))


async def close_handler(request: web.Request, body: CodeOnly) -> web.Response:
    """``{code}`` → ``{ok}``: the thread and every message of it are deleted for good."""
    origin = _host_site(request)
    with refusals_as_http():
        await _box(request).close(request_address_key(request), body.code)
    return _answer(request, origin)


def _thread_id(request: web.Request) -> int:
    return path_id(request, "thread_id", "No such message.")


async def staff_list_handler(request: web.Request, user: StaffUser) -> web.Response:
    """``{ok, count, messages: [...]}``: the messages this expert may answer now."""
    waiting = await _box(request).waiting(user.id)
    items = [waiting_as_dict(item, user.id) for item in waiting]
    return web.json_response({"ok": True, "count": len(items), "messages": items})


async def staff_claim_handler(request: web.Request, user: StaffUser) -> web.Response:
    """Claim a message → ``{ok, thread}``; 409 ``taken`` when a colleague was first."""
    with refusals_as_http():
        shown = await _box(request).claim(user.id, _thread_id(request))
    return web.json_response({"ok": True, "thread": shown.as_dict(for_staff=True)})


async def staff_thread_handler(request: web.Request, user: StaffUser) -> web.Response:
    """A message this expert claimed → ``{ok, thread}``."""
    with refusals_as_http():
        shown = await _box(request).open_claimed(user.id, _thread_id(request))
    return web.json_response({"ok": True, "thread": shown.as_dict(for_staff=True)})


async def staff_answer_handler(
    request: web.Request, user: StaffUser, body: AnswerBody
) -> web.Response:
    """``{body}`` → ``{ok, registration}``: the answer, and the pending registration it makes."""
    with refusals_as_http():
        registration = await _box(request).answer(user.id, _thread_id(request), body.body)
    return web.json_response({"ok": True, "registration": registration})
