"""Meta's webhook signature: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>``.

Checked on the raw bytes, before anything is parsed, in constant time: a delivery that
does not carry the app secret's signature is refused whole (401) and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

HEADER: Final = "X-Hub-Signature-256"
_PREFIX: Final = "sha256="
#: ``sha256=`` and 64 hex digits.
_LENGTH: Final = len(_PREFIX) + 64


def signature_of(app_secret: str, body: bytes) -> str:
    """The header value Meta sends with ``body`` (tests and the local fake sign with it)."""
    return _PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def is_signed(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the app secret's signature of ``body``."""
    if header is None or len(header) != _LENGTH or not header.isascii():
        return False
    return hmac.compare_digest(header.lower(), signature_of(app_secret, body))
