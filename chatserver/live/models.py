"""Values kept in the live store. Times are epoch seconds (floats), as in Redis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

ConversationState = Literal["waiting", "active", "ended"]
Sender = Literal["visitor", "expert", "system"]


@dataclass(frozen=True)
class ExpertProfile:
    """What routing needs to know of a connected expert (copied from the database at connect)."""

    expert_id: int
    display_name: str
    focus: frozenset[str]
    capacity: int
    cooldown_s: float = 0.0


@dataclass(frozen=True)
class ExpertState:
    """An expert's live presence and load."""

    profile: ExpertProfile
    connections: int
    available: bool
    load: int
    #: Last time the expert was given a chat, lost one, or became available ("longest idle").
    idle_since: float
    cooldown_until: float
    #: When ``available`` was last set (0: never): of two processes telling a store that
    #: lost its data what they know, the newer word wins (``LiveStore.assert_expert``).
    presence_at: float = 0.0

    def is_eligible(self, now: float) -> bool:
        """Connected, available, below capacity, not cooling down (the roster is checked apart)."""
        return (
            self.connections > 0
            and self.available
            and self.load < self.profile.capacity
            and self.cooldown_until <= now
        )

    def rank(self, audience: str) -> tuple[int, int, float]:
        """Sort key among eligible experts: focus match, then fewest chats, then longest idle."""
        match = 0 if audience in self.profile.focus else 1
        return (match, self.load, self.idle_since)


@dataclass(frozen=True)
class Conversation:
    """A live conversation (never persisted with content)."""

    id: str
    audience: str
    lang: str
    state: ConversationState
    requested_at: float
    last_seq: int = 0
    expert_id: int | None = None
    expert_name: str | None = None
    assigned_at: float | None = None
    ended_at: float | None = None
    ended_by: str | None = None
    end_reason: str | None = None
    #: True once the conversation has ever had an expert (decides answered vs abandoned).
    was_answered: bool = False
    #: The expert who held it last; kept when it goes back to the queue, so the contact
    #: is still registered by whoever talked with the visitor.
    last_expert_id: int | None = None
    #: The visitor's answer to "can you chat safely now?": safe, unsure, unsafe or None
    #: (skipped). Shown to the expert; lives and dies with the conversation.
    safety: str | None = None
    #: How the visitor is reached (chat/channels.py): "web", the widget, unless named.
    channel: str = "web"

    def with_last_seq(self, last_seq: int) -> Conversation:
        """A copy with ``last_seq`` changed: the memory store's per-message update.

        ``dataclasses.replace`` runs ``__init__`` over every field; at one call per relayed
        message it showed in the relay profile (docs/performance.md), so copy the fields.
        """
        copy = object.__new__(Conversation)
        copy.__dict__.update(self.__dict__, last_seq=last_seq)
        return copy


@dataclass(frozen=True)
class Message:
    """One chat message; ``seq`` is per conversation, 1, 2, 3, ..."""

    id: str
    seq: int
    sender: Sender
    body: str
    sent_at: float
    client_id: str | None = None


class Appended(NamedTuple):
    """What ``append_message`` did.

    ``message`` is the stored one (the first one for a resend); ``conversation`` is as it
    was right after the append, read in the same atomic step, so the caller needs no second
    read to know whom to deliver to.
    """

    message: Message
    is_new: bool
    conversation: Conversation


@dataclass(frozen=True)
class Assignment:
    """A waiting conversation given to an expert."""

    conversation_id: str
    expert_id: int


@dataclass(frozen=True)
class RequestOutcome:
    """What became of a new chat request: assigned at once, or queued at ``position``."""

    expert_id: int | None
    position: int


AcceptResult = Literal["ok", "taken", "at_capacity", "not_found"]
TransferResult = Literal["ok", "not_found", "forbidden", "unavailable"]


@dataclass(frozen=True)
class ReleasedSockets:
    """What a dead process's sockets held, now subtracted from the shared counts.

    ``conversations`` had their visitor count brought to 0 by it and ``experts`` their
    connection count: the caller starts the usual grace for them (``chat/processes.py``).
    """

    process_id: str
    conversations: list[str]
    experts: list[int]


@dataclass(frozen=True)
class Alert:
    """An expert's call for a mentor, open until a coordinator picks it up (never persisted).

    ``note`` is free text and may be personal: it lives only in the live store and is never
    logged. ``expires_at`` bounds its life when nobody picks it up.
    """

    alert_id: str
    conversation_id: str
    expert_id: int
    expert_name: str
    note: str
    raised_at: float
    expires_at: float


AddAlertResult = Literal["ok", "full"]


class Claim(NamedTuple):
    """A deadline handed to one caller until ``lease_until`` (``LiveStore.claim_due``).

    ``lease_until`` is the deadline's new time: if the caller does not ``confirm`` the claim
    by then, the deadline is due again and any process claims it. It is also the token
    ``confirm`` checks, so a deadline moved or claimed again meanwhile is not removed.
    """

    key: str
    lease_until: float


@dataclass(frozen=True)
class Retention:
    """How long a conversation's content may live in the store (given at construction).

    ``erase_after_s``: ``end`` schedules the ``erase`` deadline this long after the end (the
    reconnect grace). ``ttl_s``: the backstop that needs no sweeper: every key holding the
    conversation's content expires ``ttl_s`` after its last sign of life (created, a message,
    a visitor socket attached or detached, a heartbeat of a process holding one of its
    sockets, its end). Ended conversations are not renewed, so content outlives the end by
    ``ttl_s`` at most, whatever happens to the erase deadline.
    """

    erase_after_s: float = 60.0
    ttl_s: float = 125.0
