"""In-process live store: the embedded default for one server process.

Atomicity comes from asyncio itself: no method awaits between reading and writing, so each
call runs to completion before another can see the state.

The content bound of ``Retention`` holds here too, timed (like Redis's EXPIRE) by a clock of
the store's own, not by the callers' ``now``: a conversation past its expiry reads as gone
and is dropped (at the latest by the next heartbeat or the next second's first call).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from chatserver.live.models import (
    AcceptResult,
    AddAlertResult,
    Alert,
    Appended,
    Assignment,
    Claim,
    Conversation,
    ExpertProfile,
    ExpertState,
    Message,
    ReleasedSockets,
    RequestOutcome,
    Retention,
    Sender,
    TransferResult,
)
from chatserver.live.store import LiveStore

#: Expired conversations are looked for at most this often, or a tenth of the TTL if that
#: is shorter (a lookup also checks its own).
PURGE_EVERY_S = 1.0

K = TypeVar("K", str, int)


@dataclass
class _Expert:
    profile: ExpertProfile
    connections: int = 0
    available: bool = False
    idle_since: float = 0.0
    cooldown_until: float = 0.0
    presence_at: float = 0.0
    chats: list[str] = field(default_factory=list)

    def state(self) -> ExpertState:
        return ExpertState(
            profile=self.profile,
            connections=self.connections,
            available=self.available,
            load=len(self.chats),
            idle_since=self.idle_since,
            cooldown_until=self.cooldown_until,
            presence_at=self.presence_at,
        )


@dataclass
class _Live:
    conversation: Conversation
    token_hash: str
    visitors: int = 0
    messages: list[Message] = field(default_factory=list)
    by_client_id: dict[tuple[str, str], Message] = field(default_factory=dict)
    #: When the content is dropped, on the store's clock; renewed while it lives.
    expires_at: float = math.inf


class MemoryLiveStore(LiveStore):
    """Live state in dictionaries of this process.

    Args:
        retention: The erase delay and content TTL (``Retention``).
        clock: The clock content expiry is timed by (tests pass a fake one).
    """

    def __init__(
        self, retention: Retention | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._retention = retention or Retention()
        self._clock = clock
        self._purge_at = 0.0
        self._renewed_at = -math.inf
        self._experts: dict[int, _Expert] = {}
        self._live: dict[str, _Live] = {}
        self._tokens: dict[str, str] = {}
        self._queue: deque[str] = deque()
        self._deadlines: dict[str, dict[str, float]] = {}
        self._marks: dict[tuple[str, str], float] = {}
        #: key -> (window start, hits, window length): each key keeps its own window.
        self._rates: dict[str, tuple[float, int, int]] = {}
        self._outbox: list[str] = []
        self._alerts: dict[str, Alert] = {}
        #: Process id -> heartbeat expiry, and the sockets each process counted.
        self._processes: dict[str, float] = {}
        self._process_visitors: dict[str, Counter[str]] = {}
        self._process_experts: dict[str, Counter[int]] = {}

    # -- experts --------------------------------------------------------------------------

    async def expert_connected(
        self, profile: ExpertProfile, now: float, process_id: str | None = None
    ) -> int:
        expert = self._experts.get(profile.expert_id)
        if expert is None:
            expert = self._experts[profile.expert_id] = _Expert(profile, idle_since=now)
        expert.profile = profile
        expert.connections += 1
        if process_id is not None:
            self._process_experts.setdefault(process_id, Counter())[profile.expert_id] += 1
        return expert.connections

    async def expert_disconnected(self, expert_id: int, process_id: str | None = None) -> int:
        expert = self._experts.get(expert_id)
        if expert is None:
            return 0
        if process_id is not None and not _take_one(self._process_experts, process_id, expert_id):
            return expert.connections
        expert.connections = max(0, expert.connections - 1)
        return expert.connections

    async def set_available(self, expert_id: int, available: bool, now: float) -> None:
        expert = self._experts.get(expert_id)
        if expert is None:
            return
        _set_presence(expert, available, now, now)

    async def assert_expert(
        self,
        profile: ExpertProfile,
        process_id: str,
        connections: int,
        presence: tuple[bool, float] | None,
        now: float,
    ) -> int:
        expert = self._experts.get(profile.expert_id)
        if expert is None:
            expert = self._experts[profile.expert_id] = _Expert(profile, idle_since=now)
        expert.profile = profile
        shares = self._process_experts.setdefault(process_id, Counter())
        held = shares[profile.expert_id]
        shares[profile.expert_id] = connections
        if connections == 0:
            del shares[profile.expert_id]
        expert.connections = max(0, expert.connections + connections - held)
        if presence is not None and presence[1] > expert.presence_at:
            _set_presence(expert, presence[0], presence[1], now)
        return expert.connections

    async def expert_states(self, expert_ids: Sequence[int]) -> list[ExpertState]:
        return [self._experts[i].state() for i in expert_ids if i in self._experts]

    async def active_conversations(self, expert_id: int) -> list[str]:
        expert = self._experts.get(expert_id)
        return list(expert.chats) if expert else []

    # -- conversations and the queue ------------------------------------------------------

    async def create_conversation(
        self,
        conversation_id: str,
        token_hash: str,
        audience: str,
        lang: str,
        now: float,
        *,
        safety: str | None = None,
        channel: str = "web",
    ) -> Conversation:
        conversation = Conversation(
            id=conversation_id,
            audience=audience,
            lang=lang,
            state="waiting",
            requested_at=now,
            safety=safety,
            channel=channel,
        )
        self._purge_expired()
        live = self._live[conversation_id] = _Live(conversation, token_hash)
        self._tokens[token_hash] = conversation_id
        self._renew(live)
        return conversation

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        live = self._entry(conversation_id)
        return live.conversation if live else None

    async def conversation_for_token(self, token_hash: str) -> str | None:
        conversation_id = self._tokens.get(token_hash)
        if conversation_id is None or self._entry(conversation_id) is None:
            return None
        return conversation_id

    async def request(
        self, conversation_id: str, candidates: Sequence[int], now: float
    ) -> RequestOutcome:
        live = self._entry(conversation_id)
        if live is None:
            raise KeyError(conversation_id)
        conversation = live.conversation
        expert = None if self._queue else self._best(conversation.audience, candidates, now)
        if expert is None:
            self._queue.append(conversation_id)
            return RequestOutcome(expert_id=None, position=len(self._queue))
        self._assign(conversation_id, expert, now)
        return RequestOutcome(expert_id=expert.profile.expert_id, position=0)

    async def assign_head(self, candidates: Sequence[int], now: float) -> Assignment | None:
        self._purge_expired()
        if not self._queue:
            return None
        head = self._queue[0]
        expert = self._best(self._live[head].conversation.audience, candidates, now)
        if expert is None:
            return None
        self._queue.popleft()
        self._assign(head, expert, now)
        return Assignment(conversation_id=head, expert_id=expert.profile.expert_id)

    async def accept(self, conversation_id: str, expert_id: int, now: float) -> AcceptResult:
        live = self._entry(conversation_id)
        expert = self._experts.get(expert_id)
        if live is None or expert is None:
            return "not_found"
        if live.conversation.state != "waiting" or conversation_id not in self._queue:
            return "taken"
        if len(expert.chats) >= expert.profile.capacity:
            return "at_capacity"
        self._queue.remove(conversation_id)
        self._assign(conversation_id, expert, now)
        return "ok"

    async def queue(self) -> list[Conversation]:
        self._purge_expired()
        return [self._live[c].conversation for c in self._queue]

    async def queue_length(self) -> int:
        return len(self._queue)

    async def position(self, conversation_id: str) -> int | None:
        self._purge_expired()
        try:
            return self._queue.index(conversation_id) + 1
        except ValueError:
            return None

    async def end(
        self, conversation_id: str, by: str, reason: str, now: float
    ) -> Conversation | None:
        live = self._entry(conversation_id)
        if live is None or live.conversation.state == "ended":
            return None
        if conversation_id in self._queue:
            self._queue.remove(conversation_id)
        expert = self._holder(live.conversation)
        if expert is not None:
            expert.chats.remove(conversation_id)
            expert.idle_since = now
            expert.cooldown_until = now + expert.profile.cooldown_s
        live.conversation = dataclasses.replace(
            live.conversation, state="ended", ended_at=now, ended_by=by, end_reason=reason
        )
        self._deadlines.setdefault("erase", {})[conversation_id] = (
            now + self._retention.erase_after_s
        )
        live.expires_at = self._clock() + self._retention.ttl_s
        return live.conversation

    async def requeue(self, conversation_id: str, now: float) -> bool:
        live = self._entry(conversation_id)
        if live is None or live.conversation.state != "active":
            return False
        expert = self._holder(live.conversation)
        if expert is not None:
            expert.chats.remove(conversation_id)
            expert.idle_since = now
        live.conversation = dataclasses.replace(
            live.conversation,
            state="waiting",
            expert_id=None,
            expert_name=None,
            last_expert_id=live.conversation.expert_id,
        )
        self._queue.appendleft(conversation_id)
        return True

    async def transfer(
        self, conversation_id: str, from_expert: int, to_expert: int, now: float
    ) -> TransferResult:
        live = self._entry(conversation_id)
        if live is None or live.conversation.state != "active":
            return "not_found"
        if live.conversation.expert_id != from_expert:
            return "forbidden"
        target = self._experts.get(to_expert)
        if target is None or target.connections == 0:
            return "unavailable"
        if len(target.chats) >= target.profile.capacity:
            return "unavailable"
        source = self._experts[from_expert]
        source.chats.remove(conversation_id)
        source.idle_since = now
        self._assign(conversation_id, target, now)
        return "ok"

    def _holder(self, conversation: Conversation) -> _Expert | None:
        if conversation.state != "active" or conversation.expert_id is None:
            return None
        return self._experts.get(conversation.expert_id)

    def _best(self, audience: str, candidates: Sequence[int], now: float) -> _Expert | None:
        states = [
            (expert, expert.state())
            for i in dict.fromkeys(candidates)
            if (expert := self._experts.get(i)) is not None
        ]
        eligible = [(expert, state) for expert, state in states if state.is_eligible(now)]
        if not eligible:
            return None
        return min(eligible, key=lambda pair: pair[1].rank(audience))[0]

    def _assign(self, conversation_id: str, expert: _Expert, now: float) -> None:
        live = self._live[conversation_id]
        expert.chats.append(conversation_id)
        expert.idle_since = now
        live.conversation = dataclasses.replace(
            live.conversation,
            state="active",
            expert_id=expert.profile.expert_id,
            expert_name=expert.profile.display_name,
            assigned_at=live.conversation.assigned_at or now,
            was_answered=True,
        )

    # -- visitor presence -----------------------------------------------------------------

    async def visitor_attached(self, conversation_id: str, process_id: str | None = None) -> int:
        live = self._entry(conversation_id)
        if live is None:
            return 0
        self._renew(live)
        live.visitors += 1
        if process_id is not None:
            self._process_visitors.setdefault(process_id, Counter())[conversation_id] += 1
        return live.visitors

    async def visitor_detached(self, conversation_id: str, process_id: str | None = None) -> int:
        mine = process_id is None or _take_one(self._process_visitors, process_id, conversation_id)
        live = self._entry(conversation_id)
        if live is None:
            return 0
        self._renew(live)  # the grace starts with a whole TTL
        if mine:
            live.visitors = max(0, live.visitors - 1)
        return live.visitors

    # -- server processes -------------------------------------------------------------------

    async def heartbeat(self, process_id: str, expires_at: float) -> bool:
        unknown = process_id not in self._processes
        self._processes[process_id] = expires_at
        self._purge_expired()
        if self._clock() - self._renewed_at >= self._retention.ttl_s / 4:
            self._renewed_at = self._clock()
            self._renew_held(process_id)
        return unknown

    def _renew_held(self, process_id: str) -> None:
        """Renew the conversations ``process_id``'s visitor and console sockets hold."""
        held = list(self._process_visitors.get(process_id, Counter()))
        for expert_id in self._process_experts.get(process_id, Counter()):
            expert = self._experts.get(expert_id)
            held.extend(expert.chats if expert else ())
        for conversation_id in held:
            live = self._live.get(conversation_id)
            if live is not None:
                self._renew(live)

    async def claim_dead_processes(self, now: float) -> list[ReleasedSockets]:
        dead = sorted(pid for pid, expires in self._processes.items() if expires <= now)
        return [self._release(pid) for pid in dead]

    def _release(self, process_id: str) -> ReleasedSockets:
        """Subtract what ``process_id`` counted; the twin of ``lua/claim_dead.lua``."""
        del self._processes[process_id]
        conversations, experts = [], []
        for conversation_id, count in self._process_visitors.pop(process_id, Counter()).items():
            live = self._entry(conversation_id)
            if live is None:
                continue
            self._renew(live)  # its visitor_gone grace starts now
            live.visitors = max(0, live.visitors - count)
            if live.visitors == 0:
                conversations.append(conversation_id)
        for expert_id, count in self._process_experts.pop(process_id, Counter()).items():
            expert = self._experts.get(expert_id)
            if expert is None:
                continue
            expert.connections = max(0, expert.connections - count)
            if expert.connections == 0:
                experts.append(expert_id)
        return ReleasedSockets(process_id, sorted(conversations), sorted(experts))

    # -- messages -------------------------------------------------------------------------

    async def append_message(
        self,
        conversation_id: str,
        message_id: str,
        sender: Sender,
        client_id: str | None,
        body: str,
        now: float,
    ) -> Appended:
        live = self._entry(conversation_id)
        if live is None:
            raise KeyError(conversation_id)
        self._renew(live)
        if client_id is not None and (sender, client_id) in live.by_client_id:
            return Appended(live.by_client_id[(sender, client_id)], False, live.conversation)
        seq = live.conversation.last_seq + 1
        message = Message(message_id, seq, sender, body, now, client_id)
        live.messages.append(message)
        live.conversation = live.conversation.with_last_seq(seq)
        if client_id is not None:
            live.by_client_id[(sender, client_id)] = message
        return Appended(message, True, live.conversation)

    async def messages_after(self, conversation_id: str, seq: int) -> list[Message]:
        live = self._entry(conversation_id)
        if live is None:
            return []
        return [m for m in live.messages if m.seq > seq]

    async def erase(self, conversation_id: str) -> None:
        self._erase(conversation_id)

    def _erase(self, conversation_id: str) -> None:
        live = self._live.pop(conversation_id, None)
        if live is not None:
            self._tokens.pop(live.token_hash, None)
        if conversation_id in self._queue:
            self._queue.remove(conversation_id)

    def _renew(self, live: _Live) -> None:
        """Move the content's expiry on, unless it has ended (then only ``end`` set it)."""
        if live.conversation.state != "ended":
            live.expires_at = self._clock() + self._retention.ttl_s

    def _entry(self, conversation_id: str) -> _Live | None:
        """The conversation's entry; None, and dropped, once expired."""
        self._purge_expired()
        live = self._live.get(conversation_id)
        if live is not None and live.expires_at <= self._clock():
            self._drop(conversation_id)
            return None
        return live

    def _purge_expired(self) -> None:
        """Drop every expired conversation; looks at most once per PURGE_EVERY_S."""
        now = self._clock()
        if now < self._purge_at:
            return
        self._purge_at = now + min(PURGE_EVERY_S, self._retention.ttl_s / 10)
        for conversation_id in [c for c, live in self._live.items() if live.expires_at <= now]:
            self._drop(conversation_id)

    def _drop(self, conversation_id: str) -> None:
        """Expired content goes as by ``erase``; an expert holding it is relieved of it."""
        live = self._live.get(conversation_id)
        holder = self._holder(live.conversation) if live else None
        if holder is not None and conversation_id in holder.chats:
            holder.chats.remove(conversation_id)
        self._erase(conversation_id)

    # -- deadlines and rate limits ----------------------------------------------------------

    async def schedule(self, kind: str, key: str, at: float) -> None:
        self._deadlines.setdefault(kind, {})[key] = at

    async def cancel(self, kind: str, key: str) -> None:
        self._deadlines.get(kind, {}).pop(key, None)

    async def claim_due(
        self, kind: str, now: float, lease_s: float, limit: int = 100
    ) -> list[Claim]:
        pending = self._deadlines.get(kind, {})
        due = sorted((at, key) for key, at in pending.items() if at <= now)[:limit]
        lease_until = now + lease_s
        for _, key in due:
            pending[key] = lease_until
        return [Claim(key, lease_until) for _, key in due]

    async def confirm(self, kind: str, claim: Claim) -> bool:
        pending = self._deadlines.get(kind, {})
        if pending.get(claim.key) != claim.lease_until:
            return False
        del pending[claim.key]
        return True

    async def mark(self, kind: str, key: str, ttl_s: float, now: float) -> None:
        self._marks[(kind, key)] = now + ttl_s

    async def is_marked(self, kind: str, key: str, now: float) -> bool:
        expires = self._marks.get((kind, key))
        if expires is not None and expires <= now:
            del self._marks[(kind, key)]
            return False
        return expires is not None

    async def hit_rate_limit(self, key: str, limit: int, window_s: int, now: float) -> bool:
        started, count, _ = self._rates.get(key, (now, 0, window_s))
        if now - started >= window_s:
            started, count = now, 0
        self._rates[key] = (started, count + 1, window_s)
        self._prune_rates(now)
        return count + 1 > limit

    def _prune_rates(self, now: float) -> None:
        """Keep the table small: forget windows long past (keys are short-lived by design).

        Each entry is judged by its own window: pruning with the caller's window would reset
        the hourly chat limits whenever a 15-minute login limit is counted.
        """
        if len(self._rates) < 10_000:
            return
        self._rates = {k: v for k, v in self._rates.items() if now - v[0] < v[2]}

    # -- counts and the database outbox ------------------------------------------------------

    async def count_active(self) -> int:
        return sum(len(expert.chats) for expert in self._experts.values())

    async def outbox_push(self, item: str) -> None:
        self._outbox.append(item)

    async def outbox_peek(self, limit: int) -> list[str]:
        return self._outbox[:limit]

    async def outbox_remove(self, item: str) -> None:
        if item in self._outbox:
            self._outbox.remove(item)

    async def outbox_size(self) -> int:
        return len(self._outbox)

    # -- mentor alerts ----------------------------------------------------------------------

    async def add_alert(self, alert: Alert, now: float, limit: int) -> AddAlertResult:
        self._drop_expired_alerts(now)
        if len(self._alerts) >= limit:
            return "full"
        self._alerts[alert.alert_id] = alert
        return "ok"

    async def open_alerts(self, now: float) -> list[Alert]:
        self._drop_expired_alerts(now)
        return sorted(self._alerts.values(), key=lambda a: (a.raised_at, a.alert_id))

    async def ack_alert(self, alert_id: str, now: float) -> Alert | None:
        self._drop_expired_alerts(now)
        return self._alerts.pop(alert_id, None)

    def _drop_expired_alerts(self, now: float) -> None:
        expired = [a.alert_id for a in self._alerts.values() if a.expires_at <= now]
        for alert_id in expired:
            del self._alerts[alert_id]


def _set_presence(expert: _Expert, available: bool, at: float, now: float) -> None:
    """Availability said at ``at``; becoming available starts the idle time ``now``."""
    if available and not expert.available:
        expert.idle_since = now
    expert.available = available
    expert.presence_at = at


def _take_one(counts: dict[str, Counter[K]], process_id: str, key: K) -> bool:
    """Take one of ``key`` from the process's count; False when it held none (released)."""
    mine = counts.get(process_id)
    if mine is None or mine[key] <= 0:
        return False
    mine[key] -= 1
    if mine[key] == 0:
        del mine[key]
    return True
