"""The visitor's side of a chat, one call per ``/visitor`` event: ask, resume, talk, end.

The namespace keeps the socket's session and rooms; it hands this service an ``attach``
step (join the conversation's room) to run at the right moment: after the conversation
exists and before anyone is told of it, so that the visitor hears its own ``chat:assigned``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from chatserver.chat.blocking import Blocking
from chatserver.chat.feedback import VisitorFeedback
from chatserver.chat.notify import Notifier
from chatserver.chat.service import ChatService, RequestAccepted
from chatserver.errors import ProtocolError
from chatserver.live.models import Message
from chatserver.live.store import LiveStore
from registration.feedback import Verdict
from staffing.sessions import hash_token

#: The namespace's step that puts the socket in a conversation (its session and room).
Attach = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class Resumed:
    """What a resuming socket is sent: the missed messages, ``chat:resumed``, ``chat:ended``."""

    messages: list[dict[str, Any]]
    resumed: dict[str, Any] | None
    ended: dict[str, Any] | None


class Visitors:
    """Every visitor action; the conversation id always comes from the socket, never input."""

    def __init__(
        self,
        store: LiveStore,
        notifier: Notifier,
        blocking: Blocking,
        flow: ChatService,
        feedback: VisitorFeedback,
    ) -> None:
        self._store = store
        self._notifier = notifier
        self._blocking = blocking
        self._flow = flow
        self._feedback = feedback

    async def give_feedback(
        self, conversation_id: str | None, rate_key: str, verdict: Verdict
    ) -> None:
        """``feedback:send``: the verdict on the socket's ended chat, taken once."""
        await self._feedback.record(conversation_id, rate_key, verdict)

    async def check_request_chat(
        self,
        audience: str,
        lang: str,
        rate_key: str,
        current: str | None,
        attach: Attach,
        safety: str | None = None,
    ) -> RequestAccepted:
        """``chat:request``: one live chat per socket, not blocked, then the request itself.

        ``current`` is the socket's conversation so far (None: none yet).
        """
        if current is not None and await self._is_live(current):
            raise ProtocolError("invalid", "This connection already has a conversation.")
        await self._blocking.check_visitor_allowed(rate_key, current)
        accepted = await self._flow.check_request_chat(audience, lang, rate_key, safety)
        await self._attach(accepted.conversation.id, attach)
        await self._flow.notify_request_accepted(accepted)
        return accepted

    async def _is_live(self, conversation_id: str) -> bool:
        conversation = await self._store.get_conversation(conversation_id)
        return conversation is not None and conversation.state != "ended"

    async def check_resume(self, token: str, rate_key: str, attach: Attach) -> str:
        """Put the socket back in the conversation of a resume token; return its id.

        ``not_found`` for an unknown (ended and erased) or blocked conversation.
        """
        conversation_id = await self._store.conversation_for_token(hash_token(token))
        if conversation_id is None or await self._blocking.is_blocked_conversation(
            conversation_id, rate_key
        ):
            raise ProtocolError("not_found", "This conversation is over; start a new one.")
        await self._attach(conversation_id, attach)
        return conversation_id

    async def _attach(self, conversation_id: str, attach: Attach) -> None:
        await attach(conversation_id)
        await self._store.visitor_attached(conversation_id, self._flow.process_id)
        await self._store.cancel("visitor_gone", conversation_id)

    async def resume_state(self, conversation_id: str, last_seq: int) -> Resumed:
        """The messages after ``last_seq``, and the state of the conversation now."""
        messages = await self._flow.replay(conversation_id, last_seq)
        conversation = await self._store.get_conversation(conversation_id)
        if conversation is None:
            return Resumed(messages, None, None)
        resumed = await self._flow.resume_payload(conversation)
        ended = None
        if conversation.state == "ended":
            ended = {"by": conversation.ended_by, "reason": conversation.end_reason}
        return Resumed(messages, resumed, ended)

    async def visitor_detached(self, conversation_id: str) -> None:
        """A visitor socket closed: the last one gone starts the reconnect grace."""
        remaining = await self._store.visitor_detached(conversation_id, self._flow.process_id)
        if remaining == 0:
            await self._flow.visitor_gone(conversation_id)

    async def do_send_message(
        self, conversation_id: str | None, client_id: str, body: str, skip_sid: str
    ) -> Message:
        """``message:send``: store the visitor's message in their conversation, deliver it."""
        conversation = await self._flow.access_visitor_conversation(conversation_id)
        return await self._flow.do_send_message(
            conversation, "visitor", client_id, body, skip_sid=skip_sid
        )

    async def do_typing(self, conversation_id: str | None, is_typing: bool) -> None:
        """``typing``: shown to the expert while the chat is active (else nothing happens)."""
        conversation = await self._flow.access_visitor_conversation(conversation_id)
        if conversation.state == "active":
            await self._notifier.notify_typing_to_expert(conversation, is_typing)

    async def do_end_chat(self, conversation_id: str | None, reason: str) -> None:
        """``chat:end``: the visitor ends (or leaves the queue); idempotent."""
        conversation = await self._flow.access_visitor_conversation(conversation_id)
        await self._flow.do_end_chat(conversation.id, "visitor", reason)
