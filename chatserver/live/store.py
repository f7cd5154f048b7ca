"""The live store: queue, presence, live conversations and their messages.

Two implementations pass the same tests (tests/test_live_store.py): ``MemoryLiveStore`` for
one process, ``RedisLiveStore`` for several. Every method that decides who gets which chat
is atomic on its own: across processes no visitor is assigned twice and no expert goes over
capacity. Callers never hold a lock across two calls.

Content is bounded twice (``Retention``): ``end`` schedules the ``erase`` deadline in the
same atomic step, and every key holding a conversation's content carries a time to live
renewed only while the conversation lives, so it goes even when no sweeper runs.

``candidates`` are always the ids of experts on a shift right now (the roster, read from the
database by the caller); the store adds the live conditions (connected, available, below
capacity, not cooling down) and the ranking of ``ExpertState.rank``.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

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
    Sender,
    TransferResult,
)

#: Deadline kinds the sweeper handles.
DEADLINE_KINDS = ("visitor_gone", "expert_gone", "erase", "cooldown")


class LiveStore(abc.ABC):
    """Interface of the live state. All times are epoch seconds passed in by the caller."""

    # -- lifetime -------------------------------------------------------------------------

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections; the memory store has none."""

    async def ping(self) -> bool:
        """Return whether the store answers."""
        return True

    # -- experts --------------------------------------------------------------------------

    @abc.abstractmethod
    async def expert_connected(
        self, profile: ExpertProfile, now: float, process_id: str | None = None
    ) -> int:
        """Count one more console connection, store the profile; return the connection count.

        With ``process_id`` the connection is also counted as that process's, so that it can
        be subtracted if the process dies (``claim_dead_processes``); likewise below.

        A first connection starts unavailable with ``idle_since = now``; a profile stored
        before is replaced (capacity or focus may have changed) but load is kept.
        """

    @abc.abstractmethod
    async def expert_disconnected(self, expert_id: int, process_id: str | None = None) -> int:
        """Count one connection less (never below 0); return the remaining count.

        With ``process_id``, a connection that process no longer holds in the store (it was
        taken for dead and released) is not subtracted a second time. Availability is kept:
        an expert without a console is never eligible, and one who comes back within the
        reconnect grace is available as before (the caller ends it after the grace).
        """

    @abc.abstractmethod
    async def set_available(self, expert_id: int, available: bool, now: float) -> None:
        """Mark the expert available or not (``presence_at = now``); becoming available sets
        ``idle_since = now``. An expert the store does not know is ignored."""

    @abc.abstractmethod
    async def assert_expert(
        self,
        profile: ExpertProfile,
        process_id: str,
        connections: int,
        presence: tuple[bool, float] | None,
        now: float,
    ) -> int:
        """Make the store hold what ``process_id`` knows of an expert; return the connections.

        Stores ``profile``, sets the process's share of the expert's console connections to
        ``connections`` (the shared count moves by the difference) and, when ``presence``
        ``(available, at)`` is newer than the stored ``presence_at``, the availability. An
        expert the store lost (Redis flushed or restarted empty) is created afresh, with no
        load. Idempotent: the process calls it after a change of the account (profile) and
        whenever its heartbeat finds the store forgot it (``chat/consoles.py``).
        """

    @abc.abstractmethod
    async def expert_states(self, expert_ids: Sequence[int]) -> list[ExpertState]:
        """Return the states of those experts the store knows, in the order given."""

    @abc.abstractmethod
    async def active_conversations(self, expert_id: int) -> list[str]:
        """Return the ids of the expert's active conversations, oldest assignment first."""

    # -- conversations and the queue ------------------------------------------------------

    @abc.abstractmethod
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
        """Create a waiting conversation reachable by its visitor token's hash (not queued yet).

        ``channel``: how its visitor is reached (chat/channels.py), kept with it.
        """

    @abc.abstractmethod
    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        """Return the conversation, or None once erased or never known."""

    @abc.abstractmethod
    async def conversation_for_token(self, token_hash: str) -> str | None:
        """Return the conversation id a visitor token hash belongs to."""

    @abc.abstractmethod
    async def request(
        self, conversation_id: str, candidates: Sequence[int], now: float
    ) -> RequestOutcome:
        """Assign a new conversation at once or append it to the queue, atomically.

        It is assigned only when the queue is empty (FIFO: nobody jumps the line) and an
        eligible candidate exists; the best by rank gets it, its load goes up by one.
        """

    @abc.abstractmethod
    async def assign_head(self, candidates: Sequence[int], now: float) -> Assignment | None:
        """Give the head of the queue to the best eligible candidate, atomically; or None."""

    @abc.abstractmethod
    async def accept(self, conversation_id: str, expert_id: int, now: float) -> AcceptResult:
        """Let an expert take a waiting conversation by hand.

        ``taken`` if it is no longer waiting, ``at_capacity`` if the expert is full,
        ``not_found`` if unknown. Availability is not required: picking by hand is explicit.
        """

    @abc.abstractmethod
    async def queue(self) -> list[Conversation]:
        """Return the waiting conversations in queue order."""

    async def queue_length(self) -> int:
        """Return how many conversations wait (``GET /api/status`` when busy; cheap)."""
        return len(await self.queue())

    @abc.abstractmethod
    async def position(self, conversation_id: str) -> int | None:
        """Return the 1-based queue position, or None when not waiting."""

    @abc.abstractmethod
    async def end(
        self, conversation_id: str, by: str, reason: str, now: float
    ) -> Conversation | None:
        """End a waiting or active conversation; return it, or None if it had already ended.

        Removes it from the queue; for an assigned one lowers the expert's load, sets
        ``idle_since = now`` and ``cooldown_until = now + cooldown_s``. In the same atomic
        step it schedules the ``erase`` deadline at ``now + erase_after_s`` and sets the
        content TTL one last time: no crash between two calls can leave content unerased.
        """

    @abc.abstractmethod
    async def requeue(self, conversation_id: str, now: float) -> bool:
        """Put an active conversation back at the head of the queue (its expert was lost).

        Lowers the expert's load without a cool-down; False if it was not active.
        """

    @abc.abstractmethod
    async def transfer(
        self, conversation_id: str, from_expert: int, to_expert: int, now: float
    ) -> TransferResult:
        """Move an active conversation to another connected expert below capacity, atomically.

        ``forbidden`` if ``from_expert`` does not hold it, ``unavailable`` if the target is
        offline or full, ``not_found`` if it is not active.
        """

    # -- visitor presence -----------------------------------------------------------------

    @abc.abstractmethod
    async def visitor_attached(self, conversation_id: str, process_id: str | None = None) -> int:
        """Count a visitor connection to the conversation; return the count."""

    @abc.abstractmethod
    async def visitor_detached(self, conversation_id: str, process_id: str | None = None) -> int:
        """Count a visitor connection less (never below 0); return the remaining count."""

    # -- server processes -------------------------------------------------------------------

    @abc.abstractmethod
    async def heartbeat(self, process_id: str, expires_at: float) -> bool:
        """Say that ``process_id`` is alive until ``expires_at`` (moved on at every beat).

        A living process keeps its conversations alive: every few beats (a quarter of the
        content TTL) this also renews the TTL of every conversation one of its visitor or
        console sockets holds, and the memory store drops expired content.

        Returns True when the store did not know the process: at its first beat, and after
        the store lost its data or another process released this one as dead; then what
        this process's sockets hold must be told to the store again.
        """

    @abc.abstractmethod
    async def claim_dead_processes(self, now: float) -> list[ReleasedSockets]:
        """Release the sockets of every process whose heartbeat expired before ``now``.

        Atomic and claimed once: each dead process is returned to exactly one caller, its
        visitor and console counts already subtracted (availability is kept, as by
        ``expert_disconnected``) and its records forgotten.
        """

    # -- messages -------------------------------------------------------------------------

    @abc.abstractmethod
    async def append_message(
        self,
        conversation_id: str,
        message_id: str,
        sender: Sender,
        client_id: str | None,
        body: str,
        now: float,
    ) -> Appended:
        """Append a message with the next seq; return it, whether it is new, and the conversation.

        A resend with the same ``(sender, client_id)`` returns the first message and False.
        Raises KeyError when the conversation is unknown.
        """

    @abc.abstractmethod
    async def messages_after(self, conversation_id: str, seq: int) -> list[Message]:
        """Return the messages with a seq above ``seq``, in order."""

    @abc.abstractmethod
    async def erase(self, conversation_id: str) -> None:
        """Forget the conversation, its messages and its token (content is gone for good)."""

    # -- deadlines and rate limits ----------------------------------------------------------

    @abc.abstractmethod
    async def schedule(self, kind: str, key: str, at: float) -> None:
        """Set (or move) the deadline ``kind``/``key`` to ``at``."""

    @abc.abstractmethod
    async def cancel(self, kind: str, key: str) -> None:
        """Remove the deadline ``kind``/``key`` if set."""

    @abc.abstractmethod
    async def claim_due(
        self, kind: str, now: float, lease_s: float, limit: int = 100
    ) -> list[Claim]:
        """Claim up to ``limit`` deadlines of ``kind`` due at ``now``, earliest first.

        Atomic: each is claimed by one caller, and moved to ``now + lease_s`` rather than
        removed, so one whose handler never confirms (it failed, its process died) comes
        back due after the lease: at least once, not at most once.
        """

    @abc.abstractmethod
    async def confirm(self, kind: str, claim: Claim) -> bool:
        """Remove a handled deadline; False if it was moved, re-claimed or cancelled since.

        A deadline scheduled again while its claim was handled (a visitor left a second
        time) keeps its new time.
        """

    @abc.abstractmethod
    async def mark(self, kind: str, key: str, ttl_s: float, now: float) -> None:
        """Remember ``kind``/``key`` for ``ttl_s`` seconds (for example a revoked session)."""

    @abc.abstractmethod
    async def is_marked(self, kind: str, key: str, now: float) -> bool:
        """Return whether ``kind``/``key`` was marked and has not expired."""

    @abc.abstractmethod
    async def hit_rate_limit(self, key: str, limit: int, window_s: int, now: float) -> bool:
        """Count one event for ``key``; return True when it exceeds ``limit`` in the window.

        ``key`` must already be a hash: the store never sees an IP address.
        """

    async def claim_once(self, key: str, window_s: int, now: float) -> bool:
        """Claim ``key`` for ``window_s`` seconds; True for only the first caller, in any process.

        A run-once lock (hourly upkeep, counting a visitor once): the first event of a
        rate-limit window of one is the claim, so it shares that atomic primitive.
        """
        return not await self.hit_rate_limit(key, 1, window_s, now)

    # -- counts and the database outbox ------------------------------------------------------

    @abc.abstractmethod
    async def count_active(self) -> int:
        """Return how many conversations an expert holds now (for metrics)."""

    @abc.abstractmethod
    async def outbox_push(self, item: str) -> None:
        """Keep a database write that failed, to be retried (``chat/outbox.py``).

        ``item`` is a unique JSON string; it holds no content, only a record's fields.
        """

    @abc.abstractmethod
    async def outbox_peek(self, limit: int) -> list[str]:
        """Return up to ``limit`` held writes, oldest first, without removing them."""

    @abc.abstractmethod
    async def outbox_remove(self, item: str) -> None:
        """Drop a held write once it is done (another process may have dropped it first)."""

    @abc.abstractmethod
    async def outbox_size(self) -> int:
        """Return how many writes are held."""

    # -- mentor alerts ----------------------------------------------------------------------

    @abc.abstractmethod
    async def add_alert(self, alert: Alert, now: float, limit: int) -> AddAlertResult:
        """Keep ``alert`` open until acknowledged or ``alert.expires_at``, atomically.

        Expired alerts are dropped first; ``full`` (nothing stored) when ``limit`` alerts
        are still open. An open alert is never pushed out by a newer one.
        """

    @abc.abstractmethod
    async def open_alerts(self, now: float) -> list[Alert]:
        """Return the alerts open at ``now`` (not acknowledged, not expired), oldest first."""

    @abc.abstractmethod
    async def ack_alert(self, alert_id: str, now: float) -> Alert | None:
        """Remove an open alert and return it; None if unknown, expired or acknowledged.

        Atomic and claimed once: of two coordinators acknowledging at the same moment, on
        any processes, exactly one gets the alert.
        """
