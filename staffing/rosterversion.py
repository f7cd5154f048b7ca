"""A count of committed roster writes in this process, so roster caches drop stale reads.

``chatserver.chat.roster.Roster`` keeps who is on shift for a second (docs/performance.md).
Every committed INSERT, UPDATE or DELETE on ``shifts`` or ``staff_users`` (a shift planned
or moved, an expert deactivated) through any SQLAlchemy engine of this process raises the
count, so a cache in this process never answers from before such a write. Writes made by
another process are not seen here; the cache's short lifetime bounds that lag.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

#: The tables whose rows decide who is on shift and when the chat is open.
ROSTER_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?:shifts|staff_users)\b', re.I
)
_DIRTY = "nabij_roster_written"

_generation = 0


def generation() -> int:
    """Changes whenever a roster write has been committed in this process."""
    return _generation


def bump() -> None:
    """Count a roster change made outside SQLAlchemy's connection events."""
    global _generation
    _generation += 1


def _after_cursor_execute(
    conn: Connection, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    if ROSTER_WRITE.match(statement):
        conn.info[_DIRTY] = True
        bump()  # also now: a read in the same transaction must not be cached as current


def _commit(conn: Connection) -> None:
    if conn.info.pop(_DIRTY, False):
        bump()


def _rollback(conn: Connection) -> None:
    if conn.info.pop(_DIRTY, False):
        bump()


event.listen(Engine, "after_cursor_execute", _after_cursor_execute)
event.listen(Engine, "commit", _commit)
event.listen(Engine, "rollback", _rollback)
