"""The database outbox: writes made at the end of a chat survive a database outage.

Chat never waits on the database (messages live in the live store only), but the end of a
chat writes a conversation record and, when answered, a pending registration. When the
database is unreachable at that moment, the write is kept in the live store as a JSON item
and the sweeper retries it every pass until it succeeds: at-least-once, and harmless when
repeated because both writes are keyed by the conversation id (the record is overwritten
by id, the pending registration is returned when it exists).

An item holds the fields of the record only, never a message; it is removed after its
write succeeded, so a process dying mid-write leaves it for the next pass (of any process).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from chatserver.live.models import Conversation
from chatserver.live.store import LiveStore

logger = logging.getLogger(__name__)

#: How many held writes one sweep retries (the rest wait for the next pass).
FLUSH_BATCH = 50

FinishedWriter = Callable[[Conversation], Awaitable[None]]
MissedWriter = Callable[[str, str, float, str], Awaitable[None]]


def finished_item(conversation: Conversation) -> str:
    """A held ``record_finished`` write."""
    fields = dataclasses.asdict(conversation)
    return _item("finished", conversation=fields)


def missed_item(conversation_id: str, audience: str, at: float, reason: str) -> str:
    """A held ``record_missed`` write."""
    return _item("missed", id=conversation_id, audience=audience, at=at, reason=reason)


def _item(kind: str, **fields: Any) -> str:
    # The nonce keeps items unique, so removing one never removes an identical twin.
    return json.dumps({"kind": kind, "nonce": secrets.token_hex(6), **fields}, sort_keys=True)


async def flush(store: LiveStore, finished: FinishedWriter, missed: MissedWriter) -> int:
    """Retry the held writes, oldest first; stop at the first failure (still down).

    Returns how many were written.
    """
    done = 0
    for raw in await store.outbox_peek(FLUSH_BATCH):
        item = json.loads(raw)
        try:
            if item["kind"] == "finished":
                await finished(Conversation(**item["conversation"]))
            else:
                await missed(item["id"], item["audience"], item["at"], item["reason"])
        except Exception as exc:
            logger.warning("outbox write still failing error=%s", type(exc).__name__)
            break
        await store.outbox_remove(raw)
        done += 1
    if done:
        logger.info("outbox writes done count=%d", done)
    return done
