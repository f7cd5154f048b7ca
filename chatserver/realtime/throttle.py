"""Per-connection and per-address limits of the ``/visitor`` and ``/staff`` sockets.

A socket has two token buckets, one for ``message:send`` and one for ``typing``.

Both live in this process only: a socket's message rate belongs to the socket, and the
count of visitor sockets per hashed address is per instance (behind N instances a shared
address can hold up to N times the limit; the aim is to stop one script from opening
thousands of sockets, not to count exactly).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

#: Messages a connection may send per second on average, and in one burst.
MESSAGES_PER_S = 5.0
MESSAGE_BURST = 10.0
#: ``typing`` events a connection may send per second on average, and in one burst. The
#: widget and the console send one when typing starts and one when it stops (per chat), so
#: an expert switching between chats stays well inside; a script sending thousands a
#: second (3,001 in 0.18 s all reached the other side once) is cut to this rate.
TYPING_PER_S = 2.0
TYPING_BURST = 8.0


@dataclass
class TokenBucket:
    """A token bucket: ``take`` is allowed while tokens are left; they refill at ``rate``."""

    rate: float = MESSAGES_PER_S
    burst: float = MESSAGE_BURST
    tokens: float = MESSAGE_BURST
    updated: float | None = None

    def take(self, now: float) -> bool:
        """Spend one token; False (and nothing spent) when the bucket is empty."""
        if self.updated is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def typing_bucket() -> TokenBucket:
    """A full bucket for ``typing`` events."""
    return TokenBucket(rate=TYPING_PER_S, burst=TYPING_BURST, tokens=TYPING_BURST)


class ConnectionCounter:
    """Open sockets per hashed address, to refuse one address opening too many."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: Counter[str] = Counter()

    def try_open(self, key: str) -> bool:
        """Count a new socket of ``key``; False (not counted) when at the limit."""
        if self._open[key] >= self.limit:
            return False
        self._open[key] += 1
        return True

    def close(self, key: str) -> None:
        """Forget one socket of ``key``."""
        self._open[key] -= 1
        if self._open[key] <= 0:
            del self._open[key]
