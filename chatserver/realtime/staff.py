"""The ``/staff`` namespace: signed-in experts see the queue, answer, hand over, end, alert.

Authentication happens in ``on_connect``, from the session cookie; the socket's session
keeps the expert's id and access (role, routing profile), which ``StaffAccessKeeper``
(realtime/staffaccess.py) keeps in line with the account afterwards. Every action on a
conversation checks that the expert holds it (``access_expert_conversation``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chatserver.chat.notify import STAFF, VISITOR, conversation_room, expert_room, watch_room
from chatserver.chat.services import Services
from chatserver.chat.wire import staff_chat_payload
from chatserver.errors import ProtocolError
from chatserver.realtime import payloads as p
from chatserver.realtime.base import ProtocolNamespace, refuse
from chatserver.realtime.staffaccess import Access, StaffAccessKeeper
from chatserver.staffauth import token_from_cookie_header
from nabij.vocab import ROLES, role_at_least
from staffing.sessions import hash_token

if TYPE_CHECKING:
    from chatserver.realtime.events import Event

#: How long a signed-out socket stays open after its refused event (for the ack to go out).
SIGNED_OUT_CLOSE_DELAY_S = 0.1


class StaffNamespace(ProtocolNamespace):
    """Signed-in experts, coordinators and admins."""

    ACCESS = frozenset(ROLES)

    def __init__(self, services: Services, events: Mapping[str, Event]) -> None:
        super().__init__(STAFF, services, events)
        self.services = services
        self.accounts = services.accounts
        self._tasks: set[asyncio.Task[None]] = set()
        #: Keeps every socket's access in line with its account (realtime/staffaccess.py).
        self.access = StaffAccessKeeper(self, services.accounts, services.flow)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Refuse other origins and a missing or invalid session; join the expert's rooms.

        The socket allow-list also holds the widget's host sites; the console is served by
        Nabij itself, so a staff socket from any other origin is refused.
        """
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.chat.settings.own_origins:
            raise refuse(ProtocolError("forbidden", "Open the console from Nabij itself."))
        token = token_from_cookie_header(str(environ.get("HTTP_COOKIE", "")))
        user = await self.accounts.user_for_token(token)
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
        if await self.accounts.is_revoked(await self.session_value(sid, "session_hash")):
            self._close_later(sid)
            raise ProtocolError("unauthorized", "You have been signed out.")

    async def check_access(self, sid: str, access: str) -> None:
        """The account's role now (kept in line by StaffAccessKeeper) must reach ``access``.

        Every signed-in console is at least an expert, so ``expert`` events read nothing.
        """
        if access == "expert":
            return
        if not role_at_least(await self.session_value(sid, "role"), access):
            raise ProtocolError("forbidden", f"This needs the {access} role.")

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
        await self.accounts.notify_session_changed(sid, access.payload())

    async def end_session(self, sid: str, reason: str) -> None:
        """Signed out (``signed_out``) or deactivated: say so, then close the socket."""
        await self.accounts.notify_session_ended(sid, reason)
        self._close_later(sid)

    async def _expert(self, sid: str) -> int:
        expert_id: int = await self.session_value(sid, "expert_id")
        return expert_id

    async def set_presence(self, sid: str, payload: p.SetPresence) -> p.PresenceSet:
        """``presence:set {available}``; only on shift can one become available."""
        expert_id = await self._expert(sid)
        available = await self.chat.check_set_presence(expert_id, payload.available)
        return p.PresenceSet(available=available)

    async def sync(self, sid: str, payload: p.Nothing) -> p.Synced:
        """``chats:sync``: the expert's active chats with their messages, the queue, alerts,
        whether the expert is available (kept across a reload within the grace), and the
        account as the socket has it now (``user``, as in ``session:changed``): a page
        rendered just before a change of role learns of it here.

        ``alerts`` are the open mentor alerts: all of them for a coordinator or admin (so
        one raised while nobody was online is seen at sign-in), the expert's own otherwise.
        """
        role = await self.session_value(sid, "role")
        desk = await self.services.desk.desk(await self._expert(sid), role)
        return p.Synced(
            chats=desk.chats,
            waiting=desk.waiting,
            alerts=desk.alerts,
            available=desk.available,
            user=(await self.session_value(sid, "access")).payload(),
        )

    async def accept(self, sid: str, payload: p.OneConversation) -> p.Accepted:
        """``chat:accept {conversation_id}``: take a waiting chat; ``taken`` if too late."""
        expert_id = await self._expert(sid)
        conversation = await self.chat.check_accept(expert_id, payload.conversation_id)
        return p.Accepted(conversation_id=conversation.id)

    async def send_message(self, sid: str, payload: p.SendStaffMessage) -> p.MessageSent:
        """``message:send {conversation_id, client_id, body}`` → ``{ok, id, seq, sent_at}``."""
        expert_id = await self._expert(sid)
        await self.throttle_message(sid)
        message = await self.services.desk.do_send_message(
            expert_id, payload.conversation_id, payload.client_id, payload.body, skip_sid=sid
        )
        return p.message_sent(message)

    async def typing(self, sid: str, payload: p.StaffTyping) -> p.Done:
        """``typing {conversation_id, is_typing}``: shown to the visitor."""
        await self.throttle_typing(sid)
        expert_id = await self._expert(sid)
        await self.services.desk.do_typing(expert_id, payload.conversation_id, payload.is_typing)
        return p.Done()

    async def end_chat(self, sid: str, payload: p.OneConversation) -> p.Done:
        """``chat:end {conversation_id}``: end a chat this expert holds."""
        expert_id = await self._expert(sid)
        await self.services.desk.do_end_chat(expert_id, payload.conversation_id)
        return p.Done()

    async def transfer(self, sid: str, payload: p.TransferChat) -> p.Transferred:
        """``chat:transfer {conversation_id, to_expert_id?, note?}`` → ``{ok, to_expert}``."""
        moved = await self.chat.check_transfer(
            await self._expert(sid),
            payload.conversation_id,
            payload.to_expert_id,
            payload.note.strip(),
        )
        to_expert = p.ExpertRef(id=moved.expert_id, display_name=moved.expert_name)
        return p.Transferred(to_expert=to_expert)

    async def raise_alert(self, sid: str, payload: p.RaiseAlert) -> p.AlertRaised:
        """``alert:raise {conversation_id, note}``: kept open until a coordinator acks it.

        The ack says how many coordinators have a console connected now
        (``coordinators_online``; null when that cannot be known).
        """
        raised = await self.services.alerts.check_raise_alert(
            await self._expert(sid),
            await self.session_value(sid, "display_name"),
            payload.conversation_id,
            payload.note.strip(),
        )
        return p.AlertRaised(
            alert_id=raised.alert.alert_id, coordinators_online=raised.coordinators_online
        )

    async def ack_alert(self, sid: str, payload: p.AckAlert) -> p.AlertAcked:
        """``alert:ack {alert_id}``: a coordinator picks an alert up; ``not_found`` the 2nd time."""
        alert = await self.services.alerts.do_ack_alert(
            await self._expert(sid), await self.session_value(sid, "display_name"), payload.alert_id
        )
        return p.AlertAcked(alert_id=alert.alert_id, conversation_id=alert.conversation_id)

    async def watch(self, sid: str, payload: p.OneConversation) -> p.Watching:
        """``chat:watch {conversation_id}``: a coordinator reads along (messages, ending)."""
        watched = await self.services.oversight.access_watched_chat(payload.conversation_id)
        await self.enter_room(sid, watch_room(watched.conversation.id))
        chat = staff_chat_payload(watched.conversation, watched.messages, watched.names)
        return p.Watching(chat=chat)

    async def unwatch(self, sid: str, payload: p.OneConversation) -> p.Done:
        """``chat:unwatch {conversation_id}``: stop reading along."""
        await self.leave_room(sid, watch_room(payload.conversation_id))
        return p.Done()

    async def take_over(self, sid: str, payload: p.OneConversation) -> p.Done:
        """``chat:takeover {conversation_id}``: a coordinator takes an expert's chat over."""
        coordinator_id = await self._expert(sid)
        await self.services.oversight.check_take_over(coordinator_id, payload.conversation_id)
        await self.leave_room(sid, watch_room(payload.conversation_id))
        return p.Done()

    async def overview(self, sid: str, payload: p.Nothing) -> p.Overview:
        """``chats:overview``: every active chat of the team, with its expert (coordinators)."""
        return p.Overview(chats=await self.services.oversight.active_chats_overview())

    async def block_visitor(self, sid: str, payload: p.BlockVisitor) -> p.Done:
        """``visitor:block {conversation_id, hashed_ip?}``: end an abusive chat and block it.

        The expert holding the chat, or a coordinator. With ``hashed_ip`` the visitor's
        address is refused for 24 hours too (see chatserver/chat/blocking.py).
        """
        await self.services.blocking.check_block_visitor(
            await self._expert(sid),
            await self.session_value(sid, "role"),
            payload.conversation_id,
            await self._visitor_address_keys(payload.conversation_id),
            payload.hashed_ip,
        )
        return p.Done()

    async def _visitor_address_keys(self, conversation_id: str) -> list[str]:
        """The hashed addresses of the conversation's visitor sockets on this instance."""
        room = conversation_room(conversation_id)
        keys = []
        for visitor_sid, _ in self.server.manager.get_participants(VISITOR, room):
            session = await self.server.get_session(visitor_sid, namespace=VISITOR)
            if session.get("rate_key"):
                keys.append(session["rate_key"])
        return keys
