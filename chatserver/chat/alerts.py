"""Mentor alerts: an expert flags a safety concern and it stays open until picked up.

An alert is kept in the live store (never in the database or a log: its note is free text
and may be personal) until a coordinator or admin acknowledges it with ``alert:ack``, or
for ``ALERT_TTL_S``. Coordinators who sign in later get the open alerts through
``chats:sync``, so an alert raised while nobody was online is not lost. Only ids are logged.

The ``alert:raise`` ack counts the coordinators with a console connected now. That count
comes from the live store's connection counts (shared by every process; a crashed process's
sockets are subtracted once its heartbeat expires) and the roles in the database, so it is
right across processes, unlike python-socketio's room membership.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from chatserver.chat.accounts import StaffAccounts
from chatserver.chat.notify import Notifier
from chatserver.chat.service import ChatService
from chatserver.chat.wire import alert_payload
from chatserver.errors import OUTAGES, ProtocolError
from chatserver.live.models import Alert, Conversation
from chatserver.live.store import LiveStore
from nabij.vocab import role_at_least

logger = logging.getLogger(__name__)

#: An alert nobody picks up is dropped after a day (the team's evening has long ended).
ALERT_TTL_S = 24 * 3600
#: Open alerts of the whole team; beyond it a new one is refused, never an old one dropped.
MAX_OPEN_ALERTS = 200
#: Alerts one expert may raise per hour (a stuck button or a stolen session cannot flood).
ALERTS_PER_EXPERT_PER_HOUR = 20


@dataclass(frozen=True)
class RaisedAlert:
    """A stored alert, and how many coordinators have a console open (None: unknown)."""

    alert: Alert
    coordinators_online: int | None


class Alerts:
    """Raise, list and acknowledge mentor alerts (see the module docstring)."""

    def __init__(
        self, store: LiveStore, notifier: Notifier, accounts: StaffAccounts, flow: ChatService
    ) -> None:
        self._store = store
        self._notifier = notifier
        self._accounts = accounts
        self._flow = flow

    async def check_raise_alert(
        self, expert_id: int, expert_name: str, conversation_id: str, note: str
    ) -> RaisedAlert:
        """Raise an alert about a chat the expert holds; ``rate_limited`` beyond the limits."""
        conversation = await self._flow.access_expert_conversation(expert_id, conversation_id)
        limited = await self._store.hit_rate_limit(
            f"alert:{expert_id}", ALERTS_PER_EXPERT_PER_HOUR, 3600, self._flow.clock()
        )
        if limited:
            raise ProtocolError("rate_limited", "Too many alerts; phone your mentor.")
        alert = await self.do_raise_alert(conversation, expert_id, expert_name, note)
        return RaisedAlert(alert, await self.coordinators_online(exclude=expert_id))

    async def do_raise_alert(
        self, conversation: Conversation, expert_id: int, expert_name: str, note: str
    ) -> Alert:
        """Store the alert, then show it to the coordinators online (stored first: never lost)."""
        now = self._flow.clock()
        alert = Alert(
            alert_id=secrets.token_hex(8),
            conversation_id=conversation.id,
            expert_id=expert_id,
            expert_name=expert_name,
            note=note,
            raised_at=now,
            expires_at=now + ALERT_TTL_S,
        )
        if await self._store.add_alert(alert, now, MAX_OPEN_ALERTS) == "full":
            raise ProtocolError("rate_limited", "Too many open alerts; phone your mentor.")
        logger.info(
            "alert raised alert=%s conversation=%s expert=%s",
            alert.alert_id,
            conversation.id,
            expert_id,
        )
        await self._notifier.notify_alert_raised(alert_payload(alert, conversation))
        return alert

    async def coordinators_online(self, exclude: int) -> int | None:
        """How many coordinators and admins but ``exclude`` have a console connected now.

        None when the database or the store cannot say: the alert is stored already, and an
        error here would make the expert raise it twice.
        """
        try:
            staff = await self._accounts.active_staff()
            ids = [u.id for u in staff if role_at_least(u.role, "coordinator") and u.id != exclude]
            states = await self._store.expert_states(ids)
        except OUTAGES as exc:
            logger.warning("coordinators online unknown error=%s", type(exc).__name__)
            return None
        return sum(1 for state in states if state.connections > 0)

    async def open_alerts_for(self, expert_id: int, role: str) -> list[dict[str, Any]]:
        """Every open alert for a coordinator or admin; an expert's own for anyone else."""
        alerts = await self._store.open_alerts(self._flow.clock())
        if not role_at_least(role, "coordinator"):
            alerts = [a for a in alerts if a.expert_id == expert_id]
        store = self._store
        return [alert_payload(a, await store.get_conversation(a.conversation_id)) for a in alerts]

    async def do_ack_alert(
        self, coordinator_id: int, coordinator_name: str, alert_id: str
    ) -> Alert:
        """Close an open alert (once; ``not_found`` after) and tell everyone who picked it up.

        The event table (realtime/events.py) has checked the coordinator role.
        """
        alert = await self._store.ack_alert(alert_id, self._flow.clock())
        if alert is None:
            raise ProtocolError(
                "not_found", "No open alert with this id: it was picked up already or expired."
            )
        logger.info("alert acknowledged alert=%s by=%s", alert.alert_id, coordinator_id)
        await self._notifier.notify_alert_acked(alert, coordinator_name)
        return alert
