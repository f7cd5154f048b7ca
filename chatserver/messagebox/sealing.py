"""The message box's text at rest: sealed with AES-256-GCM under a key made for it alone.

The key is derived with HKDF-SHA256 from ``NABIJ_SECRET_KEY`` (the ``cryptography``
package; no home-made crypto), so a copy of the database without the server's secret reads
as noise, and no other use of the secret (session tokens, address hashes) shares the key.
Each sealed text carries its own random 96-bit nonce, and is bound to its thread and
position by the associated data: a sealed message copied into another thread, or moved
within one, does not open.

Layout of a sealed value: one version byte, the 12-byte nonce, then ciphertext and tag.
"""

from __future__ import annotations

import os
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION: Final = b"\x01"
NONCE_BYTES: Final = 12
_KEY_INFO: Final = b"nabij message box text v1"


class Unsealable(ValueError):
    """The value was not sealed by this key for this place (or was altered)."""


class Sealer:
    """Seals and opens message-box text with the key derived from the server secret."""

    def __init__(self, secret: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(
            secret.encode()
        )
        self._aead = AESGCM(key)

    def seal(self, text: str, place: str) -> bytes:
        """``text`` sealed for ``place`` (for example ``"thread 17 message 2"``)."""
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, text.encode(), place.encode())

    def open(self, sealed: bytes, place: str) -> str:
        """The text sealed for ``place``; Unsealable when the key, place or bytes differ."""
        if sealed[:1] != VERSION or len(sealed) < 1 + NONCE_BYTES + 16:
            raise Unsealable("not a sealed message-box value")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, place.encode()).decode()
        except InvalidTag:
            raise Unsealable("the value does not open with this key for this place") from None
