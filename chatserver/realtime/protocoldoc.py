"""docs/protocol.md's payload tables, generated from the event declarations.

``python -m chatserver.realtime.protocoldoc`` rewrites every block between
``<!-- generated: KEY -->`` and ``<!-- end generated -->``: ``KEY`` is ``field types`` (§3.3:
every payload field and its rule) or an event (``/staff chat:transfer``: its payload table
and its ack's fields). tests/test_socket_events.py fails when the committed file is not
what this writes, or when an event has no block.
"""

from __future__ import annotations

import re
import sys
import typing
from pathlib import Path

from chatserver.realtime.events import EVENTS, Event
from chatserver.realtime.payloads import Reply
from chatserver.schema import fields_of, markdown_table, phrase

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
FIELD_TYPES = "field types"
_BLOCK = re.compile(r"(<!-- generated: (.+?) -->\n)(.*?)(<!-- end generated -->)", re.S)


def reply_type(event: Event) -> type[Reply]:
    """The ack a handler returns, from its annotation."""
    reply: type[Reply] = typing.get_type_hints(event.handler)["return"]
    return reply


def ack_fields(event: Event) -> str:
    """``{ok: true, id, seq, sent_at}``: the fields of the event's ack."""
    names = [f.encode_name for f in fields_of(reply_type(event))]  # type: ignore[arg-type]
    return "{" + ", ".join(["ok: true", *names]) + "}"


def event_block(event: Event) -> str:
    """The payload table (or "no payload") and the ack of one event."""
    if fields_of(event.payload):
        payload = f"Payload:\n\n{markdown_table(event.payload)}"
    else:
        payload = "Payload: none, `null` or `{}`."
    return f"{payload}\n\nAck: `{ack_fields(event)}`. Access: {event.access}.\n"


def field_types() -> str:
    """Every payload field with its rule, and the events that take it (§3.3)."""
    rules: dict[str, str] = {}
    used: dict[str, list[str]] = {}
    for event in EVENTS:
        for declared in fields_of(event.payload):
            rule = phrase(declared.type)
            assert rules.setdefault(declared.encode_name, rule) == rule, declared.encode_name
            used.setdefault(declared.encode_name, []).append(f"`{event.name}`")
    rows = ["| field | rule | in |", "| --- | --- | --- |"]
    for name, rule in rules.items():
        rows.append(f"| `{name}` | {rule} | {', '.join(dict.fromkeys(used[name]))} |")
    return "\n".join(rows) + "\n"


def blocks() -> dict[str, str]:
    """Every generated block's text by its key."""
    return {FIELD_TYPES: field_types(), **{e.key: event_block(e) for e in EVENTS}}


def render(text: str) -> str:
    """``text`` with every generated block written anew; KeyError names an unknown key."""
    generated = blocks()
    return _BLOCK.sub(lambda m: f"{m.group(1)}\n{generated[m.group(2)]}\n{m.group(4)}", text)


def missing(text: str) -> list[str]:
    """The keys that have no block in ``text``."""
    present = {m.group(2) for m in _BLOCK.finditer(text)}
    return [key for key in blocks() if key not in present]


def main() -> int:
    """Rewrite docs/protocol.md; exit 1 naming the events without a block."""
    text = DOCUMENT.read_text(encoding="utf-8")
    DOCUMENT.write_text(render(text), encoding="utf-8")
    for key in missing(text):
        print(f"no generated block for {key}", file=sys.stderr)
    return 1 if missing(text) else 0


if __name__ == "__main__":
    raise SystemExit(main())
