"""Pickup codes: made on the server, easy to write down, hard to guess, stored only hashed.

A code is five words of WORDS (8 bits each) and three digits: 40 + 9.97 = 49.97 bits, above
the 48 the design asks. ``appel-brug-kaars-molen-vos-417``: a visitor may type it with
spaces, capitals or other separators; ``normalize`` gives the one canonical form that is
hashed. Guessing is made slow by the rate limit on lookups, not by the hash: the code is
hashed with HMAC under the server secret so that a copy of the database alone cannot be
searched for codes.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from typing import Final

from chatserver.messagebox.words import WORDS

CODE_WORDS: Final = 5
CODE_DIGITS: Final = 3
#: The randomness of one code, in bits.
CODE_BITS: Final = CODE_WORDS * math.log2(len(WORDS)) + CODE_DIGITS * math.log2(10)
#: The longest text ``normalize`` looks at: a code with generous separators.
MAX_TYPED_CHARS: Final = 120

_KNOWN = frozenset(WORDS)
_PARTS = re.compile(r"[a-z]+|[0-9]+")
#: Domain separation: the same server secret also keys other hashes (addresses, tokens).
_HASH_CONTEXT: Final = b"nabij message box pickup code v1\x00"


def new_code() -> str:
    """A fresh code in its canonical form, from the operating system's randomness."""
    words = [secrets.choice(WORDS) for _ in range(CODE_WORDS)]
    digits = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    return "-".join([*words, digits])


def normalize(typed: str) -> str | None:
    """The canonical form of a code as a visitor typed it, or None when it cannot be one.

    Case, spaces, hyphens, dots and other separators do not matter; the words must be words
    of the list and the digits exactly CODE_DIGITS.
    """
    if len(typed) > MAX_TYPED_CHARS:
        return None
    parts = _PARTS.findall(typed.lower())
    words, digits = parts[:-1], parts[-1] if parts else ""
    if len(words) != CODE_WORDS or not all(word in _KNOWN for word in words):
        return None
    if len(digits) != CODE_DIGITS or not digits.isdigit():
        return None
    return "-".join([*words, digits])


def code_hash(secret: str, code: str) -> str:
    """The keyed hash under which a canonical code is stored and looked up."""
    key = hmac.new(secret.encode(), _HASH_CONTEXT, hashlib.sha256).digest()
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()
