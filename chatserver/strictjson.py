"""JSON from outside, read with bounds: the one parser of HTTP bodies and socket packets.

The standard library reads any nesting until Python's recursion limit (a 60,000-deep array
is a ``RecursionError``), any integer up to 4,300 digits (and then a ``ValueError`` from
deep inside), ``NaN`` and ``Infinity``, and ``"\\ud800"`` as a lone surrogate that no
UTF-8 encoder (aiohttp, asyncpg, redis-py, SQLite) will take later. ``loads`` refuses all
of these up front with one exception type, so a caller has one thing to catch and the
handlers only ever see values every layer below can store and send.

The checks cost nothing on an ordinary chat message: the depth is scanned only when the
text holds more brackets than the limit, and the strings are walked only when the text
holds an escape or a character beyond ASCII.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: Deepest nesting of arrays and objects accepted; our payloads need three.
MAX_DEPTH = 32
#: Most arrays and objects in one text (a bound on the depth scan's work); ours hold a few.
MAX_CONTAINERS = 1000
#: Longest integer literal accepted (digits and sign): every 64-bit integer fits.
MAX_INT_CHARS = 20

#: A string, or an unterminated one up to the end: every match attempt succeeds, so the
#: scan stays linear (a failing pattern restarted at each quote was quadratic).
_STRING = re.compile(r'"(?>[^"\\]*(?:\\.[^"\\]*)*)(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JSONRejected(ValueError):
    """The text is not JSON, or is JSON beyond what Nabij accepts (the message says which)."""


def loads(text: str | bytes | bytearray) -> Any:
    """The value of ``text``, or JSONRejected: bad syntax, bad UTF-8, too deep, too big."""
    if not isinstance(text, str):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONRejected("not UTF-8") from None
    containers = text.count("[") + text.count("{")  # strings included: an upper bound
    if containers > MAX_DEPTH:
        if containers > MAX_CONTAINERS and _containers(text) > MAX_CONTAINERS:
            raise JSONRejected(f"more than {MAX_CONTAINERS} arrays and objects")
        if _too_deep(text):
            raise JSONRejected(f"nested deeper than {MAX_DEPTH} (or unbalanced)")
    try:
        value = _DECODER.decode(text)
    except JSONRejected:
        raise
    except (ValueError, RecursionError):
        raise JSONRejected("not valid JSON") from None
    # A surrogate is either in the text already (never ASCII) or comes from an escape.
    if ("\\u" in text or not text.isascii()) and _holds_surrogate(value):
        raise JSONRejected("a string holds a lone surrogate")
    return value


def is_scalar_text(value: str) -> bool:
    """Whether ``value`` has only Unicode scalar values (encodes as UTF-8)."""
    try:
        value.encode("utf-8")  # faster than searching for the surrogate range
    except UnicodeEncodeError:
        return False
    return True


def _containers(text: str) -> int:
    """The arrays and objects of ``text``: its opening brackets outside strings."""
    outside = _STRING.sub("", text)
    return outside.count("[") + outside.count("{")


def _too_deep(text: str) -> bool:
    """Whether the brackets outside strings nest deeper than MAX_DEPTH (or do not balance).

    Each pass removes the innermost pairs, so brackets nested ``n`` deep are gone after
    ``n`` passes; every step is a C loop over the text, never a Python loop per bracket.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(MAX_DEPTH):
        if not brackets:
            return False
        brackets = brackets.replace("[]", "").replace("{}", "")
    return bool(brackets)


def _holds_surrogate(value: Any) -> bool:
    """Whether any string (or key) in ``value`` holds a lone surrogate; depth is bounded."""
    if isinstance(value, str):
        return not is_scalar_text(value)
    if isinstance(value, list):
        return any(_holds_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_surrogate(k) or _holds_surrogate(v) for k, v in value.items())
    return False


def _bounded_int(literal: str) -> int:
    if len(literal) > MAX_INT_CHARS:
        raise JSONRejected(f"an integer longer than {MAX_INT_CHARS} characters")
    return int(literal)


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise JSONRejected("a number beyond the range of a float")
    return value


def _no_constant(literal: str) -> Any:
    raise JSONRejected(f"{literal} is not JSON")


_DECODER = json.JSONDecoder(
    parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant
)
