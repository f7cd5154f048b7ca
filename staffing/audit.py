"""The audit log of roster and team changes: who did what, and when.

Entries name staff and shifts by id and hold the changed values; never a password, a
token or anything about a visitor. They are written in the same transaction as the
change, so a change is never without its entry, nor an entry without its change.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from staffing.models import AuditEntry, StaffUser


async def record_change(
    session: AsyncSession, actor_id: int | None, action: str, subject: str, **details: Any
) -> AuditEntry:
    """Add an entry (call inside the transaction of the change it describes)."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        subject=subject,
        details=json.dumps(details, sort_keys=True, default=str, ensure_ascii=False),
    )
    session.add(entry)
    await session.flush()
    return entry


async def list_changes(
    session: AsyncSession, limit: int = 100, before_id: int | None = None
) -> list[tuple[AuditEntry, str | None]]:
    """The newest entries first, each with its actor's username (None: command line)."""
    actor = aliased(StaffUser)
    query = (
        select(AuditEntry, actor.username)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [(row[0], row[1]) for row in await session.execute(query)]
