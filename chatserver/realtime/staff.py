"""The ``/staff`` namespace: signed-in experts see the queue, answer, hand over, end, alert.

Authentication happens in ``on_connect``, from the session cookie; the socket's session
keeps the expert's id and access (role, routing profile), which ``StaffAccessKeeper``
(realtime/staffaccess.py) keeps in line with the account afterwards. Every action on a
conversation checks that the expert holds it (``access_expert_conversation``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from chatserver.chat.alerts import (
    check_raise_alert,
    coordinators_online,
    do_ack_alert,
    open_alerts_for,
)
from chatserver.chat.blocking import access_blockable_conversation, do_block_visitor
from chatserver.chat.notify import STAFF, VISITOR, conversation_room, expert_room, watch_room
from chatserver.chat.oversight import (
    access_watchable_conversation,
    active_chats_overview,
    check_take_over,
)
from chatserver.chat.service import ChatService
from chatserver.chat.wire import (
    expert_client_key,
    message_ack,
    staff_chat_payload,
    waiting_payload,
)
from chatserver.errors import Ack, ProtocolError, ok
from chatserver.realtime import payloads as p
from chatserver.realtime.base import ProtocolNamespace, refuse
from chatserver.realtime.staffaccess import Access, StaffAccessKeeper
from chatserver.staffauth import REVOKED_SESSION, token_from_cookie_header, user_for_token
from nabij.vocab import role_at_least
from staffing.experts import list_staff
from staffing.sessions import hash_token

#: How long a signed-out socket stays open after its refused event (for the ack to go out).
SIGNED_OUT_CLOSE_DELAY_S = 0.1

PRESENCE_FIELDS = {"available": p.Field(p.boolean)}
CONVERSATION_FIELDS = {"conversation_id": p.Field(p.CONVERSATION_ID)}
SEND_FIELDS = {
    "conversation_id": p.Field(p.CONVERSATION_ID),
    "client_id": p.Field(p.CLIENT_ID),
    "body": p.Field(p.message_body),
}
TYPING_FIELDS = {"conversation_id": p.Field(p.CONVERSATION_ID), "is_typing": p.Field(p.boolean)}
TRANSFER_FIELDS = {
    "conversation_id": p.Field(p.CONVERSATION_ID),
    "to_expert_id": p.Field(p.optional(p.integer(1, 2**31)), required=False),
    "note": p.Field(p.text(0, p.MAX_NOTE_CHARS, strip=True), required=False, default=""),
}
BLOCK_FIELDS = {
    "conversation_id": p.Field(p.CONVERSATION_ID),
    "hashed_ip": p.Field(p.boolean, required=False, default=False),
}
ALERT_FIELDS = {
    "conversation_id": p.Field(p.CONVERSATION_ID),
    "note": p.Field(p.text(0, p.MAX_NOTE_CHARS, strip=True), required=False, default=""),
}
ALERT_ACK_FIELDS = {"alert_id": p.Field(p.ALERT_ID)}


class StaffNamespace(ProtocolNamespace):
    """Signed-in experts, coordinators and admins."""

    def __init__(self, chat: ChatService, db: Any) -> None:
        super().__init__(STAFF, chat)
        self._db = db
        self._tasks: set[asyncio.Task[None]] = set()
        #: Keeps every socket's access in line with its account (realtime/staffaccess.py).
        self.access = StaffAccessKeeper(self, db, chat)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Refuse other origins and a missing or invalid session; join the expert's rooms.

        The socket allow-list also holds the widget's host sites; the console is served by
        Nabij itself, so a staff socket from any other origin is refused.
        """
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.chat.settings.own_origins:
            raise refuse(ProtocolError("forbidden", "Open the console from Nabij itself."))
        token = token_from_cookie_header(str(environ.get("HTTP_COOKIE", "")))
        user = await user_for_token(self._db, token)
        if user is None or token is None:
            raise refuse(ProtocolError("unauthorized"))
        access = Access.of(user)
        async with self.session(sid) as session:
            session.update(
                expert_id=user.id,
                role=user.role,
                display_name=user.display_name,
                session_hash=hash_token(token),
                access=access,
            )
        await self.enter_room(sid, "staff")
        await self.enter_room(sid, expert_room(user.id))
        if role_at_least(user.role, "coordinator"):
            await self.enter_room(sid, "coordinators")
        await self.chat.do_expert_online(access.profile)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """The last console of an expert gone starts the grace period of their chats."""
        expert_id = await self.session_value(sid, "expert_id")
        if expert_id is not None:
            await self.chat.do_expert_offline(expert_id)

    async def authorize(self, sid: str) -> None:
        """A socket whose session was signed out elsewhere is refused, then closed.

        The close waits a moment so that the ``unauthorized`` ack still reaches the client.
        """
        session_hash = await self.session_value(sid, "session_hash")
        if await self.chat.store.is_marked(REVOKED_SESSION, session_hash, self.chat.clock()):
            self._close_later(sid)
            raise ProtocolError("unauthorized", "You have been signed out.")

    def _close_later(self, sid: str) -> None:
        task = asyncio.create_task(self._close_soon(sid))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _close_soon(self, sid: str) -> None:
        await asyncio.sleep(SIGNED_OUT_CLOSE_DELAY_S)
        await self.disconnect(sid)

    async def apply_access(self, sid: str, access: Access) -> None:
        """The account changed: new role and profile, the rooms the role allows, told so."""
        async with self.session(sid) as session:
            session.update(
                role=access.role, display_name=access.profile.display_name, access=access
            )
        if role_at_least(access.role, "coordinator"):
            await self.enter_room(sid, "coordinators")
        else:
            for room in self.rooms(sid):
                if room == "coordinators" or room.startswith("watch:"):
                    await self.leave_room(sid, room)
        await self.chat.notifier.notify_session_changed(sid, access.payload())

    async def end_session(self, sid: str, reason: str) -> None:
        """Signed out (``signed_out``) or deactivated: say so, then close the socket."""
        await self.chat.notifier.notify_session_ended(sid, reason)
        self._close_later(sid)

    async def _expert(self, sid: str) -> int:
        expert_id: int = await self.session_value(sid, "expert_id")
        return expert_id

    async def on_presence_set(self, sid: str, data: Any) -> Ack:
        """``presence:set {available}``; only on shift can one become available."""
        values = p.parse(data, PRESENCE_FIELDS)
        available = await self.chat.check_set_presence(await self._expert(sid), values["available"])
        return ok(available=available)

    async def on_chats_sync(self, sid: str, data: Any) -> Ack:
        """``chats:sync``: the expert's active chats with their messages, the queue, alerts,
        whether the expert is available (kept across a reload within the grace), and the
        account as the socket has it now (``user``, as in ``session:changed``): a page
        rendered just before a change of role learns of it here.

        ``alerts`` are the open mentor alerts: all of them for a coordinator or admin (so
        one raised while nobody was online is seen at sign-in), the expert's own otherwise.
        """
        p.parse(data, {})
        expert_id = await self._expert(sid)
        chats = [
            staff_chat_payload(c, m, await self.chat.sender_names(c, m))
            for c, m in await self.chat.staff_chats(expert_id)
        ]
        waiting = await self.chat.store.queue()
        role = await self.session_value(sid, "role")
        return ok(
            chats=chats,
            waiting=[waiting_payload(c) for c in waiting],
            alerts=await open_alerts_for(self.chat, expert_id, role),
            available=await self.chat.expert_available(expert_id),
            user=(await self.session_value(sid, "access")).payload(),
        )

    async def on_chat_accept(self, sid: str, data: Any) -> Ack:
        """``chat:accept {conversation_id}``: take a waiting chat; ``taken`` if too late."""
        values = p.parse(data, CONVERSATION_FIELDS)
        conversation = await self.chat.check_accept(
            await self._expert(sid), values["conversation_id"]
        )
        return ok(conversation_id=conversation.id)

    async def on_message_send(self, sid: str, data: Any) -> Ack:
        """``message:send {conversation_id, client_id, body}`` → ``{ok, id, seq, sent_at}``."""
        values = p.parse(data, SEND_FIELDS)
        expert_id = await self._expert(sid)
        conversation = await self.chat.access_expert_conversation(
            expert_id, values["conversation_id"]
        )
        await self.throttle_message(sid)
        client_key = expert_client_key(expert_id, values["client_id"])
        message = await self.chat.do_send_message(
            conversation, "expert", client_key, values["body"], skip_sid=sid
        )
        return ok(**message_ack(message))

    async def on_typing(self, sid: str, data: Any) -> Ack:
        """``typing {conversation_id, is_typing}``: shown to the visitor."""
        values = p.parse(data, TYPING_FIELDS)
        await self.throttle_typing(sid)
        conversation = await self.chat.access_expert_conversation(
            await self._expert(sid), values["conversation_id"]
        )
        await self.chat.notifier.notify_typing_to_visitor(conversation, values["is_typing"])
        return ok()

    async def on_chat_end(self, sid: str, data: Any) -> Ack:
        """``chat:end {conversation_id}``: end a chat this expert holds."""
        values = p.parse(data, CONVERSATION_FIELDS)
        conversation = await self.chat.access_expert_conversation(
            await self._expert(sid), values["conversation_id"]
        )
        await self.chat.do_end_chat(conversation.id, "expert", "expert_ended")
        return ok()

    async def on_chat_transfer(self, sid: str, data: Any) -> Ack:
        """``chat:transfer {conversation_id, to_expert_id?, note?}`` → ``{ok, to_expert}``."""
        values = p.parse(data, TRANSFER_FIELDS)
        moved = await self.chat.check_transfer(
            await self._expert(sid),
            values["conversation_id"],
            values["to_expert_id"],
            values["note"],
        )
        return ok(to_expert={"id": moved.expert_id, "display_name": moved.expert_name})

    async def on_alert_raise(self, sid: str, data: Any) -> Ack:
        """``alert:raise {conversation_id, note}``: kept open until a coordinator acks it.

        The ack says how many coordinators have a console connected now
        (``coordinators_online``; null when that cannot be known).
        """
        values = p.parse(data, ALERT_FIELDS)
        expert_id = await self._expert(sid)
        alert = await check_raise_alert(
            self.chat,
            expert_id,
            await self.session_value(sid, "display_name"),
            values["conversation_id"],
            values["note"],
        )
        online = await coordinators_online(self.chat, self._db, exclude=expert_id)
        return ok(alert_id=alert.alert_id, coordinators_online=online)

    async def on_alert_ack(self, sid: str, data: Any) -> Ack:
        """``alert:ack {alert_id}``: a coordinator picks an alert up; ``not_found`` the 2nd time."""
        values = p.parse(data, ALERT_ACK_FIELDS)
        coordinator_id = await self._coordinator(sid)
        name = await self.session_value(sid, "display_name")
        alert = await do_ack_alert(self.chat, coordinator_id, name, values["alert_id"])
        return ok(alert_id=alert.alert_id, conversation_id=alert.conversation_id)

    async def _coordinator(self, sid: str) -> int:
        if not role_at_least(await self.session_value(sid, "role"), "coordinator"):
            raise ProtocolError("forbidden", "This needs the coordinator role.")
        return await self._expert(sid)

    async def on_chat_watch(self, sid: str, data: Any) -> Ack:
        """``chat:watch {conversation_id}``: a coordinator reads along (messages, ending)."""
        values = p.parse(data, CONVERSATION_FIELDS)
        await self._coordinator(sid)
        conversation, messages = await access_watchable_conversation(
            self.chat, values["conversation_id"]
        )
        await self.enter_room(sid, watch_room(conversation.id))
        names = await self.chat.sender_names(conversation, messages)
        return ok(chat=staff_chat_payload(conversation, messages, names))

    async def on_chat_unwatch(self, sid: str, data: Any) -> Ack:
        """``chat:unwatch {conversation_id}``: stop reading along."""
        values = p.parse(data, CONVERSATION_FIELDS)
        await self.leave_room(sid, watch_room(values["conversation_id"]))
        return ok()

    async def on_chat_takeover(self, sid: str, data: Any) -> Ack:
        """``chat:takeover {conversation_id}``: a coordinator takes an expert's chat over."""
        values = p.parse(data, CONVERSATION_FIELDS)
        coordinator_id = await self._coordinator(sid)
        await check_take_over(self.chat, coordinator_id, values["conversation_id"])
        await self.leave_room(sid, watch_room(values["conversation_id"]))
        return ok()

    async def on_chats_overview(self, sid: str, data: Any) -> Ack:
        """``chats:overview``: every active chat of the team, with its expert (coordinators)."""
        p.parse(data, {})
        await self._coordinator(sid)
        async with self._db() as session:
            staff = [(u.id, u.display_name) for u in await list_staff(session, active_only=True)]
        return ok(chats=await active_chats_overview(self.chat, staff))

    async def on_visitor_block(self, sid: str, data: Any) -> Ack:
        """``visitor:block {conversation_id, hashed_ip?}``: end an abusive chat and block it.

        The expert holding the chat, or a coordinator. With ``hashed_ip`` the visitor's
        address is refused for 24 hours too (see chatserver/chat/blocking.py).
        """
        values = p.parse(data, BLOCK_FIELDS)
        actor_id = await self._expert(sid)
        conversation = await access_blockable_conversation(
            self.chat, actor_id, await self.session_value(sid, "role"), values["conversation_id"]
        )
        keys = await self._visitor_address_keys(conversation.id)
        await do_block_visitor(
            self.chat, self._db, actor_id, conversation, keys, values["hashed_ip"]
        )
        return ok()

    async def _visitor_address_keys(self, conversation_id: str) -> list[str]:
        """The hashed addresses of the conversation's visitor sockets on this instance."""
        room = conversation_room(conversation_id)
        keys = []
        for visitor_sid, _ in self.server.manager.get_participants(VISITOR, room):
            session = await self.server.get_session(visitor_sid, namespace=VISITOR)
            if session.get("rate_key"):
                keys.append(session["rate_key"])
        return keys
