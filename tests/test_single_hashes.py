"""One hash for secret tokens and one keyed hash for client addresses (issue 16, "Also").

Two copies of a hash drift: one gets a prefix, a length or a key the other lacks, and a
token or an address stops matching across the two sides. These tests keep one of each.
"""

from __future__ import annotations

import ast
import hashlib
import secrets
from pathlib import Path

from chatserver import clientaddress
from chatserver.realtime import visitor
from nabij.settings import Secret, Settings
from staffing.sessions import hash_token

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("chatserver", "staffing", "registration", "nabij")


def _calls(name: str) -> list[tuple[str, str]]:
    """``(path:line, source of the arguments)`` of every call of ``name`` (function or method)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source)):
                func = node.func if isinstance(node, ast.Call) else None
                called = getattr(func, "attr", None) or getattr(func, "id", None)
                if isinstance(node, ast.Call) and called == name:
                    args = " ".join(ast.get_source_segment(source, a) or "" for a in node.args)
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", args))
    return found


def test_tokens_are_hashed_in_one_place() -> None:
    """Only hash_token takes the SHA-256 of a token."""
    elsewhere = [
        where
        for where, args in _calls("sha256")
        if "token" in args.lower() and not where.startswith("staffing/sessions.py")
    ]
    assert elsewhere == []
    assert hash_token("t0k\u00e9n") == hashlib.sha256("t0k\u00e9n".encode()).hexdigest()


def test_addresses_are_keyed_in_one_place() -> None:
    """The one-hop rule and the keyed hash are applied together, by one function only."""
    keyed = [where for where, _ in _calls("address_key")]
    assert [w for w in keyed if not w.startswith("chatserver/clientaddress.py")] == []
    located = [where for where, _ in _calls("client_address")]
    allowed = ("chatserver/clientaddress.py", "chatserver/realtime/visitor.py")
    assert [w for w in located if not w.startswith(allowed)] == []


def test_socket_and_http_count_a_client_by_the_same_key() -> None:
    settings = Settings(secret_key=Secret(secrets.token_urlsafe(48)), trusted_proxy=True)
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.4"}
    by_socket = clientaddress.hashed_client_address(settings, *visitor.socket_origin(environ))
    by_http = clientaddress.hashed_client_address(
        settings, "127.0.0.1", "203.0.113.9, 198.51.100.4"
    )
    expected = clientaddress.address_key(settings.secret_key.reveal().encode(), "198.51.100.4")
    assert by_socket == by_http == expected
