"""Staff accounts as the live chat sees them: sign-in at connect, revoked sessions, the team.

The ``/staff`` namespace never queries the database itself (docs/architecture.md, "Layers"):
it asks this service who a session cookie belongs to, whether a session was signed out,
and which accounts its consoles belong to now (realtime/staffaccess.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from chatserver.chat.notify import Notifier
from chatserver.chat.service import Clock
from chatserver.live.store import LiveStore
from chatserver.staffauth import REVOKED_SESSION, user_for_token
from nabij.db import utcnow
from nabij.settings import Settings
from staffing.experts import list_staff, staff_by_ids
from staffing.models import StaffUser
from staffing.sessions import live_session_hashes


class StaffAccounts:
    """Reads staff accounts and sessions; marks and checks revoked sessions in the store."""

    def __init__(
        self,
        db: async_sessionmaker[Any],
        store: LiveStore,
        notifier: Notifier,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._db = db
        self._store = store
        self._notifier = notifier
        self._settings = settings
        self._clock = clock

    async def user_for_token(self, token: str | None) -> StaffUser | None:
        """The active account signed in with this session token, or None."""
        return await user_for_token(self._db, token)

    async def active_staff(self) -> list[StaffUser]:
        """Every active staff account, ordered by username."""
        async with self._db() as session:
            return await list_staff(session, active_only=True)

    async def accounts_and_sessions(
        self, user_ids: Collection[int], session_hashes: Collection[str]
    ) -> tuple[dict[int, StaffUser], set[str]]:
        """The accounts with these ids, and which of these sessions still exist (2 queries).

        Sessions before accounts: deactivating an account deletes its sessions in the same
        commit, and the two reads are two statements. Accounts read first could see the
        account still active and then its sessions gone: "signed_out" for a deactivation.
        """
        async with self._db() as session:
            live = await live_session_hashes(session, session_hashes, utcnow())
            users = await staff_by_ids(session, user_ids)
        return users, live

    async def mark_revoked(self, session_hashes: Iterable[str]) -> None:
        """Refuse every later event of sockets signed in with these sessions, on any process."""
        now, ttl = self._clock(), self._settings.session_max_age_s
        for session_hash in session_hashes:
            await self._store.mark(REVOKED_SESSION, session_hash, ttl, now)

    async def is_revoked(self, session_hash: str) -> bool:
        """Whether the session was signed out (by this process or any other)."""
        return await self._store.is_marked(REVOKED_SESSION, session_hash, self._clock())

    def local_consoles(self) -> list[str]:
        """The ``/staff`` sockets of this process."""
        return self._notifier.local_consoles()

    async def notify_session_changed(self, sid: str, user: dict[str, Any]) -> None:
        """Tell one console that its account changed."""
        await self._notifier.notify_session_changed(sid, user)

    async def notify_session_ended(self, sid: str, reason: str) -> None:
        """Tell one console that it is signed out."""
        await self._notifier.notify_session_ended(sid, reason)

    async def notify_account_changed(self, user_id: int) -> None:
        """Nudge the other processes to check the consoles of this account."""
        await self._notifier.notify_staff_changed(user_id)
