"""Values kept in the live store. Times are epoch seconds (floats), as in Redis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


@dataclass(frozen=True)
class Message:
    """One chat message; ``seq`` is per conversation, 1, 2, 3, ..."""

    id: str
    seq: int
    sender: Sender
    body: str
    sent_at: float
    client_id: str | None = None


@dataclass(frozen=True)
class Appended:
    """What ``append_message`` did, and the conversation right after it.

    The conversation comes with the append (one Redis script) so that delivering the
    message needs no second read to learn who holds the chat now.
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
