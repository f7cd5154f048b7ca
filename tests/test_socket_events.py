"""The socket event table (chatserver/realtime/events.py) is the one way in, and documented.

Dispatch: only a declared event reaches a handler; its payload is decoded as declared; its
ack is the declared reply. docs/protocol.md's payload tables are what the declarations say.
"""

from __future__ import annotations

import inspect
import re
import time
import typing

import msgspec
import pytest

from chatserver.errors import ProtocolError
from chatserver.realtime import payloads as p
from chatserver.realtime import protocoldoc
from chatserver.realtime.base import ProtocolNamespace, decode_payload
from chatserver.realtime.events import EVENTS, events_of
from chatserver.realtime.staff import StaffNamespace
from chatserver.realtime.visitor import VisitorNamespace
from chatserver.schema import NOT_BLANK
from nabij.vocab import AUDIENCES, LANGUAGES
from tests.harness import Nabij

NAMESPACES: dict[str, type[ProtocolNamespace]] = {
    "/visitor": VisitorNamespace,
    "/staff": StaffNamespace,
}


def test_the_vocabulary_types_are_the_vocabulary() -> None:
    assert set(typing.get_args(p.Audience)) == set(AUDIENCES)
    assert set(typing.get_args(p.Language)) == set(LANGUAGES)


def test_each_event_is_declared_once_with_a_handler_of_its_namespace() -> None:
    keys = [e.key for e in EVENTS]
    assert len(keys) == len(set(keys))
    for event in EVENTS:
        namespace = NAMESPACES[event.namespace]
        assert getattr(namespace, event.handler.__name__) is event.handler, event.key
        assert event.access in namespace.ACCESS, event.key


def test_each_handler_takes_the_declared_payload_and_returns_a_reply() -> None:
    for event in EVENTS:
        hints = typing.get_type_hints(event.handler)
        assert hints["payload"] is event.payload, event.key
        assert issubclass(hints["return"], p.Reply), event.key


def test_no_handler_is_found_by_its_name() -> None:
    """python-socketio's ``on_<event>`` lookup is gone: only connect and disconnect remain."""
    for namespace in NAMESPACES.values():
        named = {n for n, _ in inspect.getmembers(namespace) if n.startswith("on_")}
        assert named == {"on_connect", "on_disconnect"}, namespace


async def test_an_undeclared_event_is_invalid_even_with_a_method_of_its_name(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    for event in ("chat_accept", "on_chat_accept", "apply_access", "authorize", "chat:secret"):
        ack = await anna.call(event, {"conversation_id": "a" * 32})
        assert ack["error"] == {"code": "invalid", "message": "Unknown event."}, event


async def test_a_coordinator_event_is_refused_to_an_expert_by_the_table(nabij: Nabij) -> None:
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    for event in [e for e in EVENTS if e.access == "coordinator"]:
        payload = {"alert_id": "0" * 16} if event.name == "alert:ack" else None
        if event.payload is p.OneConversation:
            payload = {"conversation_id": "a" * 32}
        ack = await anna.call(event.name, payload)
        assert ack["error"] == {
            "code": "forbidden",
            "message": "This needs the coordinator role.",
        }, event.key


def test_a_bad_payload_is_invalid_with_the_declared_rule() -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_payload({"client_id": "c1", "body": "   "}, p.SendVisitorMessage)
    assert refused.value.code == "invalid"
    assert refused.value.message == (
        "Invalid body: must be text of 1 to 2000 characters, not blank, without NUL characters."
    )
    assert decode_payload(None, p.EndVisitorChat).reason == "ended"


def test_not_blank_agrees_with_strip_and_takes_linear_time() -> None:
    pattern = re.compile(NOT_BLANK)
    for sample in ("a", " a ", "  ", "", "a\x00", "\x00a", " \n\tb", "\u3000x", "\u3000", "\x1f"):
        assert bool(pattern.match(sample)) == bool(sample.strip() and "\x00" not in sample)
    # Quadratic backtracking took seconds here; a linear match takes well under a millisecond.
    for hostile in ("a" * 50_000 + "\x00", " " * 50_000 + "\x00"):
        started = time.perf_counter()
        assert pattern.match(hostile) is None
        assert time.perf_counter() - started < 0.5


def test_an_ack_is_ok_first_then_the_declared_fields() -> None:
    reply = p.MessageSent(id="0123456789abcdef", seq=3, sent_at="2026-01-01T00:00:00.000Z")
    ack = {"ok": True, **msgspec.to_builtins(reply)}
    assert list(ack) == ["ok", "id", "seq", "sent_at"]
    moved = p.Transferred(to_expert=p.ExpertRef(id=2, display_name="Bert"))
    assert msgspec.to_builtins(moved) == {"to_expert": {"id": 2, "display_name": "Bert"}}


def test_the_protocol_document_is_generated_from_the_declarations() -> None:
    text = protocoldoc.DOCUMENT.read_text(encoding="utf-8")
    assert protocoldoc.missing(text) == []
    assert protocoldoc.render(text) == text, "run python -m chatserver.realtime.protocoldoc"


def test_the_generated_blocks_change_with_a_declaration() -> None:
    text = protocoldoc.DOCUMENT.read_text(encoding="utf-8")
    stale = text.replace("must be text of 0 to 500 characters", "must be text of 0 to 400")
    assert stale != text and protocoldoc.render(stale) == text


def test_both_namespaces_dispatch_every_declared_event() -> None:
    assert {e.key for e in EVENTS} == {
        f"{ns} {name}" for ns in NAMESPACES for name in events_of(ns)
    }
