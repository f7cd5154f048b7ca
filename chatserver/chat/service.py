"""The live chat's domain actions: ``check_*`` validates and authorizes, ``do_*`` changes state
and then notifies. The namespaces call these and turn ProtocolError into acks.

Ordering rule: a message is stored in the live store before it is emitted, so a client that
missed an emit (a dropped socket, Redis pub/sub being at-most-once) gets it on resume.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy.exc import DBAPIError

from chatserver.chat import outbox
from chatserver.chat.availability import Availability, assess, open_until
from chatserver.chat.consoles import LocalConsoles
from chatserver.chat.feedback import VisitorFeedback
from chatserver.chat.handletimes import HandleTimes
from chatserver.chat.notify import Notifier
from chatserver.chat.persist import ConversationArchive
from chatserver.chat.roster import Roster
from chatserver.chat.sharedread import SharedRead
from chatserver.chat.waitestimate import WaitEstimate, estimate_wait, wait_fields
from chatserver.chat.wire import expert_of, iso, message_payload
from chatserver.errors import ProtocolError
from chatserver.live.models import Conversation, ExpertProfile, Message, Sender
from chatserver.live.store import LiveStore
from chatserver.metrics import Metrics
from nabij.settings import Settings
from staffing.sessions import hash_token

logger = logging.getLogger(__name__)

Clock = Callable[[], float]

#: How many days ahead ``GET /api/status`` publishes the opening hours.
PUBLISHED_DAYS = 7
#: How long ``GET /api/status`` reuses the published opening hours before re-reading them.
STATUS_CACHE_S = 5.0
#: Published hours read for an instant this far back still answer while being re-read.
PUBLISHED_REUSE_S = 30.0
#: A visitor retrying a closed chat within this time counts as one missed request.
MISSED_ONCE_PER_S = 30 * 60


def handed_over_by(conversation: Conversation) -> dict[str, Any]:
    """``from_expert {id, display_name}`` of a ``chat:assigned`` after a hand-over.

    ``conversation`` as it was before the hand-over (held by the expert handing over).
    """
    return {"from_expert": {"id": conversation.expert_id, "display_name": conversation.expert_name}}


@dataclass(frozen=True)
class RequestAccepted:
    """A new conversation: assigned at once (position 0) or queued."""

    conversation: Conversation
    token: str
    position: int
    #: The likely wait when queued (chat/waitestimate.py); None: assigned, or too little data.
    wait: WaitEstimate | None


class ChatService:
    """Requests, assignment, messages and endings on top of the live store."""

    def __init__(
        self,
        settings: Settings,
        store: LiveStore,
        roster: Roster,
        archive: ConversationArchive,
        notifier: Notifier,
        clock: Clock = time.time,
        metrics: Metrics | None = None,
        handle_times: HandleTimes | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        #: Set on SIGTERM: new chats are refused with ``draining`` (lifecycle.py).
        self.draining = False
        #: Socket.IO events being handled now; a draining process waits for them.
        self.inflight = 0
        self.store = store
        self.roster = roster
        self.archive = archive
        self.notifier = notifier
        #: Measured chat lengths for the wait estimate; None: never an estimate.
        self.handle_times = handle_times
        self.clock = clock
        self.feedback = VisitorFeedback(store, archive, clock)
        #: This process's id in the live store: its sockets are counted as its own, so
        #: others can release them if it dies (chat/processes.py). Random, says nothing.
        self.process_id = secrets.token_hex(8)
        #: The console sockets this process holds: told to the store again if it forgets.
        self.consoles = LocalConsoles()
        self._published: SharedRead[tuple[float, dict[str, Any]]] = SharedRead(
            STATUS_CACHE_S, PUBLISHED_REUSE_S, generation=lambda: roster.version.generation
        )

    # -- opening hours --------------------------------------------------------------------

    async def open_capacity(self, now: float, *, fresh: bool = False) -> tuple[list[int], int]:
        """Experts on shift now, and the seats of those online and available (0 = closed)."""
        current = await self.availability(now, fresh=fresh)
        return current.candidates, current.seats

    async def availability(self, now: float, *, fresh: bool = False) -> Availability:
        """``open``, ``busy``, ``unstaffed`` or ``closed`` now (chat/availability.py)."""
        candidates = await self.roster.on_shift(now, fresh=fresh)
        return assess(candidates, await self.store.expert_states(candidates), now)

    async def close_reads(self) -> None:
        """Finish the shared roster reads running in the background (before the engine goes)."""
        await self.roster.close()
        await self._published.close()

    async def status(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """What changes with presence, and the published hours (``GET /api/status``).

        The first dict is ``{open, state}`` and, by state, ``queue_length`` (busy) or
        ``open_until`` (unstaffed). The hours are one shared dict until they are read
        again: don't change it.
        """
        now = self.clock()
        current = await self.availability(now)
        published = await self._published_hours(now, on_shift_now=bool(current.candidates))
        live: dict[str, Any] = {"open": current.takes_requests, "state": current.state}
        if current.state == "busy":
            waiting = await self.store.queue_length()
            live["queue_length"] = waiting
            live.update(wait_fields(await self.estimate_wait(waiting + 1, current.seats)))
        elif current.state == "unstaffed":
            live["open_until"] = open_until(published["opening_hours"], now)
        return live, published

    async def _published_hours(self, now: float, *, on_shift_now: bool = False) -> dict[str, Any]:
        """``next_opening`` and ``opening_hours``: one shared read, renewed every few seconds.

        Saves two roster queries and a week of intervals per ``GET /api/status``
        (docs/performance.md); a roster change in this process shows at once, one made by
        another process (the CLI) within STATUS_CACHE_S. ``open`` is not cached: it follows
        presence. ``on_shift_now``: someone is on shift now, so hours without ``now`` in
        them were read before that shift was planned elsewhere; they are read again rather
        than published beside a state that contradicts them.
        """

        def usable(published: tuple[float, dict[str, Any]]) -> bool:
            if not 0 <= now - published[0] < PUBLISHED_REUSE_S:
                return False
            return not on_shift_now or open_until(published[1]["opening_hours"], now) is not None

        read_for = await self._published.get(lambda: self._read_published_hours(now), usable)
        return read_for[1]

    async def _read_published_hours(self, now: float) -> tuple[float, dict[str, Any]]:
        opening = await self.roster.next_opening(now)
        hours = await self.roster.opening_hours(now, PUBLISHED_DAYS)
        return now, {
            "next_opening": opening.isoformat() if opening else None,
            "opening_hours": [
                {"starts_at": s.isoformat(), "ends_at": e.isoformat()} for s, e in hours
            ],
        }

    # -- visitor actions ------------------------------------------------------------------

    async def check_request_chat(
        self, audience: str, lang: str, rate_key: str, safety: str | None = None
    ) -> RequestAccepted:
        """Refuse when draining, rate limited or closed (recording a miss); else request."""
        if self.draining:
            raise ProtocolError("draining")
        now = self.clock()
        current = await self.availability(now)
        if not current.takes_requests:
            # Refuse only on a fresh read: another process may have planned a shift just now.
            current = await self.availability(now, fresh=True)
        if not current.takes_requests:
            await self._refuse_closed(current, audience, rate_key, now)
        candidates, seats = current.candidates, current.seats
        limited = await self.store.hit_rate_limit(
            f"chat:{rate_key}", self.settings.chat_requests_per_hour, 3600, now
        )
        if limited:
            raise ProtocolError("rate_limited")
        return await self.do_request_chat(audience, lang, candidates, seats, now, safety)

    async def _refuse_closed(
        self, current: Availability, audience: str, rate_key: str, now: float
    ) -> NoReturn:
        """Record the miss and refuse with ``closed``, saying which of the two states."""
        reason = "nobody_free" if current.candidates else "closed"
        await self._record_missed(audience, rate_key, now, reason)
        opening = await self.roster.next_opening(now)
        until = None
        if current.state == "unstaffed":
            hours = await self._published_hours(now, on_shift_now=True)
            until = open_until(hours["opening_hours"], now)
        raise ProtocolError(
            "closed",
            state=current.state,
            next_opening=opening.isoformat() if opening else None,
            open_until=until,
        )

    async def do_request_chat(
        self,
        audience: str,
        lang: str,
        candidates: list[int],
        seats: int,
        now: float,
        safety: str | None = None,
    ) -> RequestAccepted:
        """Create the conversation and assign it or queue it (atomic in the store)."""
        token = secrets.token_urlsafe(32)
        conversation = await self.store.create_conversation(
            uuid.uuid4().hex, hash_token(token), audience, lang, now, safety=safety
        )
        outcome = await self.store.request(conversation.id, candidates, now)
        logger.info("chat requested conversation=%s position=%d", conversation.id, outcome.position)
        current = await self.store.get_conversation(conversation.id)
        assert current is not None
        wait = await self.estimate_wait(outcome.position, seats) if outcome.position else None
        return RequestAccepted(current, token, outcome.position, wait)

    async def estimate_wait(self, position: int, seats: int) -> WaitEstimate | None:
        """The likely wait at ``position`` with ``seats`` all taken, from measured chats."""
        if self.handle_times is None:
            return None
        return estimate_wait(await self.handle_times.recent(), position, seats)

    async def notify_request_accepted(self, accepted: RequestAccepted) -> None:
        """Announce a new conversation: to its expert when assigned, else to the queue.

        A chat assigned at once was requested with the queue empty and leaves it empty, so
        only the coordinators' overview of running chats changed: ``queue:update`` goes to
        them, not to every console (a burst of 200 requests with 20 consoles would
        otherwise send 4,000).
        """
        if accepted.position == 0:
            await self.notifier.notify_conversation_assigned(accepted.conversation, [])
            self.metrics.assignments.inc()
            await self.notifier.notify_queue_changed([], coordinators_only=True)
            return
        await self.notify_queue_changed()

    async def access_visitor_conversation(self, conversation_id: str | None) -> Conversation:
        """The visitor's own conversation (the id comes from the socket session, never input)."""
        if conversation_id is None:
            raise ProtocolError("not_found", "Start a chat first.")
        conversation = await self.store.get_conversation(conversation_id)
        if conversation is None:
            raise ProtocolError("not_found")
        return conversation

    async def access_expert_conversation(
        self, expert_id: int, conversation_id: str
    ) -> Conversation:
        """An active conversation held by this expert, else not_found / ended / forbidden."""
        conversation = await self.store.get_conversation(conversation_id)
        if conversation is None:
            raise ProtocolError("not_found")
        if conversation.state == "ended":
            raise ProtocolError("ended")
        if conversation.state != "active" or conversation.expert_id != expert_id:
            raise ProtocolError("forbidden")
        return conversation

    async def do_send_message(
        self,
        conversation: Conversation,
        sender: Sender,
        client_id: str,
        body: str,
        skip_sid: str | None,
    ) -> Message:
        """Store the message (idempotent per client_id), then deliver it to both sides."""
        if conversation.state == "ended":
            raise ProtocolError("ended")
        appended = await self.store.append_message(
            conversation.id, secrets.token_hex(8), sender, client_id, body, self.clock()
        )
        if appended.is_new:
            # Delivered as the conversation is right after the append (it may have been
            # transferred since ``conversation`` was read).
            await self.notifier.notify_message_new(
                appended.conversation, appended.message, skip_sid
            )
            self.metrics.count_message(sender)
        return appended.message

    # -- staff actions --------------------------------------------------------------------

    async def do_expert_online(self, profile: ExpertProfile) -> None:
        """Count a console connection; a returning expert keeps their chats and availability."""
        async with self.consoles.lock:
            connections = await self.store.expert_connected(profile, self.clock(), self.process_id)
            self.consoles.connected(profile)
        await self.store.cancel("expert_gone", str(profile.expert_id))
        await self.expert_available(profile.expert_id)
        if connections == 1:
            await self._record_presence(profile.expert_id, online=True)

    async def do_expert_offline(self, expert_id: int) -> None:
        """On the last console gone, start the grace period for the expert's chats."""
        async with self.consoles.lock:
            remaining = await self.store.expert_disconnected(expert_id, self.process_id)
            self.consoles.disconnected(expert_id)
        if remaining == 0:
            await self.expert_gone(expert_id)

    async def expert_gone(self, expert_id: int) -> None:
        """The expert has no console left (closed, or on a dead process): start the grace.

        Their chats and their availability wait for them until it runs out
        (``do_requeue_expert_chats``): a console reloaded, or reconnected after a network
        hiccup or a deploy, finds the expert as they left it.
        """
        deadline = self.clock() + self.settings.reconnect_grace_s
        await self.store.schedule("expert_gone", str(expert_id), deadline)
        await self._record_presence(expert_id, online=False)

    async def expert_available(self, expert_id: int) -> bool | None:
        """Whether the store has the expert available now (remembered for a re-assertion).

        None when nobody has said since the store started (a restart of the memory store):
        a console that showed the expert available may then say so again.
        """
        states = await self.store.expert_states([expert_id])
        if not states or states[0].presence_at == 0:
            return None
        self.consoles.said(expert_id, (states[0].available, states[0].presence_at))
        return states[0].available

    async def do_update_profile(self, profile: ExpertProfile) -> None:
        """The account's routing profile changed: routing uses the new one from now on."""
        async with self.consoles.lock:
            held = self.consoles.get(profile.expert_id)
            if held is None:
                return
            held.profile = profile
            await self.store.assert_expert(
                profile, self.process_id, held.sockets, None, self.clock()
            )
        await self.drain_queue()

    async def reassert_consoles(self) -> int:
        """Tell the store again what this process's consoles hold; return how many experts.

        Called when the store did not know this process (``chat/processes.py``): it lost
        its data, or took this process for dead and released its sockets.
        """
        async with self.consoles.lock:
            held = self.consoles.held()
            for expert in held:
                await self.store.assert_expert(
                    expert.profile, self.process_id, expert.sockets, expert.presence, self.clock()
                )
        if held:
            await self.drain_queue()
        return len(held)

    async def visitor_gone(self, conversation_id: str) -> None:
        """The chat has no visitor socket left: end it after the grace unless they resume."""
        conversation = await self.store.get_conversation(conversation_id)
        if conversation is not None and conversation.state != "ended":
            deadline = self.clock() + self.settings.reconnect_grace_s
            await self.store.schedule("visitor_gone", conversation_id, deadline)

    async def _record_presence(self, expert_id: int, *, online: bool) -> None:
        """Presence history is for the roster's figures; a failed write must not stop chat."""
        try:
            if online:
                await self.roster.record_online(expert_id, self.clock())
            else:
                await self.roster.record_offline(expert_id, self.clock())
        except Exception:
            logger.exception("could not record presence expert=%s", expert_id)

    async def check_set_presence(self, expert_id: int, available: bool) -> bool:
        """Only an expert on shift can become available; then the queue is drained."""
        now = self.clock()
        if available and expert_id not in await self.roster.on_shift(now, fresh=True):
            raise ProtocolError("not_on_shift")
        await self._set_available(expert_id, available, now)
        if available:
            await self.drain_queue()
        return available

    async def _set_available(self, expert_id: int, available: bool, now: float) -> None:
        """Set the availability and show it on every console of the expert."""
        await self.store.set_available(expert_id, available, now)
        self.consoles.said(expert_id, (available, now))
        await self.notifier.notify_presence_changed(expert_id, available)

    async def check_accept(self, expert_id: int, conversation_id: str) -> Conversation:
        """Take a waiting chat by hand: on shift, below capacity, and first."""
        now = self.clock()
        if expert_id not in await self.roster.on_shift(now, fresh=True):
            raise ProtocolError("not_on_shift")
        result = await self.store.accept(conversation_id, expert_id, now)
        if result != "ok":
            raise ProtocolError(result)
        conversation = await self.store.get_conversation(conversation_id)
        assert conversation is not None
        await self._announce_assignment(conversation)
        await self.notify_queue_changed()
        return conversation

    async def check_transfer(
        self, expert_id: int, conversation_id: str, to_expert_id: int | None, note: str
    ) -> Conversation:
        """Hand a chat to a named expert on shift, or to the best other one free now.

        Never back to the queue: the next sweep would give it to the same expert again.
        Returns the conversation as the receiver holds it (their name: the sender's
        confirmation). The receiver's ``chat:assigned`` says who handed over.
        """
        conversation = await self.access_expert_conversation(expert_id, conversation_id)
        now = self.clock()
        on_shift = [e for e in await self.roster.on_shift(now, fresh=True) if e != expert_id]
        if to_expert_id is None:
            to_expert_id = await self._best_free(conversation.audience, on_shift, now)
        if to_expert_id is None or to_expert_id not in on_shift:
            raise ProtocolError("unavailable")
        result = await self.store.transfer(conversation_id, expert_id, to_expert_id, now)
        if result != "ok":
            raise ProtocolError(result)
        await self.notifier.notify_conversation_released(expert_id, conversation_id, "transferred")
        moved = await self.store.get_conversation(conversation_id)
        assert moved is not None
        await self._announce_assignment(
            moved, transferred_from=expert_id, note=note, **handed_over_by(conversation)
        )
        return moved

    async def _best_free(self, audience: str, candidates: list[int], now: float) -> int | None:
        """The expert routing would pick among ``candidates`` (the store re-checks capacity)."""
        states = [s for s in await self.store.expert_states(candidates) if s.is_eligible(now)]
        if not states:
            return None
        return min(states, key=lambda s: s.rank(audience)).profile.expert_id

    async def sender_names(
        self, conversation: Conversation, messages: list[Message]
    ) -> dict[int, str]:
        """Staff id -> display name of every expert who wrote one of ``messages``.

        From the live store's expert profiles (kept while the store lives), so a chat
        handed over shows each earlier expert's name at the receiver, not "you".
        """
        names = {}
        if conversation.expert_id is not None and conversation.expert_name is not None:
            names[conversation.expert_id] = conversation.expert_name
        wanted = {e for m in messages if (e := expert_of(m)) is not None} - set(names)
        if wanted:
            for state in await self.store.expert_states(sorted(wanted)):
                names[state.profile.expert_id] = state.profile.display_name
        return names

    async def staff_chats(self, expert_id: int) -> list[tuple[Conversation, list[Message]]]:
        """The expert's active conversations with every message so far (console resync)."""
        chats = []
        for conversation_id in await self.store.active_conversations(expert_id):
            conversation = await self.store.get_conversation(conversation_id)
            if conversation is not None:
                chats.append((conversation, await self.store.messages_after(conversation_id, 0)))
        return chats

    # -- assignment -----------------------------------------------------------------------

    async def drain_queue(self, exclude: int | None = None) -> int:
        """Assign queue heads while someone eligible is free; return how many were assigned."""
        now = self.clock()
        candidates = [c for c in await self.roster.on_shift(now) if c != exclude]
        assigned = 0
        while (assignment := await self.store.assign_head(candidates, now)) is not None:
            conversation = await self.store.get_conversation(assignment.conversation_id)
            if conversation is not None:
                await self._announce_assignment(conversation)
            assigned += 1
        if assigned:
            await self.notify_queue_changed()
        return assigned

    async def _announce_assignment(self, conversation: Conversation, **extra: Any) -> None:
        messages = await self.store.messages_after(conversation.id, 0)
        logger.info(
            "chat assigned conversation=%s expert=%s", conversation.id, conversation.expert_id
        )
        names = await self.sender_names(conversation, messages)
        await self.notifier.notify_conversation_assigned(conversation, messages, names, **extra)
        self.metrics.assignments.inc()

    async def notify_queue_changed(self) -> None:
        """Send the queue to the consoles and each waiting visitor their new position."""
        waiting = await self.store.queue()
        await self.notifier.notify_queue_changed(waiting)
        if not waiting:
            return
        _, seats = await self.open_capacity(self.clock())
        times = await self.handle_times.recent() if self.handle_times is not None else []
        for position, conversation in enumerate(waiting, start=1):
            wait = estimate_wait(times, position, seats)
            await self.notifier.notify_conversation_queued(conversation, position, wait)

    # -- endings --------------------------------------------------------------------------

    async def events_settled(self, timeout_s: float) -> int:
        """Wait (at most ``timeout_s``) until no socket event or (dis)connect is being
        handled (``inflight``); return how many still are."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while self.inflight > 0 and loop.time() < deadline:
            await asyncio.sleep(0.02)
        return self.inflight

    async def do_end_chat(self, conversation_id: str, by: str, reason: str) -> Conversation | None:
        """End the conversation once (the store schedules its erasure in that same step),
        then notify and persist its traces.

        ``by``/``reason`` as in ``chat:ended`` (docs/protocol.md). Once the store has ended
        it, a retry ends nothing, so a failing notification must not cost the traces: it is
        logged and the ending goes on.
        """
        now = self.clock()
        ended = await self.store.end(conversation_id, by, reason, now)
        if ended is None:
            return None
        await self.feedback.allow_after(ended, now)
        logger.info("chat ended conversation=%s by=%s reason=%s", ended.id, by, reason)
        try:
            await self.notifier.notify_conversation_ended(ended)
        except Exception as exc:
            logger.warning(
                "ending not announced conversation=%s error=%s", ended.id, type(exc).__name__
            )
        await self._persist_finished(ended)
        try:
            if ended.was_answered and ended.expert_id is not None:
                await self._after_release(ended.expert_id, now)
            else:
                await self.notify_queue_changed()
        except (DBAPIError, OSError) as exc:
            # The roster is in the database; the chat has ended all the same, and the
            # sweeper drains the queue once the database answers again.
            logger.warning("queue not drained after an ending error=%s", type(exc).__name__)
        return ended

    async def _after_release(self, expert_id: int, now: float) -> None:
        states = await self.store.expert_states([expert_id])
        if states and states[0].cooldown_until > now:
            await self.store.schedule("cooldown", str(expert_id), states[0].cooldown_until)
        if not await self.drain_queue():  # an assignment has told the consoles already
            await self.notify_queue_changed()

    async def _persist_finished(self, ended: Conversation) -> None:
        """Write the traces now, or hold them in the outbox until the database is back."""
        try:
            await self.write_finished(ended)
        except Exception as exc:  # the chat must end cleanly even when the database fails
            logger.warning(
                "traces held in the outbox conversation=%s error=%s", ended.id, type(exc).__name__
            )
            await self.store.outbox_push(outbox.finished_item(ended))

    async def write_finished(self, ended: Conversation) -> None:
        """Save the record (and registration), then tell the expert it is pending."""
        pending = await self.archive.record_finished(ended)
        if pending is not None:
            expert_id, payload = pending
            await self.notifier.notify_registration_pending(expert_id, payload)

    async def flush_outbox(self) -> int:
        """Retry the writes held while the database was down (the sweeper calls this)."""
        return await outbox.flush(self.store, self.write_finished, self.archive.record_missed)

    async def _record_missed(self, audience: str, rate_key: str, now: float, reason: str) -> None:
        """Count a visitor who found the chat closed once, however often they retry.

        ``reason``: closed (nobody on the roster) or nobody_free (rostered, none available).
        """
        if not await self.store.claim_once(f"missed:{rate_key}", MISSED_ONCE_PER_S, now):
            return
        conversation_id = uuid.uuid4().hex
        try:
            await self.archive.record_missed(conversation_id, audience, now, reason)
        except Exception as exc:
            logger.warning("missed request held in the outbox error=%s", type(exc).__name__)
            await self.store.outbox_push(outbox.missed_item(conversation_id, audience, now, reason))

    async def do_requeue_expert_chats(self, expert_id: int) -> None:
        """The expert's grace ran out: unavailable, and their chats go back to the queue head."""
        states = await self.store.expert_states([expert_id])
        if not states or states[0].connections > 0:
            return
        if states[0].available:
            await self._set_available(expert_id, False, self.clock())
        if states[0].load:
            await self._requeue_chats_of(expert_id)

    async def do_sign_out_expert(self, expert_id: int) -> None:
        """The account was deactivated: its consoles are told so now, it is no longer
        available, and its chats go back to the head of the queue without a grace.

        Idempotent: every process that finds the account gone may call it.
        """
        await self.store.set_available(expert_id, False, self.clock())
        await self.notifier.notify_signed_out(expert_id)
        if await self.store.active_conversations(expert_id):
            await self._requeue_chats_of(expert_id)

    async def _requeue_chats_of(self, expert_id: int) -> None:
        now = self.clock()
        for conversation_id in reversed(await self.store.active_conversations(expert_id)):
            if await self.store.requeue(conversation_id, now):
                logger.info("chat requeued conversation=%s expert=%s", conversation_id, expert_id)
        if not await self.drain_queue(exclude=expert_id):  # else it told the consoles
            await self.notify_queue_changed()

    async def resume_payload(self, conversation: Conversation) -> dict[str, Any]:
        """What a resuming visitor needs besides the replayed messages."""
        position = await self.store.position(conversation.id)
        expert = (
            {"display_name": conversation.expert_name} if conversation.state == "active" else None
        )
        return {
            "conversation_id": conversation.id,
            "state": conversation.state,
            "position": position,
            "expert": expert,
            "last_seq": conversation.last_seq,
            "requested_at": iso(conversation.requested_at),
        }

    async def replay(self, conversation_id: str, last_seq: int) -> list[dict[str, Any]]:
        """Every message after ``last_seq``, in order, as ``message:new`` payloads."""
        return [
            message_payload(m) for m in await self.store.messages_after(conversation_id, last_seq)
        ]
