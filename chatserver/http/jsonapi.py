"""JSON helpers of the HTTP API: one error shape everywhere, strict body parsing.

Who may call a route is its declaration's (http/declared.py), not a handler's.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from chatserver import strictjson


def json_error(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> web.Response:
    """``{"ok": false, "error": {code, message[, fields]}}`` with an HTTP status."""
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return web.json_response({"ok": False, "error": error}, status=status)


class APIError(web.HTTPException):
    """Raised by handlers; the middleware turns it into ``json_error``."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        self.status_code = status
        super().__init__()
        self.response = json_error(status, code, message, fields)


async def read_json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 ``invalid``: the one reader of JSON bodies.

    strictjson bounds the nesting and the integers and refuses lone surrogates, so no body
    reaches Python's recursion limit or an encoder that cannot store it (docs/protocol.md).
    """
    if request.content_type != "application/json":
        raise APIError(415, "invalid", "Send JSON with Content-Type: application/json.")
    try:
        body = strictjson.loads(await request.read())
    except strictjson.JSONRejected as exc:
        raise APIError(400, "invalid", f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise APIError(400, "invalid", "The body must be a JSON object.")
    return body
