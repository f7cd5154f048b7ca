"""Strict validation of event payloads: a wrong type, a missing or unknown key is ``invalid``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chatserver.errors import ProtocolError

MAX_MESSAGE_CHARS = 2000
MAX_NOTE_CHARS = 500
MAX_CLIENT_ID_CHARS = 64

Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    """One payload key: its check and whether it may be left out (then ``default``)."""

    check: Check
    required: bool = True
    default: Any = None


def parse(data: Any, fields: Mapping[str, Field]) -> dict[str, Any]:
    """Return the checked values of ``data``, or raise ProtocolError('invalid') naming the key."""
    if data is None and not any(f.required for f in fields.values()):
        data = {}
    if not isinstance(data, dict):
        raise ProtocolError("invalid", "The payload must be an object.")
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ProtocolError("invalid", f"Unknown field: {unknown[0]}.")
    values = {}
    for name, field in fields.items():
        if name not in data:
            if field.required:
                raise ProtocolError("invalid", f"Missing field: {name}.")
            values[name] = field.default
            continue
        try:
            values[name] = field.check(data[name])
        except (TypeError, ValueError) as exc:
            raise ProtocolError("invalid", f"Invalid {name}: {exc}") from None
    return values


def text(min_len: int, max_len: int, *, strip: bool = False) -> Check:
    """A string of ``min_len``..``max_len`` characters (after stripping, when asked)."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError("must be text")
        checked = value.strip() if strip else value
        if not min_len <= len(checked) <= max_len:
            raise ValueError(f"must be {min_len} to {max_len} characters")
        if "\x00" in checked:
            raise ValueError("must not contain NUL characters")
        return checked

    return check


def message_body(value: Any) -> str:
    """A message: not blank, at most MAX_MESSAGE_CHARS."""
    body: str = text(1, MAX_MESSAGE_CHARS)(value)
    if not body.strip():
        raise ValueError("must not be blank")
    return body


def choice(options: tuple[str, ...]) -> Check:
    """One of ``options``."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value

    return check


def boolean(value: Any) -> bool:
    """A JSON boolean (not 0/1, not a string)."""
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def integer(low: int, high: int) -> Check:
    """A JSON integer in ``low``..``high`` (a boolean is not an integer)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("must be a whole number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return check


def optional(check: Check) -> Check:
    """``check``, or JSON null."""

    def optional_check(value: Any) -> Any:
        return None if value is None else check(value)

    return optional_check


CONVERSATION_ID = text(32, 32)
CLIENT_ID = text(1, MAX_CLIENT_ID_CHARS)
#: ``secrets.token_hex(8)``, as chatserver/chat/alerts.py makes them.
ALERT_ID = text(16, 16)
