"""The message box as a service: the visitor's and the expert's operations, one call each.

It composes the workflow of threads.py with what surrounds it: the roster (who may claim),
the live store (throttles and blocks by hashed address, never an address), the clock, and
the expert's console (a pending registration appears there after an answer). HTTP handlers
decode the payload, call one method here and shape the answer.

Guessing codes is throttled per hashed address: every lookup counts, and wrong codes count
apart; after ``WRONG_CODES_PER_HOUR`` wrong ones the address gets no lookups for an hour,
right code or not, so a guesser learns nothing from a late hit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatserver.chat.marks import BLOCKED_ADDRESS
from chatserver.chat.wire import iso
from chatserver.live.store import LiveStore
from chatserver.messagebox import threads
from chatserver.messagebox.models import MessageThread
from chatserver.messagebox.threads import (
    BoxKeys,
    MessageBoxError,
    MessageRetention,
    ThreadView,
    WaitingThread,
)
from registration.registrations import registration_as_dict
from staffing.models import StaffUser

#: Messages one address may leave per hour.
LEAVES_PER_HOUR: Final = 5
#: Lookups (read, reply, close) one address may make per hour.
LOOKUPS_PER_HOUR: Final = 60
#: Wrong codes one address may try per hour before all its lookups stop for the hour.
WRONG_CODES_PER_HOUR: Final = 10
HOUR_S: Final = 3600
LOCKED_OUT = "messagebox_locked"


class OnShift(Protocol):
    """Who is on the roster now (chatserver/chat/roster.py ``Roster``)."""

    async def on_shift(self, at: float, *, fresh: bool = False) -> list[int]: ...


PendingSink = Callable[[int, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class ShownThread:
    """A thread as JSON for its reader; the expert's display name instead of their id."""

    view: ThreadView
    names: dict[int, str]

    def as_dict(self, *, for_staff: bool) -> dict[str, Any]:
        """``{state, may_reply, messages: [{sender, body, sent_at, display_name}]}``."""
        shown: dict[str, Any] = {
            "state": self.view.state,
            "may_reply": self.view.visitor_may_reply,
            "messages": [
                {
                    "sender": m.sender,
                    "body": m.body,
                    "sent_at": iso(m.sent_at.timestamp()),
                    "display_name": self.names.get(m.expert_id) if m.expert_id else None,
                }
                for m in self.view.messages
            ],
        }
        if for_staff:
            shown.update(id=self.view.id, audience=self.view.audience, lang=self.view.lang)
        return shown


class MessageBox:
    """Leave, read, reply and close for visitors; list, claim and answer for experts."""

    def __init__(
        self,
        *,
        db: async_sessionmaker[AsyncSession],
        store: LiveStore,
        roster: OnShift,
        keys: BoxKeys,
        retention: MessageRetention,
        clock: Callable[[], float],
        timezone: ZoneInfo,
        registration_pending: PendingSink,
    ) -> None:
        self._db = db
        self._store = store
        self._roster = roster
        self._keys = keys
        self._retention = retention
        self._clock = clock
        self._tz = timezone
        self._registration_pending = registration_pending

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._clock(), dt.UTC)

    # -- the visitor -------------------------------------------------------------------

    async def leave(self, address_key: str, *, audience: str, lang: str, body: str) -> str:
        """Store a message and return its pickup code; ``rate_limited`` when blocked or busy."""
        await self._refuse_blocked(address_key)
        await self._throttle("messagebox_leave:" + address_key, LEAVES_PER_HOUR)
        async with self._db.begin() as session:
            return await threads.leave_message(
                session,
                self._keys,
                audience=audience,
                lang=lang,
                body=body,
                now=self._now(),
                retention=self._retention,
            )

    async def read(self, address_key: str, code: str) -> ShownThread:
        """The thread of ``code``, as its visitor reads it (an answer read counts as picked up)."""
        async with self._db.begin() as session:
            thread = await self._thread(session, address_key, code)
            view = await threads.read_by_visitor(session, self._keys, thread, self._now())
            return await self._shown(session, view)

    async def reply(self, address_key: str, code: str, body: str) -> ShownThread:
        """The visitor's one answer to the expert's reply; the thread waits for them again."""
        async with self._db.begin() as session:
            thread = await self._thread(session, address_key, code)
            await threads.reply_by_visitor(
                session, self._keys, thread, body, now=self._now(), retention=self._retention
            )
            view = await threads.open_thread(session, self._keys, thread)
            return await self._shown(session, view)

    async def close(self, address_key: str, code: str) -> None:
        """Delete the thread of ``code`` for good."""
        async with self._db.begin() as session:
            thread = await self._thread(session, address_key, code)
            await threads.close_by_visitor(session, thread)

    async def _thread(self, session: AsyncSession, address_key: str, code: str) -> MessageThread:
        now = self._clock()
        if await self._store.is_marked(LOCKED_OUT, address_key, now):
            raise MessageBoxError("rate_limited", "Too many tries; try again later.")
        await self._throttle("messagebox_lookup:" + address_key, LOOKUPS_PER_HOUR)
        try:
            return await threads.thread_for_code(session, self._keys, code, self._now())
        except MessageBoxError:
            wrong = "messagebox_wrong:" + address_key
            # The N-th wrong code exceeds a limit of N - 1: it locks the address out.
            if await self._store.hit_rate_limit(wrong, WRONG_CODES_PER_HOUR - 1, HOUR_S, now):
                await self._store.mark(LOCKED_OUT, address_key, HOUR_S, now)
            raise

    async def _refuse_blocked(self, address_key: str) -> None:
        if await self._store.is_marked(BLOCKED_ADDRESS, address_key, self._clock()):
            raise MessageBoxError("rate_limited", "Too many messages from here; try later.")

    async def _throttle(self, key: str, per_hour: int) -> None:
        if await self._store.hit_rate_limit(key, per_hour, HOUR_S, self._clock()):
            raise MessageBoxError("rate_limited", "Too many tries; try again later.")

    # -- the expert --------------------------------------------------------------------

    async def waiting(self, expert_id: int) -> list[WaitingThread]:
        """The messages ``expert_id`` may answer now: free ones and their own claims."""
        on_shift = await self._on_shift()
        async with self._db.begin() as session:
            return await threads.waiting_threads(session, on_shift, expert_id)

    async def claim(self, expert_id: int, thread_id: int) -> ShownThread:
        """Take a message (atomic across processes) and open it."""
        on_shift = await self._on_shift()
        async with self._db.begin() as session:
            thread = await threads.claim_thread(session, thread_id, expert_id, on_shift)
            view = await threads.open_thread(session, self._keys, thread)
            return await self._shown(session, view)

    async def open_claimed(self, expert_id: int, thread_id: int) -> ShownThread:
        """A message ``expert_id`` claimed, opened again (after a reload)."""
        async with self._db.begin() as session:
            thread = await session.get(MessageThread, thread_id)
            if thread is None or thread.claimed_by != expert_id:
                raise MessageBoxError("not_found", "No such message of yours.")
            view = await threads.open_thread(session, self._keys, thread)
            return await self._shown(session, view)

    async def answer(self, expert_id: int, thread_id: int, body: str) -> dict[str, Any]:
        """Store the answer; the pending registration goes to the expert's console too."""
        now = self._now()
        async with self._db.begin() as session:
            registration = await threads.answer_thread(
                session,
                self._keys,
                thread_id,
                expert_id,
                body,
                now=now,
                retention=self._retention,
                today=now.astimezone(self._tz).date(),
            )
            pending = registration_as_dict(registration)
        await self._registration_pending(
            expert_id,
            {"registration_id": pending["id"], "conversation_id": None, "prefill": pending},
        )
        return pending

    async def purge_expired(self, now: float) -> int:
        """Delete the threads past their retention at ``now`` (the sweeper's; idempotent)."""
        async with self._db.begin() as session:
            return await threads.purge_expired(session, dt.datetime.fromtimestamp(now, dt.UTC))

    async def _on_shift(self) -> set[int]:
        return set(await self._roster.on_shift(self._clock(), fresh=True))

    async def _shown(self, session: AsyncSession, view: ThreadView) -> ShownThread:
        ids = {m.expert_id for m in view.messages if m.expert_id is not None}
        names: dict[int, str] = {}
        if ids:
            query = select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
            names = {user_id: name for user_id, name in await session.execute(query)}
        return ShownThread(view, names)


def waiting_as_dict(item: WaitingThread, expert_id: int) -> dict[str, Any]:
    """One entry of the console's message list: no text, the age and who holds it."""
    return {
        "id": item.id,
        "audience": item.audience,
        "lang": item.lang,
        "waiting_since": iso(item.waiting_since.timestamp()),
        "follow_up": item.follow_up,
        "claimed_by_me": item.claimed_by == expert_id,
    }
