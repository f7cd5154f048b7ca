"""Every open console has the rights its account has now, on every process.

The ``/staff`` namespace authenticates a socket once, at connect, and copies the account's
role and routing profile into the socket's session. When the account changes afterwards
(a coordinator changes its role, focus, capacity or cool-down, or deactivates it; a
password is set by its owner or through a one-time link; a session is signed out; the CLI
writes any of these), one code path brings the open sockets in line:
``StaffAccessKeeper.refresh``. It reads the accounts behind this process's console sockets
and which of their sessions still exist (two indexed queries), then:

- a socket whose session is gone, or whose account is inactive, is signed out: the session
  is marked revoked in the live store (any later event is refused ``unauthorized``), the
  socket gets ``session:ended {reason}`` and is closed; an inactive account's chats go back
  to the head of the queue at once (``ChatService.do_sign_out_expert``);
- a socket whose account changed gets the new role and profile in its session, leaves the
  rooms its role no longer allows (``coordinators``, every ``watch:*``) or joins
  ``coordinators``, and gets ``session:changed {user}``; routing uses the new profile
  (``ChatService.do_update_profile``).

It runs at once for the account concerned in the process that made the change
(``StaffAccessKeeper.apply_change``, which every write path in chatserver/http calls after
its commit) and, nudged through Redis, in every other process (``changed_elsewhere``),
and every ``RECHECK_INTERVAL_S`` for every console of every process (``run``). The last
is what makes a change count within that interval even when the nudge is lost (Redis
pub/sub is at-most-once) or nobody sent one (the CLI writes only the database).
While the database cannot be read nothing changes: a console is not signed out because
PostgreSQL is away; the revoked-session marks in the live store still refuse sign-outs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from chatserver.chat.accounts import StaffAccounts
from chatserver.chat.service import ChatService
from chatserver.errors import OUTAGES
from chatserver.live.models import ExpertProfile
from staffing.models import StaffUser

if TYPE_CHECKING:
    from chatserver.realtime.staff import StaffNamespace

#: How often every console of a process is checked against the database.
RECHECK_INTERVAL_S = 0.5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Access:
    """What a console socket may do and how it is routed: copied from its account."""

    role: str
    profile: ExpertProfile

    @classmethod
    def of(cls, user: StaffUser) -> Access:
        """The access an account gives now."""
        profile = ExpertProfile(
            expert_id=user.id,
            display_name=user.display_name,
            focus=user.focus_codes,
            capacity=user.capacity,
            cooldown_s=float(user.cooldown_s),
        )
        return cls(user.role, profile)

    def payload(self) -> dict[str, Any]:
        """``session:changed``'s ``user``: what the console shows of its account."""
        return {
            "id": self.profile.expert_id,
            "display_name": self.profile.display_name,
            "role": self.role,
            "focus": sorted(self.profile.focus),
            "capacity": self.profile.capacity,
        }


@dataclass(frozen=True)
class _Socket:
    sid: str
    expert_id: int
    session_hash: str
    access: Access


class StaffAccessKeeper:
    """Keeps this process's console sockets in line with their accounts (see module doc)."""

    def __init__(
        self, namespace: StaffNamespace, accounts: StaffAccounts, flow: ChatService
    ) -> None:
        self._namespace = namespace
        self._accounts = accounts
        self._chat = flow
        self._lock = asyncio.Lock()
        self._failing = False
        self._closed = False

    async def apply_change(self, user_id: int, ended_sessions: Iterable[str] = ()) -> None:
        """The account ``user_id`` changed (call after the commit): its consoles follow now.

        The one call for every change of role, focus, capacity, cool-down, display name,
        password or active flag. ``ended_sessions`` are the hashes of the sessions the
        change ended; they are marked revoked at once, so consoles on other processes are
        refused even before their own check (every ``RECHECK_INTERVAL_S``) closes them.
        Code without the app (the CLI) only commits: every server's periodic check does
        the rest within the interval.
        """
        await self._accounts.mark_revoked(ended_sessions)
        await self.refresh({user_id})
        await self._accounts.notify_account_changed(user_id)

    async def changed_elsewhere(self, user_id: int) -> None:
        """Another process changed ``user_id`` (its nudge): check that account's consoles."""
        if self._closed:
            return
        try:
            await self.refresh({user_id})
        except OUTAGES as exc:
            logger.warning("staff access check failed error=%s", type(exc).__name__)
        except Exception:
            logger.exception("staff access check failed")

    async def close(self) -> None:
        """Stop taking nudges and wait for a check in progress (before the engine goes)."""
        self._closed = True
        async with self._lock:
            pass

    async def refresh(self, user_ids: Collection[int] | None = None) -> None:
        """Bring the consoles of ``user_ids`` (None: all) on this process in line."""
        named = set(user_ids or ())
        async with self._lock:
            sockets = await self._sockets(user_ids)
            if not sockets and not named:
                return
            try:
                users, live = await self._read(sockets, named)
            except (SQLAlchemyError, OSError) as exc:
                if not self._failing:
                    logger.warning("staff access not checked error=%s", type(exc).__name__)
                self._failing = True
                return
            self._failing = False
            gone = {i for i in named if i not in users or not users[i].active}
            await self._apply(sockets, users, live, gone)

    async def run(self, interval_s: float, stop: asyncio.Event) -> None:
        """Refresh every console every ``interval_s`` until ``stop``; failures are logged."""
        while not stop.is_set():
            try:
                await self.refresh()
            except OUTAGES as exc:
                logger.warning("staff access check failed error=%s", type(exc).__name__)
            except Exception:
                logger.exception("staff access check failed")
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    async def _sockets(self, user_ids: Collection[int] | None) -> list[_Socket]:
        found = []
        for sid in self._accounts.local_consoles():
            try:
                session = await self._namespace.get_session(sid)
            except KeyError:  # gone since the room was read
                continue
            access = session.get("access")
            if access is None:  # still connecting
                continue
            expert_id = access.profile.expert_id
            if user_ids is None or expert_id in user_ids:
                found.append(_Socket(sid, expert_id, session["session_hash"], access))
        return found

    async def _read(
        self, sockets: list[_Socket], named: set[int]
    ) -> tuple[dict[int, StaffUser], set[str]]:
        return await self._accounts.accounts_and_sessions(
            {s.expert_id for s in sockets} | named, {s.session_hash for s in sockets}
        )

    async def _apply(
        self,
        sockets: list[_Socket],
        users: dict[int, StaffUser],
        live: set[str],
        deactivated: set[int],
    ) -> None:
        """Sign out, or update, each socket; then the store, once per account.

        ``deactivated`` starts with the named accounts found inactive, so that their chats
        go back to the queue even when none of their consoles is on this process.
        """
        changed: dict[int, Access] = {}
        for socket in sockets:
            user = users.get(socket.expert_id)
            if user is None or not user.active:
                deactivated.add(socket.expert_id)
                await self._sign_out(socket, "deactivated")
            elif socket.session_hash not in live:
                await self._sign_out(socket, "signed_out")
            elif (access := Access.of(user)) != socket.access:
                await self._namespace.apply_access(socket.sid, access)
                if access.profile != socket.access.profile:
                    changed[user.id] = access
        for expert_id in sorted(deactivated):
            logger.info("console signed out expert=%d reason=deactivated", expert_id)
            await self._chat.do_sign_out_expert(expert_id)
        for access in changed.values():
            await self._chat.do_update_profile(access.profile)

    async def _sign_out(self, socket: _Socket, reason: str) -> None:
        await self._accounts.mark_revoked([socket.session_hash])
        await self._namespace.end_session(socket.sid, reason)
