"""``python -m tests.deadline_claimer URL PREFIX KIND NOW LEASE_S``: a process that dies
holding a claim.

It claims the deadlines of KIND due at NOW through the sweeper's own ``handle_due``, with a
handler that prints ``claimed <key>`` and then hangs, so that the test can SIGKILL it
between the claim and the handling (tests/test_erasure_faults.py).
"""

from __future__ import annotations

import asyncio
import sys

from chatserver.chat.deadlines import handle_due
from chatserver.live.redis import RedisLiveStore

#: The handler hangs at most this long (the test kills the process long before).
HANG_S = 120.0


async def main(url: str, prefix: str, kind: str, now: float, lease_s: float) -> None:
    """Claim and hang."""
    store = RedisLiveStore.from_url(url, prefix)

    async def hang(key: str) -> None:
        print(f"claimed {key}", flush=True)
        await asyncio.sleep(HANG_S)

    try:
        await handle_due(store, kind, hang, now, lease_s)
    finally:
        await store.close()


if __name__ == "__main__":
    url, prefix, kind, now, lease = sys.argv[1:6]
    asyncio.run(main(url, prefix, kind, float(now), float(lease)))
