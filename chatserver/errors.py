"""Protocol errors and the ack shapes of every Socket.IO reply."""

from __future__ import annotations

from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

#: Every error code the service sends, with its meaning (docs/protocol.md lists them too).
ERROR_CODES = {
    "invalid": "The event is unknown or its payload failed validation; nothing changed.",
    "closed": "No expert is on the roster and online now; see next_opening.",
    "rate_limited": "Too many requests; try again later.",
    "taken": "Another expert took this chat first.",
    "at_capacity": "You already have as many chats as your capacity allows.",
    "not_on_shift": "You are not on a shift now.",
    "forbidden": "This conversation is not yours.",
    "not_found": "No such conversation (or it has ended and been erased).",
    "ended": "The conversation has ended.",
    "unavailable": "That expert is offline or has no room for another chat.",
    "unauthorized": "Sign in first.",
    "draining": "This server is restarting; reconnect and try again in a moment.",
    "temporarily_unavailable": "Chat is briefly unavailable on our side; try again in a moment.",
    "internal": "Something went wrong on our side; nothing was lost.",
}

Ack = dict[str, Any]

#: Redis or the database is down, restarting or cut off: an outage to say so about (a
#: ``temporarily_unavailable`` ack, a 503, a one-line warning), never a crash or a traceback.
OUTAGES: tuple[type[Exception], ...] = (RedisError, DBAPIError, OSError)


class ProtocolError(Exception):
    """A refusal with a code of ERROR_CODES; handlers turn it into an ``ok: false`` ack."""

    def __init__(self, code: str, message: str | None = None, **extra: Any) -> None:
        assert code in ERROR_CODES, code
        super().__init__(code)
        self.code = code
        self.message = message or ERROR_CODES[code]
        self.extra = extra

    def ack(self) -> Ack:
        """Return the ``ok: false`` ack for this error."""
        return {"ok": False, "error": {"code": self.code, "message": self.message}, **self.extra}


def ok(**fields: Any) -> Ack:
    """Return an ``ok: true`` ack with the given fields."""
    return {"ok": True, **fields}
