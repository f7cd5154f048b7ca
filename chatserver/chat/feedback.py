"""The visitor's verdict after a chat: who may give it, once, and where it goes.

Only after a chat that ended normally: the chat had an expert, and the visitor ended it
or the expert did (``FEEDBACK_ENDINGS``): never after the quick exit, never when the
visitor left, never for a blocked chat. The ending leaves a mark in the live store for
``FEEDBACK_WINDOW_S``, with the conversation id only; ``feedback:send`` consumes it once.
The verdict itself is stored without the conversation (registration/feedback.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from chatserver.chat.marks import BLOCKED_CONVERSATION, FEEDBACK_ALLOWED
from chatserver.chat.persist import ConversationArchive
from chatserver.errors import ProtocolError
from chatserver.live.models import Conversation
from chatserver.live.store import LiveStore
from registration.feedback import Verdict

#: The endings after which the widget asks for a verdict (docs/protocol.md).
FEEDBACK_ENDINGS: Final = frozenset({"visitor_ended", "expert_ended"})
#: How long after the ending a verdict is taken: time to read three questions, and more.
FEEDBACK_WINDOW_S: Final = 15 * 60
#: Verdicts one address may send per hour.
FEEDBACK_PER_HOUR: Final = 10


class VisitorFeedback:
    """Opens the window for a verdict at the end of a chat, and takes the verdict once."""

    def __init__(
        self, store: LiveStore, archive: ConversationArchive, clock: Callable[[], float]
    ) -> None:
        self._store = store
        self._archive = archive
        self._clock = clock

    async def allow_after(self, ended: Conversation, now: float) -> None:
        """Let the visitor of ``ended`` give a verdict, when the chat ended normally."""
        if ended.was_answered and ended.end_reason in FEEDBACK_ENDINGS:
            await self._store.mark(FEEDBACK_ALLOWED, ended.id, FEEDBACK_WINDOW_S, now)

    async def record(self, conversation_id: str | None, rate_key: str, verdict: Verdict) -> None:
        """Store ``verdict`` for the chat this socket had; ``not_found`` or ``invalid`` if not.

        The window is claimed before the verdict is stored, so two sends at once store one.
        """
        now = self._clock()
        if await self._store.hit_rate_limit(f"feedback:{rate_key}", FEEDBACK_PER_HOUR, 3600, now):
            raise ProtocolError("rate_limited")
        if conversation_id is None or not await self._open(conversation_id, now):
            raise ProtocolError("not_found", "There is no ended chat to give a verdict on.")
        if not await self._store.claim_once(f"feedback:{conversation_id}", FEEDBACK_WINDOW_S, now):
            raise ProtocolError("invalid", "The verdict on this chat was sent already.")
        if not verdict.is_empty():
            await self._archive.store_verdict(verdict, dt.datetime.fromtimestamp(now, dt.UTC))

    async def _open(self, conversation_id: str, now: float) -> bool:
        if await self._store.is_marked(BLOCKED_CONVERSATION, conversation_id, now):
            return False
        return await self._store.is_marked(FEEDBACK_ALLOWED, conversation_id, now)
