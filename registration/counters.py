"""Bare counters in the database: one row per key, incremented atomically by an upsert."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


async def increment(session: AsyncSession, counter: InstrumentedAttribute[int], **key: Any) -> None:
    """Add one to ``counter`` in the row of ``key`` (made at 1 when new); safe under load."""
    table = counter.class_
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**key, **{counter.key: 1})
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={counter.key: counter + 1}
    )
    await session.execute(statement)
