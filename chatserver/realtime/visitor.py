"""The ``/visitor`` namespace: anonymous visitors ask for a chat, talk, end, and resume.

The conversation a socket belongs to lives in its Socket.IO session, set by ``chat:request``
or by a resume token at connect; payloads never name a conversation, so a visitor cannot
reach another one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from chatserver import clientaddress
from chatserver.chat.blocking import check_visitor_allowed, is_blocked_conversation
from chatserver.chat.notify import VISITOR, conversation_room
from chatserver.chat.service import ChatService
from chatserver.chat.waitestimate import wait_fields
from chatserver.chat.wire import message_ack
from chatserver.errors import Ack, ProtocolError, ok
from chatserver.live.models import Conversation
from chatserver.realtime import libcompat
from chatserver.realtime import payloads as p
from chatserver.realtime.base import ProtocolNamespace, refuse
from chatserver.realtime.throttle import ConnectionCounter
from nabij.vocab import AUDIENCES, LANGUAGES, SAFETY_ANSWERS
from registration.feedback import HELPED, RECOMMEND, Verdict
from staffing.sessions import hash_token

logger = logging.getLogger(__name__)


REQUEST_FIELDS = {
    "audience": p.Field(p.choice(AUDIENCES)),
    "lang": p.Field(p.choice(LANGUAGES), required=False, default="nl"),
    "safety": p.Field(p.choice(SAFETY_ANSWERS), required=False, default=None),
}
SEND_FIELDS = {"client_id": p.Field(p.CLIENT_ID), "body": p.Field(p.message_body)}
TYPING_FIELDS = {"is_typing": p.Field(p.boolean)}
#: The wait fields of a chat assigned at once.
NO_WAIT = {"estimated_wait_s": 0, "wait_range_min": None}
#: ``chat:end {reason?}``: how the visitor left, for the expert's ended panel.
END_FIELDS = {
    "reason": p.Field(p.choice(("ended", "quick_exit")), required=False, default="ended"),
}
END_REASONS = {"ended": "visitor_ended", "quick_exit": "visitor_quick_exit"}
FEEDBACK_FIELDS = {
    "mark": p.Field(p.optional(p.integer(1, 10)), required=False),
    "helped": p.Field(p.optional(p.choice(HELPED)), required=False),
    "recommend": p.Field(p.optional(p.choice(RECOMMEND)), required=False),
}
RESUME_FIELDS = {
    "token": p.Field(p.text(16, 128)),
    "last_seq": p.Field(p.integer(0, 10**9), required=False, default=0),
}


def socket_origin(environ: dict[str, Any]) -> tuple[str, str | None]:
    """The socket's peer address and its ``X-Forwarded-For`` header (which one counts:
    chatserver/clientaddress.py).

    Engine.IO's aiohttp adapter puts a fixed 127.0.0.1 in ``REMOTE_ADDR``; the peer is on
    the aiohttp request.
    """
    request = libcompat.aiohttp_request(environ)
    peer = str(getattr(request, "remote", None) or environ.get("REMOTE_ADDR", ""))
    return peer, environ.get("HTTP_X_FORWARDED_FOR")


def client_address(environ: dict[str, Any], trusted_proxy: bool) -> str:
    """The visitor's address, only ever used hashed and short-lived (rate limits)."""
    return clientaddress.client_address(*socket_origin(environ), trusted_proxy)


class VisitorNamespace(ProtocolNamespace):
    """Anonymous visitors."""

    def __init__(self, chat: ChatService) -> None:
        super().__init__(VISITOR, chat)
        self._tasks: set[asyncio.Task[None]] = set()
        self._sockets = ConnectionCounter(chat.settings.visitor_sockets_per_address)

    def _rate_key(self, environ: dict[str, Any]) -> str:
        return clientaddress.hashed_client_address(self.chat.settings, *socket_origin(environ))

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Open a socket (at most so many per address); with ``{token, last_seq}`` resume."""
        rate_key = self._rate_key(environ)
        if not self._sockets.try_open(rate_key):
            logger.info("visitor socket refused: too many from one address")
            raise refuse(ProtocolError("rate_limited", "Too many open chats from here."))
        try:
            await self._open(sid, rate_key, auth)
        except BaseException:
            self._sockets.close(rate_key)  # a refused socket never reaches on_disconnect
            raise

    async def _open(self, sid: str, rate_key: str, auth: Any) -> None:
        async with self.session(sid) as session:
            session["rate_key"] = rate_key
        if not auth:
            return
        try:
            values = p.parse(auth, RESUME_FIELDS)
        except ProtocolError as exc:
            raise refuse(exc) from None
        conversation_id = await self.chat.store.conversation_for_token(hash_token(values["token"]))
        if conversation_id is None or await is_blocked_conversation(
            self.chat, conversation_id, rate_key
        ):
            raise refuse(ProtocolError("not_found", "This conversation is over; start a new one."))
        await self._attach(sid, conversation_id)
        self._after_connect(self._replay(sid, conversation_id, values["last_seq"]))

    def _after_connect(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replay(self, sid: str, conversation_id: str, last_seq: int) -> None:
        """Send what the visitor missed once the connection is established, then chat:resumed."""
        for _ in range(200):  # the CONNECT packet goes out after on_connect returns
            if self.server.manager.is_connected(sid, self.namespace):
                break
            await asyncio.sleep(0.005)
        for payload in await self.chat.replay(conversation_id, last_seq):
            await self.emit("message:new", payload, to=sid)
        conversation = await self.chat.store.get_conversation(conversation_id)
        if conversation is None:
            return
        await self.emit("chat:resumed", await self.chat.resume_payload(conversation), to=sid)
        if conversation.state == "ended":
            ended = {"by": conversation.ended_by, "reason": conversation.end_reason}
            await self.emit("chat:ended", ended, to=sid)

    async def _attach(self, sid: str, conversation_id: str) -> None:
        async with self.session(sid) as session:
            previous = session.get("conversation_id")
            session["conversation_id"] = conversation_id
        if previous is not None:
            await self.leave_room(sid, conversation_room(previous))
        await self.enter_room(sid, conversation_room(conversation_id))
        await self.chat.store.visitor_attached(conversation_id, self.chat.process_id)
        await self.chat.store.cancel("visitor_gone", conversation_id)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Start the reconnect grace when the visitor's last socket goes."""
        rate_key = await self.session_value(sid, "rate_key")
        if rate_key is not None:
            self._sockets.close(rate_key)
        conversation_id = await self.session_value(sid, "conversation_id")
        if conversation_id is None:
            return
        remaining = await self.chat.store.visitor_detached(conversation_id, self.chat.process_id)
        if remaining == 0:
            await self.chat.visitor_gone(conversation_id)

    async def on_chat_request(self, sid: str, data: Any) -> Ack:
        """``chat:request {audience, lang}`` → ``{ok, conversation_id, token, position}``."""
        values = p.parse(data, REQUEST_FIELDS)
        current = await self.session_value(sid, "conversation_id")
        if current is not None and await self._is_live(current):
            raise ProtocolError("invalid", "This connection already has a conversation.")
        rate_key = await self.session_value(sid, "rate_key")
        await check_visitor_allowed(self.chat, rate_key, current)
        accepted = await self.chat.check_request_chat(
            values["audience"], values["lang"], rate_key, values["safety"]
        )
        await self._attach(sid, accepted.conversation.id)
        await self.chat.notify_request_accepted(accepted)
        return ok(
            conversation_id=accepted.conversation.id,
            token=accepted.token,
            position=accepted.position,
            **(wait_fields(accepted.wait) if accepted.position else NO_WAIT),
        )

    async def _is_live(self, conversation_id: str) -> bool:
        conversation = await self.chat.store.get_conversation(conversation_id)
        return conversation is not None and conversation.state != "ended"

    async def _own(self, sid: str) -> Conversation:
        conversation_id = await self.session_value(sid, "conversation_id")
        return await self.chat.access_visitor_conversation(conversation_id)

    async def on_message_send(self, sid: str, data: Any) -> Ack:
        """``message:send {client_id, body}`` → ``{ok, id, seq, sent_at}``."""
        values = p.parse(data, SEND_FIELDS)
        conversation = await self._own(sid)
        await self.throttle_message(sid)
        message = await self.chat.do_send_message(
            conversation, "visitor", values["client_id"], values["body"], skip_sid=sid
        )
        return ok(**message_ack(message))

    async def on_typing(self, sid: str, data: Any) -> Ack:
        """``typing {is_typing}``: shown to the expert."""
        values = p.parse(data, TYPING_FIELDS)
        await self.throttle_typing(sid)
        conversation = await self._own(sid)
        if conversation.state == "active":
            await self.chat.notifier.notify_typing_to_expert(conversation, values["is_typing"])
        return ok()

    async def on_chat_end(self, sid: str, data: Any) -> Ack:
        """``chat:end {reason?}``: the visitor ends (or leaves the queue); idempotent.

        ``reason: quick_exit`` when the visitor used the quick exit (``visitor_quick_exit``).
        """
        values = p.parse(data, END_FIELDS)
        conversation = await self._own(sid)
        await self.chat.do_end_chat(conversation.id, "visitor", END_REASONS[values["reason"]])
        return ok()

    async def on_feedback_send(self, sid: str, data: Any) -> Ack:
        """``feedback:send {mark?, helped?, recommend?}``: the verdict on the chat that ended.

        Once per conversation, only after a normal ending (chat/feedback.py); kept without
        the conversation, the expert or the time of day.
        """
        values = p.parse(data, FEEDBACK_FIELDS)
        conversation_id = await self.session_value(sid, "conversation_id")
        rate_key = await self.session_value(sid, "rate_key")
        await self.chat.feedback.record(conversation_id, rate_key, Verdict(**values))
        return ok()
