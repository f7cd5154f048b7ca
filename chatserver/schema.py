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
from typing import Annotated, Any, Final, Literal, TypeVar, get_type_hints

import msgspec
from msgspec import Meta, inspect

MAX_MESSAGE_CHARS: Final = 2000
MAX_NOTE_CHARS: Final = 500
MAX_CLIENT_ID_CHARS: Final = 64
#: The largest id a client may name (a PostgreSQL ``integer``).
MAX_ROW_ID: Final = 2**31 - 1

#: No NUL anywhere: PostgreSQL text refuses it, and no person types one.
NO_NUL: Final = r"^[^\x00]*+$"
#: Not blank and no NUL: at least one character that is neither space nor NUL. Written so
#: that each character has one way to match (``\s`` holds no NUL): linear time, where
#: ``[^\x00]*[^\x00\s][^\x00]*`` backtracked quadratically on a body ending in NUL
#: (7 ms for 2000 characters, before any rate limit applies).
NOT_BLANK: Final = r"^\s*+[^\x00\s][^\x00]*+$"
#: An id made by the server (hex tokens, conversation ids): ASCII letters and digits.
ASCII_ID: Final = r"^[0-9A-Za-z]+$"

#: What each pattern asks, as the tail of "must be text of 1 to 64 characters, …".
PATTERN_PHRASES: Final = {
    NO_NUL: "without NUL characters",
    NOT_BLANK: "not blank, without NUL characters",
    ASCII_ID: "of ASCII letters and digits",
}


#: nabij.vocab.AUDIENCES and LANGUAGES as types (tests/test_socket_events.py keeps them equal).
Audience = Literal["victim", "perpetrator", "relative", "professional", "unknown"]
Language = Literal["nl", "en"]
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
    if isinstance(info, inspect.Metadata):  # a ``said`` field: the rule is underneath
        return phrase(info.type)
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
    if isinstance(info, inspect.StructType):
        return "must be an object {" + ", ".join(f.encode_name for f in info.fields) + "}"
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


def said(message: str) -> Meta:
    """Metadata telling a field's refusal in its own words: ``Annotated[int, said("…")]``.

    For forms whose pages translate the API's fixed messages (chatserver/console/api_texts.py):
    the declaration keeps the wording those pages know. Write named types as
    ``Annotated[str, Meta(...)]`` aliases, so that mypy keeps the field's type. See
    ``field_errors``.
    """
    return Meta(extra={"message": message})


def own_message(payload_type: type[Payload], field: str) -> str | None:
    """The message ``said`` gave ``field``, or None."""
    for declared in fields_of(payload_type):
        if declared.encode_name == field:
            return _said(declared.type)
    return None


def _said(info: inspect.Type) -> str | None:
    """The ``said`` message on ``info``, or on one of its alternatives (``X | None``)."""
    if isinstance(info, inspect.Metadata):
        message = (info.extra or {}).get("message")
        return str(message) if message is not None else _said(info.type)
    if isinstance(info, inspect.UnionType):
        return next((m for m in map(_said, info.types) if m is not None), None)
    return None


#: What ``field_errors`` says of a field that is not declared, and of a missing one.
UNKNOWN_FIELD: Final = "Unknown field."
REQUIRED_FIELD: Final = "Required."


def field_errors(data: Any, payload_type: type[Payload]) -> dict[str, str]:
    """Every top-level field of ``data`` at fault, each with its message (not only the first).

    ``decode`` stops at the first fault; a form shows them all at once. The message is the
    field's ``said`` one, else "Unknown field.", "Required." or the generated rule.
    """
    if not isinstance(data, dict):
        return {}
    hints = get_type_hints(payload_type, include_extras=True)
    names = {declared.encode_name for declared in fields_of(payload_type)}
    errors = {str(name): UNKNOWN_FIELD for name in data if name not in names}
    for declared in fields_of(payload_type):
        name = declared.encode_name
        if name not in data:
            if declared.required:
                errors[name] = own_message(payload_type, name) or REQUIRED_FIELD
            continue
        try:
            msgspec.convert(data[name], hints[declared.name], strict=True)
        except msgspec.ValidationError:
            errors[name] = own_message(payload_type, name) or (
                f"Invalid {name}: {describe(payload_type, name)}."
            )
    return errors


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
    if value is msgspec.NODEFAULT or value is msgspec.UNSET:
        return "left out"  # an ``UNSET`` field: absent means "leave as it is"
    return msgspec.json.encode(value).decode()
