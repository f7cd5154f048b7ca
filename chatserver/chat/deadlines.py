"""Deadlines are handled at least once: claimed with a lease, handled one by one, confirmed.

``LiveStore.claim_due`` moves each due deadline on by the lease instead of removing it. A
handler that fails, or a process killed before its handler confirmed, leaves the deadline
to come due again after the lease, for whichever process sweeps first; one failing id does
not stop the others of its batch. So handlers must be idempotent, and are: ending an ended
chat, requeueing chats already requeued and erasing erased content change nothing.

The content TTL (``Retention.ttl_s``) is the backstop behind the ``erase`` deadline: the
reconnect grace, plus two leases (one claim lost with its process, then its retry), plus a
heartbeat's life (how long a dead process's conversations go without renewal before they
are released). Content is gone that long after the conversation's last sign of life even
if no sweeper runs at all.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from chatserver.chat.processes import heartbeat_ttl
from chatserver.live.models import Claim, Retention
from chatserver.live.store import LiveStore
from nabij.settings import Settings

#: Deadlines of one kind claimed per sweep pass; the rest wait for the next pass.
CLAIM_BATCH = 100

Handler = Callable[[str], Awaitable[object]]

logger = logging.getLogger(__name__)


def content_retention(settings: Settings) -> Retention:
    """The erase delay (the reconnect grace) and the content TTL that backs it up."""
    grace = settings.reconnect_grace_s
    margin = 2 * settings.deadline_lease_s + heartbeat_ttl(settings.sweep_interval_s)
    return Retention(erase_after_s=grace, ttl_s=grace + margin)


async def handle_due(
    store: LiveStore, kind: str, handler: Handler, now: float, lease_s: float
) -> int:
    """Claim the due deadlines of ``kind``, handle each on its own; return how many are done.

    A failure is logged with the kind and the key only (never an exception's text, which
    could quote content) and the deadline comes back after ``lease_s``.
    """
    done = 0
    for claim in await store.claim_due(kind, now, lease_s, CLAIM_BATCH):
        done += await _handle(store, kind, handler, claim)
    return done


async def _handle(store: LiveStore, kind: str, handler: Handler, claim: Claim) -> bool:
    try:
        await handler(claim.key)
        await store.confirm(kind, claim)
    except Exception as exc:
        logger.warning(
            "deadline failed kind=%s key=%s error=%s", kind, claim.key, type(exc).__name__
        )
        return False
    return True
