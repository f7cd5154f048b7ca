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
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

from chatserver.chat.service import ChatService
from chatserver.chat.wire import alert_payload
from chatserver.errors import ProtocolError
from chatserver.live.models import Alert, Conversation
from nabij.vocab import role_at_least
from staffing.experts import list_staff

logger = logging.getLogger(__name__)

#: An alert nobody picks up is dropped after a day (the team's evening has long ended).
ALERT_TTL_S = 24 * 3600
#: Open alerts of the whole team; beyond it a new one is refused, never an old one dropped.
MAX_OPEN_ALERTS = 200
#: Alerts one expert may raise per hour (a stuck button or a stolen session cannot flood).
ALERTS_PER_EXPERT_PER_HOUR = 20


async def check_raise_alert(
    chat: ChatService, expert_id: int, expert_name: str, conversation_id: str, note: str
) -> Alert:
    """Raise an alert about a chat the expert holds; ``rate_limited`` beyond the limits."""
    conversation = await chat.access_expert_conversation(expert_id, conversation_id)
    limited = await chat.store.hit_rate_limit(
        f"alert:{expert_id}", ALERTS_PER_EXPERT_PER_HOUR, 3600, chat.clock()
    )
    if limited:
        raise ProtocolError("rate_limited", "Too many alerts; phone your mentor.")
    return await do_raise_alert(chat, conversation, expert_id, expert_name, note)


async def do_raise_alert(
    chat: ChatService, conversation: Conversation, expert_id: int, expert_name: str, note: str
) -> Alert:
    """Store the alert, then show it to the coordinators online (stored first: never lost)."""
    now = chat.clock()
    alert = Alert(
        alert_id=secrets.token_hex(8),
        conversation_id=conversation.id,
        expert_id=expert_id,
        expert_name=expert_name,
        note=note,
        raised_at=now,
        expires_at=now + ALERT_TTL_S,
    )
    if await chat.store.add_alert(alert, now, MAX_OPEN_ALERTS) == "full":
        raise ProtocolError("rate_limited", "Too many open alerts; phone your mentor.")
    logger.info(
        "alert raised alert=%s conversation=%s expert=%s",
        alert.alert_id,
        conversation.id,
        expert_id,
    )
    await chat.notifier.notify_alert_raised(alert_payload(alert, conversation))
    return alert


async def coordinators_online(chat: ChatService, db: Any, exclude: int) -> int | None:
    """How many coordinators and admins but ``exclude`` have a console connected now.

    None when the database or the store cannot say: the alert is stored already, and an
    error here would make the expert raise it twice.
    """
    try:
        async with db() as session:
            staff = await list_staff(session, active_only=True)
        ids = [u.id for u in staff if role_at_least(u.role, "coordinator") and u.id != exclude]
        states = await chat.store.expert_states(ids)
    except (DBAPIError, RedisError, OSError) as exc:
        logger.warning("coordinators online unknown error=%s", type(exc).__name__)
        return None
    return sum(1 for state in states if state.connections > 0)


async def open_alerts_for(chat: ChatService, expert_id: int, role: str) -> list[dict[str, Any]]:
    """Every open alert for a coordinator or admin; an expert's own for anyone else."""
    alerts = await chat.store.open_alerts(chat.clock())
    if not role_at_least(role, "coordinator"):
        alerts = [a for a in alerts if a.expert_id == expert_id]
    return [alert_payload(a, await chat.store.get_conversation(a.conversation_id)) for a in alerts]


async def do_ack_alert(
    chat: ChatService, coordinator_id: int, coordinator_name: str, alert_id: str
) -> Alert:
    """Close an open alert (once; ``not_found`` after) and tell everyone who picked it up.

    The caller has checked the coordinator role.
    """
    alert = await chat.store.ack_alert(alert_id, chat.clock())
    if alert is None:
        raise ProtocolError(
            "not_found", "No open alert with this id: it was picked up already or expired."
        )
    logger.info("alert acknowledged alert=%s by=%s", alert.alert_id, coordinator_id)
    await chat.notifier.notify_alert_acked(alert, coordinator_name)
    return alert
