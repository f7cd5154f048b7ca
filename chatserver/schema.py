"""Typed payloads: every socket event, HTTP body and query is one declared msgspec Struct.

A payload class is its own documentation and its own check. ``decode`` converts the JSON
value a client sent (already read by strictjson) into an instance, strictly: no unknown
field, no missing one, no ``1`` for ``true`` or ``"5"`` for ``5``, and the limits of
docs/protocol.md (lengths, ranges, ids, no NUL) written in the annotation itself. A bad
value raises ``SchemaError`` with the message the client sees; the text comes from the
declaration (``describe``), so the message, the check and the generated protocol tables
(``markdown_table``) cannot drift apart.

Example::

    class SendMessage(Payload):
        conversation_id: ConversationId
        client_id: ClientId
        body: MessageBody

    payload = decode(data, SendMessage)   # SendMessage, or SchemaError
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, TypeVar

import msgspec
from msgspec import Meta, inspect

MAX_MESSAGE_CHARS: Final = 2000
MAX_NOTE_CHARS: Final = 500
MAX_CLIENT_ID_CHARS: Final = 64
#: The largest id a client may name (a PostgreSQL ``integer``).
MAX_ROW_ID: Final = 2**31 - 1

#: No NUL anywhere: PostgreSQL text refuses it, and no person types one.
NO_NUL: Final = r"^[^\x00]*$"
#: Not blank and no NUL: at least one character that is neither space nor NUL.
NOT_BLANK: Final = r"^[^\x00]*[^\x00\s][^\x00]*$"
#: An id made by the server (hex tokens, conversation ids): ASCII letters and digits.
ASCII_ID: Final = r"^[0-9A-Za-z]+$"

#: What each pattern asks, as the tail of "must be text of 1 to 64 characters, …".
PATTERN_PHRASES: Final = {
    NO_NUL: "without NUL characters",
    NOT_BLANK: "not blank, without NUL characters",
    ASCII_ID: "of ASCII letters and digits",
}


def text(min_length: int, max_length: int, pattern: str = NO_NUL) -> Any:
    """A string of ``min_length``..``max_length`` characters matching ``pattern``.

    For types made at run time; a named type is written out as ``Annotated[str, Meta(...)]``
    (below) so that mypy sees a ``str``.
    """
    return Annotated[str, Meta(min_length=min_length, max_length=max_length, pattern=pattern)]


def whole_number(low: int, high: int) -> Any:
    """A JSON integer in ``low``..``high`` (a boolean is not an integer); see ``text``."""
    return Annotated[int, Meta(ge=low, le=high)]


ConversationId = Annotated[str, Meta(min_length=32, max_length=32, pattern=ASCII_ID)]
ClientId = Annotated[str, Meta(min_length=1, max_length=MAX_CLIENT_ID_CHARS, pattern=NO_NUL)]
#: ``secrets.token_hex(8)``, as chatserver/chat/alerts.py makes them.
AlertId = Annotated[str, Meta(min_length=16, max_length=16, pattern=ASCII_ID)]
MessageBody = Annotated[str, Meta(min_length=1, max_length=MAX_MESSAGE_CHARS, pattern=NOT_BLANK)]
Note = Annotated[str, Meta(min_length=0, max_length=MAX_NOTE_CHARS, pattern=NO_NUL)]
RowId = Annotated[int, Meta(ge=1, le=MAX_ROW_ID)]


class Payload(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every declared payload: strict and closed (an unknown field is refused)."""


P = TypeVar("P", bound=Payload)


class SchemaError(ValueError):
    """A value that does not fit its declaration; ``message`` is what the client is told."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The top-level field at fault, or None when the whole payload is (not an object).
        self.field = field


def decode(data: Any, payload_type: type[P]) -> P:
    """``data`` as a ``payload_type``, or SchemaError naming the first field at fault.

    ``None`` stands for "no payload": accepted when every field has a default.
    """
    if data is None:
        data = {}
    try:
        return msgspec.convert(data, payload_type, strict=True)
    except msgspec.ValidationError as exc:
        raise translate(exc, payload_type) from None


_PATH = re.compile(r" - at `\$\.?([A-Za-z_][A-Za-z0-9_]*)?[^`]*`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(.*)`")
_MISSING = re.compile(r"^Object missing required field `(.*)`")


def translate(exc: msgspec.ValidationError, payload_type: type[Payload]) -> SchemaError:
    """msgspec's error in the words of docs/protocol.md: the field and what it must be."""
    message = str(exc)
    at = _PATH.search(message)
    field = at.group(1) if at else None
    if at is not None:
        message = message[: at.start()]
    if field is not None:
        return SchemaError(f"Invalid {field}: {describe(payload_type, field)}.", field)
    if unknown := _UNKNOWN.match(message):
        return SchemaError(f"Unknown field: {unknown.group(1)}.", unknown.group(1))
    if missing := _MISSING.match(message):
        return SchemaError(f"Missing field: {missing.group(1)}.", missing.group(1))
    if message.startswith("Expected `object`"):
        return SchemaError("The payload must be an object.")
    return SchemaError(f"Invalid payload: {message}.")


def fields_of(payload_type: type[Payload]) -> tuple[inspect.Field, ...]:
    """The declared fields of ``payload_type``, in declaration order."""
    info = inspect.type_info(payload_type)
    assert isinstance(info, inspect.StructType), payload_type
    return info.fields


def describe(payload_type: type[Payload], field: str) -> str:
    """What a valid ``field`` of ``payload_type`` is: "must be 1 to 2000 characters, …"."""
    for declared in fields_of(payload_type):
        if declared.encode_name == field:
            return phrase(declared.type)
    return "is not a field of this payload"


def phrase(info: inspect.Type) -> str:
    """The rule of one declared type, as the tail of "Invalid x: …"."""
    if isinstance(info, inspect.UnionType):
        kinds = [t for t in info.types if not isinstance(t, inspect.NoneType)]
        nullable = len(kinds) < len(info.types)
        rule = " or ".join(phrase(kind) for kind in kinds)
        return f"{rule} (or null)" if nullable else rule
    if isinstance(info, inspect.StrType):
        return _text_phrase(info)
    if isinstance(info, inspect.IntType):
        return _number_phrase(info)
    if isinstance(info, inspect.BoolType):
        return "must be true or false"
    if isinstance(info, inspect.LiteralType):
        return "must be one of " + ", ".join(str(value) for value in info.values)
    if isinstance(info, inspect.ListType):
        most = f"at most {info.max_length} " if info.max_length is not None else ""
        return f"must be a list of {most}values that each {phrase(info.item_type)}"
    return f"must be {type(info).__name__.removesuffix('Type').lower()}"


def _text_phrase(info: inspect.StrType) -> str:
    low, high = info.min_length or 0, info.max_length
    if high is None:
        size = "must be text"
    elif low == high:
        size = f"must be text of {high} characters"
    else:
        size = f"must be text of {low} to {high} characters"
    rule = PATTERN_PHRASES.get(info.pattern or "")
    if info.pattern and rule is None:
        rule = f"matching {info.pattern}"
    return f"{size}, {rule}" if rule else size


def _number_phrase(info: inspect.IntType) -> str:
    low, high = info.ge, info.le
    if low is not None and high is not None:
        return f"must be a whole number from {low} to {high}"
    if low is not None:
        return f"must be a whole number of at least {low}"
    return "must be a whole number"


def markdown_table(payload_type: type[Payload]) -> str:
    """The payload as a docs/protocol.md table: field, rule, required or its default."""
    rows = ["| field | rule | required |", "| --- | --- | --- |"]
    for declared in fields_of(payload_type):
        needed = "yes" if declared.required else f"no (default `{_default(declared)}`)"
        rows.append(f"| `{declared.encode_name}` | {phrase(declared.type)} | {needed} |")
    return "\n".join(rows)


def _default(declared: inspect.Field) -> str:
    value = declared.default
    if value is msgspec.NODEFAULT and declared.default_factory is not msgspec.NODEFAULT:
        value = declared.default_factory()
    return msgspec.json.encode(value).decode()
