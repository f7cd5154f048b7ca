"""The message box's workflow: leave, claim, answer, read back, answer once more, close.

Every function takes the unit of work's session, so a caller composes them in one
transaction. The claim is a compare-and-set on ``claimed_by`` in the database, so two
experts on two processes can never both answer one message. A thread stays with the
expert who claimed it while they are on the roster; a claim by someone off the roster
counts as no claim (the thread is back in the list), without a sweep to undo it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, delete, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.messagebox.codes import code_hash, new_code, normalize
from chatserver.messagebox.models import MessageThread, ThreadMessage
from chatserver.messagebox.sealing import Sealer
from registration.codes import AUDIENCE_TO_SEEKER
from registration.models import MessageRecord, Registration
from registration.registrations import create_pending

logger = logging.getLogger(__name__)

#: One answer from the visitor to the expert's reply, then only reading and closing.
VISITOR_TURNS_AFTER_FIRST: Final = 1
#: How often a new code is drawn when the first collides (at 50 bits: never, in practice).
CODE_ATTEMPTS: Final = 3


class MessageBoxError(Exception):
    """A refusal: ``code`` is a protocol error code, ``message`` says why in plain words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class BoxKeys:
    """What the message box needs of the server secret: the sealer and the code-hash key."""

    sealer: Sealer
    secret: str

    @classmethod
    def of(cls, secret: str) -> BoxKeys:
        """The message box's keys, all derived from ``NABIJ_SECRET_KEY``."""
        return cls(Sealer(secret), secret)


@dataclass(frozen=True)
class MessageRetention:
    """How long a thread is kept after its last message."""

    days: int

    def expiry(self, last_message_at: dt.datetime) -> dt.datetime:
        """The instant a thread whose last message came at ``last_message_at`` is deleted."""
        return last_message_at + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class ShownMessage:
    """One message as a thread's reader sees it."""

    sender: str
    body: str
    sent_at: dt.datetime
    expert_id: int | None


@dataclass(frozen=True)
class ThreadView:
    """A thread opened: its state, whether the visitor may still write, and its messages."""

    id: int
    state: str
    audience: str
    lang: str
    claimed_by: int | None
    visitor_may_reply: bool
    messages: tuple[ShownMessage, ...]


@dataclass(frozen=True)
class WaitingThread:
    """A thread in the experts' list: no text, only what is needed to pick one."""

    id: int
    audience: str
    lang: str
    waiting_since: dt.datetime
    claimed_by: int | None
    #: True when a visitor answered again: a follow-up, not a new message.
    follow_up: bool


def _place(thread_id: int, position: int) -> str:
    return f"thread {thread_id} message {position}"


async def leave_message(
    session: AsyncSession,
    keys: BoxKeys,
    *,
    audience: str,
    lang: str,
    body: str,
    now: dt.datetime,
    retention: MessageRetention,
) -> str:
    """Store a visitor's message; return its pickup code (shown once, stored only hashed)."""
    record = MessageRecord(id=secrets.token_hex(16), audience=audience, left_at=now)
    session.add(record)
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        thread = MessageThread(
            code_hash=code_hash(keys.secret, code),
            audience=audience,
            lang=lang,
            state="waiting",
            claimed_by=None,
            visitor_turns_left=VISITOR_TURNS_AFTER_FIRST,
            last_message_at=now,
            expires_at=retention.expiry(now),
            record_id=record.id,
        )
        try:
            async with session.begin_nested():
                session.add(thread)
                await session.flush()
        except IntegrityError:
            continue
        _add_message(session, keys, thread, 1, "visitor", None, body, now)
        await session.flush()
        logger.info("message left thread_id=%d", thread.id)
        return code
    raise MessageBoxError("temporarily_unavailable", "No free pickup code; try again.")


def _add_message(
    session: AsyncSession,
    keys: BoxKeys,
    thread: MessageThread,
    position: int,
    sender: str,
    expert_id: int | None,
    body: str,
    now: dt.datetime,
) -> None:
    sealed = keys.sealer.seal(body, _place(thread.id, position))
    session.add(
        ThreadMessage(
            thread_id=thread.id,
            position=position,
            sender=sender,
            expert_id=expert_id,
            sealed=sealed,
            sent_at=now,
        )
    )


async def thread_for_code(
    session: AsyncSession, keys: BoxKeys, typed: str, now: dt.datetime
) -> MessageThread:
    """The live thread of a code as typed; ``not_found`` for a wrong, closed or expired one."""
    code = normalize(typed)
    thread = None
    if code is not None:
        query = select(MessageThread).where(MessageThread.code_hash == code_hash(keys.secret, code))
        thread = (await session.execute(query)).scalar_one_or_none()
    if thread is None or thread.expires_at <= now:
        raise MessageBoxError("not_found", "No message with this code (or it was deleted).")
    return thread


async def open_thread(session: AsyncSession, keys: BoxKeys, thread: MessageThread) -> ThreadView:
    """Every message of ``thread``, unsealed, oldest first."""
    query = (
        select(ThreadMessage)
        .where(ThreadMessage.thread_id == thread.id)
        .order_by(ThreadMessage.position)
    )
    rows = (await session.execute(query)).scalars()
    messages = tuple(
        ShownMessage(
            row.sender,
            keys.sealer.open(row.sealed, _place(thread.id, row.position)),
            row.sent_at,
            row.expert_id,
        )
        for row in rows
    )
    return ThreadView(
        id=thread.id,
        state=thread.state,
        audience=thread.audience,
        lang=thread.lang,
        claimed_by=thread.claimed_by,
        visitor_may_reply=thread.state == "answered" and thread.visitor_turns_left > 0,
        messages=messages,
    )


async def read_by_visitor(
    session: AsyncSession, keys: BoxKeys, thread: MessageThread, now: dt.datetime
) -> ThreadView:
    """The thread as its visitor reads it; the first read of an answer counts as picked up."""
    view = await open_thread(session, keys, thread)
    if thread.record_id is not None and any(m.sender == "expert" for m in view.messages):
        await session.execute(
            update(MessageRecord)
            .where(MessageRecord.id == thread.record_id, MessageRecord.picked_up_at.is_(None))
            .values(picked_up_at=now)
        )
    return view


async def reply_by_visitor(
    session: AsyncSession,
    keys: BoxKeys,
    thread: MessageThread,
    body: str,
    *,
    now: dt.datetime,
    retention: MessageRetention,
) -> None:
    """The visitor's one answer to the expert's reply; the thread waits for its expert again."""
    if thread.state != "answered" or thread.visitor_turns_left <= 0:
        reason = "Wait for our answer first." if thread.state == "waiting" else "You answered."
        raise MessageBoxError("invalid", f"You cannot add a message now: {reason}")
    position = await _next_position(session, thread.id)
    _add_message(session, keys, thread, position, "visitor", None, body, now)
    thread.state = "waiting"
    thread.visitor_turns_left -= 1
    _touch(thread, now, retention)
    await session.flush()


async def close_by_visitor(session: AsyncSession, thread: MessageThread) -> None:
    """Delete the thread and every message of it for good (the figures record stays)."""
    await delete_threads(session, [thread.id])
    logger.info("message thread closed by its visitor")


async def delete_threads(session: AsyncSession, thread_ids: Collection[int]) -> int:
    """Delete these threads and their messages; return how many threads went."""
    if not thread_ids:
        return 0
    await session.execute(delete(ThreadMessage).where(ThreadMessage.thread_id.in_(thread_ids)))
    result = await session.execute(delete(MessageThread).where(MessageThread.id.in_(thread_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


async def purge_expired(session: AsyncSession, now: dt.datetime) -> int:
    """Delete every thread past its retention; idempotent, so at least once is enough."""
    query = select(MessageThread.id).where(MessageThread.expires_at <= now)
    expired = list((await session.execute(query)).scalars())
    deleted = await delete_threads(session, expired)
    if deleted:
        logger.info("message threads deleted after their retention count=%d", deleted)
    return deleted


async def waiting_threads(
    session: AsyncSession, on_shift: Collection[int], expert_id: int
) -> list[WaitingThread]:
    """Threads waiting for an answer that ``expert_id`` may take: free ones and their own.

    A thread claimed by an expert who is no longer on the roster counts as free.
    """
    query = (
        select(MessageThread)
        .where(MessageThread.state == "waiting")
        .where(_free_for(expert_id, on_shift))
        .order_by(MessageThread.last_message_at, MessageThread.id)
    )
    threads = list((await session.execute(query)).scalars())
    return [
        WaitingThread(
            id=t.id,
            audience=t.audience,
            lang=t.lang,
            waiting_since=t.last_message_at,
            claimed_by=t.claimed_by if t.claimed_by in on_shift else None,
            follow_up=t.visitor_turns_left < VISITOR_TURNS_AFTER_FIRST,
        )
        for t in threads
    ]


def _free_for(expert_id: int, on_shift: Collection[int]) -> ColumnElement[bool]:
    """Unclaimed, claimed by ``expert_id``, or claimed by someone off the roster."""
    held_elsewhere = [i for i in on_shift if i != expert_id]
    if not held_elsewhere:
        return true()
    return or_(MessageThread.claimed_by.is_(None), MessageThread.claimed_by.not_in(held_elsewhere))


async def claim_thread(
    session: AsyncSession, thread_id: int, expert_id: int, on_shift: Collection[int]
) -> MessageThread:
    """Give a waiting thread to ``expert_id``: atomic, so one message is never answered twice.

    The update only succeeds while the thread is free for this expert (``_free_for``);
    of two experts claiming at once, the database lets exactly one through.
    """
    if expert_id not in on_shift:
        raise MessageBoxError("not_on_shift", "You are not on a shift now.")
    result = await session.execute(
        update(MessageThread)
        .where(MessageThread.id == thread_id, MessageThread.state == "waiting")
        .where(_free_for(expert_id, on_shift))
        .values(claimed_by=expert_id)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise await _claim_refusal(session, thread_id)
    thread = await session.get(MessageThread, thread_id, populate_existing=True)
    assert thread is not None
    return thread


async def _claim_refusal(session: AsyncSession, thread_id: int) -> MessageBoxError:
    thread = await session.get(MessageThread, thread_id, populate_existing=True)
    if thread is None:
        return MessageBoxError("not_found", "This message is gone (closed or deleted).")
    if thread.state != "waiting":
        return MessageBoxError("taken", "This message has been answered already.")
    return MessageBoxError("taken", "A colleague took this message first.")


async def answer_thread(
    session: AsyncSession,
    keys: BoxKeys,
    thread_id: int,
    expert_id: int,
    body: str,
    *,
    now: dt.datetime,
    retention: MessageRetention,
    today: dt.date,
) -> Registration:
    """Store the claiming expert's answer; return the thread's pending registration."""
    thread = await session.get(MessageThread, thread_id, populate_existing=True)
    if thread is None:
        raise MessageBoxError("not_found", "This message is gone (closed or deleted).")
    if thread.claimed_by != expert_id or thread.state != "waiting":
        raise MessageBoxError("forbidden", "Claim this message before you answer it.")
    position = await _next_position(session, thread.id)
    _add_message(session, keys, thread, position, "expert", expert_id, body, now)
    thread.state = "answered"
    _touch(thread, now, retention)
    if thread.record_id is not None:
        await session.execute(
            update(MessageRecord)
            .where(MessageRecord.id == thread.record_id, MessageRecord.first_answer_at.is_(None))
            .values(first_answer_at=now)
        )
    registration = await _pending_registration(session, thread, expert_id, today)
    await session.flush()
    return registration


async def _pending_registration(
    session: AsyncSession, thread: MessageThread, expert_id: int, today: dt.date
) -> Registration:
    """One pending registration per thread, prefilled as a written contact (``email``).

    The evaluation's contact types have no message box; ``email`` is the written contact
    answered later that it counts, so its tables stay reproducible. ``source: message``
    tells the two apart inside Nabij. The link is cleared on completion, as for chats.
    """
    return await create_pending(
        session,
        expert_id=expert_id,
        link=f"m{thread.record_id or thread.id}"[:32],
        source="message",
        contact_type="email",
        contact_date=today,
        duration_minutes=None,
        contact_seeker=AUDIENCE_TO_SEEKER.get(thread.audience),
    )


async def _next_position(session: AsyncSession, thread_id: int) -> int:
    query = select(func.max(ThreadMessage.position)).where(ThreadMessage.thread_id == thread_id)
    return int((await session.execute(query)).scalar_one() or 0) + 1


def _touch(thread: MessageThread, now: dt.datetime, retention: MessageRetention) -> None:
    thread.last_message_at = now
    thread.expires_at = retention.expiry(now)
