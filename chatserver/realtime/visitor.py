"""The ``/visitor`` namespace: anonymous visitors ask for a chat, talk, end, and resume.

The conversation a socket belongs to lives in its Socket.IO session, set by ``chat:request``
or by a resume token at connect; payloads never name a conversation, so a visitor cannot
reach another one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from chatserver import clientaddress
from chatserver.chat.notify import VISITOR, conversation_room
from chatserver.chat.services import Services
from chatserver.chat.waitestimate import wait_fields
from chatserver.errors import ProtocolError
from chatserver.realtime import libcompat
from chatserver.realtime import payloads as p
from chatserver.realtime.base import ProtocolNamespace, decode_payload, refuse
from chatserver.realtime.throttle import ConnectionCounter
from registration.feedback import Verdict

if TYPE_CHECKING:
    from chatserver.realtime.events import Event

logger = logging.getLogger(__name__)

#: The wait fields of a chat assigned at once.
NO_WAIT = {"estimated_wait_s": 0, "wait_range_min": None}
#: ``chat:end {reason?}``: how the visitor left, for the expert's ended panel.
END_REASONS = {"ended": "visitor_ended", "quick_exit": "visitor_quick_exit"}


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

    ACCESS = frozenset({"public", "visitor"})

    def __init__(self, services: Services, events: Mapping[str, Event]) -> None:
        super().__init__(VISITOR, services, events)
        self.visitors = services.visitors
        self._tasks: set[asyncio.Task[None]] = set()
        self._sockets = ConnectionCounter(self.chat.settings.visitor_sockets_per_address)

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
            resume = decode_payload(auth, p.Resume)
            conversation_id = await self.visitors.check_resume(
                resume.token, rate_key, partial(self._join, sid)
            )
        except ProtocolError as exc:
            raise refuse(exc) from None
        self._after_connect(self._replay(sid, conversation_id, resume.last_seq))

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
        state = await self.visitors.resume_state(conversation_id, last_seq)
        for payload in state.messages:
            await self.emit("message:new", payload, to=sid)
        if state.resumed is None:
            return
        await self.emit("chat:resumed", state.resumed, to=sid)
        if state.ended is not None:
            await self.emit("chat:ended", state.ended, to=sid)

    async def _join(self, sid: str, conversation_id: str) -> None:
        """Make ``conversation_id`` this socket's conversation, leaving an earlier one's room."""
        async with self.session(sid) as session:
            previous = session.get("conversation_id")
            session["conversation_id"] = conversation_id
        if previous is not None:
            await self.leave_room(sid, conversation_room(previous))
        await self.enter_room(sid, conversation_room(conversation_id))

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Start the reconnect grace when the visitor's last socket goes."""
        rate_key = await self.session_value(sid, "rate_key")
        if rate_key is not None:
            self._sockets.close(rate_key)
        conversation_id = await self.session_value(sid, "conversation_id")
        if conversation_id is not None:
            await self.visitors.visitor_detached(conversation_id)

    async def check_access(self, sid: str, access: str) -> None:
        """``visitor`` events need a conversation on this socket (``chat:request`` or resume)."""
        if access == "visitor" and await self.session_value(sid, "conversation_id") is None:
            raise ProtocolError("not_found", "Start a chat first.")

    async def request_chat(self, sid: str, payload: p.RequestChat) -> p.ChatRequested:
        """``chat:request {audience, lang}`` → ``{ok, conversation_id, token, position, …}``."""
        accepted = await self.visitors.check_request_chat(
            payload.audience,
            payload.lang,
            await self.session_value(sid, "rate_key"),
            await self.session_value(sid, "conversation_id"),
            partial(self._join, sid),
            payload.safety_answer,
        )
        wait = wait_fields(accepted.wait) if accepted.position else NO_WAIT
        return p.ChatRequested(
            conversation_id=accepted.conversation.id,
            token=accepted.token,
            position=accepted.position,
            **wait,
        )

    async def send_message(self, sid: str, payload: p.SendVisitorMessage) -> p.MessageSent:
        """``message:send {client_id, body}`` → ``{ok, id, seq, sent_at}``."""
        conversation_id = await self.session_value(sid, "conversation_id")
        await self.throttle_message(sid)
        message = await self.visitors.do_send_message(
            conversation_id, payload.client_id, payload.body, skip_sid=sid
        )
        return p.message_sent(message)

    async def typing(self, sid: str, payload: p.VisitorTyping) -> p.Done:
        """``typing {is_typing}``: shown to the expert."""
        await self.throttle_typing(sid)
        conversation_id = await self.session_value(sid, "conversation_id")
        await self.visitors.do_typing(conversation_id, payload.is_typing)
        return p.Done()

    async def end_chat(self, sid: str, payload: p.EndVisitorChat) -> p.Done:
        """``chat:end {reason?}``: the visitor ends (or leaves the queue); idempotent.

        ``reason: quick_exit`` when the visitor used the quick exit (``visitor_quick_exit``).
        """
        conversation_id = await self.session_value(sid, "conversation_id")
        await self.visitors.do_end_chat(conversation_id, END_REASONS[payload.reason])
        return p.Done()

    async def send_feedback(self, sid: str, payload: p.SendFeedback) -> p.Done:
        """``feedback:send {mark?, helped?, recommend?}``: the verdict on the chat that ended.

        Once per conversation, only after a normal ending (chat/feedback.py); kept without
        the conversation, the expert or the time of day.
        """
        await self.visitors.give_feedback(
            await self.session_value(sid, "conversation_id"),
            await self.session_value(sid, "rate_key"),
            Verdict(mark=payload.mark, helped=payload.helped, recommend=payload.recommend),
        )
        return p.Done()
