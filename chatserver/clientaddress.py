"""The client's address behind Nabij's one trusted hop (``NABIJ_TRUSTED_PROXY``).

Nabij trusts one hop, its direct peer: nginx. nginx works out the visitor's address
through whatever proxies stand in front of it (its realip module: ``set_real_ip_from``,
``real_ip_recursive`` in deploy/nginx.conf) and sends exactly that one address as
``X-Forwarded-For``, replacing the header it received. So with ``trusted_proxy`` the last
entry is the one the peer wrote (anything before it came from further away, unchecked);
without it the header is ignored, as when clients reach Nabij directly. Operators read
the same rule in docs/operations.md, "Which proxy is trusted".

The address is only ever used as a keyed hash, for short-lived rate limits; it is never
logged or stored.
"""

from __future__ import annotations

import hashlib
import hmac

from nabij.settings import Settings


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxy: bool) -> str:
    """The address to count the client by: the peer's, or the one its trusted proxy named."""
    if trusted_proxy and forwarded_for:
        named = forwarded_for.split(",")[-1].strip()
        if named:
            return named
    return peer or ""


def address_key(secret: bytes, address: str) -> str:
    """``address`` as a keyed hash (32 hex characters): a rate-limit key, not reversible."""
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def hashed_client_address(settings: Settings, peer: str | None, forwarded_for: str | None) -> str:
    """The client's rate-limit key: the one-hop rule above, then the keyed hash.

    The one way both the HTTP side and the visitor's socket count a client by address.
    """
    address = client_address(peer, forwarded_for, settings.trusted_proxy)
    return address_key(settings.secret_key.reveal().encode(), address)
