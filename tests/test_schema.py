"""chatserver/schema.py: strict typed payloads, and errors that say what the field must be."""

from __future__ import annotations

from typing import Literal

import pytest

from chatserver.schema import (
    ClientId,
    ConversationId,
    MessageBody,
    Note,
    Payload,
    RowId,
    SchemaError,
    decode,
    markdown_table,
)


class Sample(Payload):
    conversation_id: ConversationId
    client_id: ClientId
    body: MessageBody
    to_expert_id: RowId | None = None
    note: Note = ""
    lang: Literal["nl", "en"] = "nl"
    available: bool = False


GOOD = {"conversation_id": "a" * 32, "client_id": "c-1", "body": "hallo"}


def error_of(data: object) -> SchemaError:
    with pytest.raises(SchemaError) as caught:
        decode(data, Sample)
    return caught.value


def test_a_good_payload_becomes_a_typed_value_with_its_defaults() -> None:
    payload = decode({**GOOD, "to_expert_id": 7}, Sample)
    assert (payload.body, payload.to_expert_id, payload.lang, payload.note) == (
        "hallo",
        7,
        "nl",
        "",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"body": 5}, "body", "Invalid body: must be text of 1 to 2000 characters, not blank"),
        ({"body": "   "}, "body", "not blank"),
        ({"body": "a\x00b"}, "body", "without NUL characters"),
        ({"body": "x" * 2001}, "body", "1 to 2000 characters"),
        ({"conversation_id": "é" * 32}, "conversation_id", "of ASCII letters and digits"),
        ({"to_expert_id": True}, "to_expert_id", "whole number from 1 to 2147483647 (or null)"),
        ({"to_expert_id": 0}, "to_expert_id", "whole number from 1"),
        ({"to_expert_id": 1.0}, "to_expert_id", "whole number"),
        ({"lang": "de"}, "lang", "Invalid lang: must be one of en, nl."),
        ({"available": 1}, "available", "Invalid available: must be true or false."),
        ({"colour": "red"}, "colour", "Unknown field: colour."),
    ],
)
def test_each_bad_field_is_named_with_its_rule(
    change: dict[str, object], field: str, message: str
) -> None:
    error = error_of({**GOOD, **change})
    assert error.field == field
    assert message in error.message


def test_a_missing_field_and_a_non_object_are_said_plainly() -> None:
    missing = error_of({"client_id": "c", "body": "b"})
    assert (missing.field, missing.message) == (
        "conversation_id",
        "Missing field: conversation_id.",
    )
    assert error_of(["not", "an", "object"]).message == "The payload must be an object."
    assert error_of(None).message == "Missing field: conversation_id."


def test_the_protocol_table_is_made_from_the_declaration() -> None:
    table = markdown_table(Sample).splitlines()
    assert table[0] == "| field | rule | required |"
    note_rule = "must be text of 0 to 500 characters, without NUL characters"
    assert f'| `note` | {note_rule} | no (default `""`) |' in table
    assert any(row.startswith("| `body` |") and row.endswith("| yes |") for row in table)
