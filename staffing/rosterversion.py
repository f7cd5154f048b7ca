"""The roster's version in one app: each staffing function that writes the roster says so.

``chatserver.chat.roster.Roster`` and the published opening hours keep a read of the
roster for a second or a few (docs/performance.md). Who is on shift depends on the
``shifts`` rows and on each expert's ``active`` flag, nothing else; every staffing
function that writes either calls :func:`roster_written` with its session. The app made
that session, and its maker carries the app's :class:`RosterVersion` (``session_info``),
so once the transaction has ended the version counts up and no cache of that app answers
from before the write. Writes by another process (the CLI, another replica) are not seen
here: the caches' short lifetime bounds that lag, and a refused chat request reads afresh.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

_VERSION = "nabij_roster_version"
_PENDING = "nabij_roster_written"


class RosterVersion:
    """A count of this app's committed roster writes; a cache keeps the count it read at."""

    def __init__(self) -> None:
        self._generation = 0

    @property
    def generation(self) -> int:
        """Changes whenever a roster write has ended in this app."""
        return self._generation

    def bump(self) -> None:
        """Count one roster write (called when its transaction has ended)."""
        self._generation += 1

    def session_info(self) -> dict[str, object]:
        """``info`` for the app's sessionmaker: how roster_written finds this version."""
        return {_VERSION: self}


def roster_written(session: AsyncSession) -> None:
    """Count a roster write once ``session``'s transaction has ended.

    Only then: a read that started earlier keeps the older count and is not reused. A
    session made without the app's ``session_info`` (a CLI process, a migration) has no
    cache to drop.
    """
    if not isinstance(session.info.get(_VERSION), RosterVersion):
        return
    session.info[_PENDING] = True
    target = session.sync_session
    if not event.contains(target, "after_transaction_end", _count_when_ended):
        event.listen(target, "after_transaction_end", _count_when_ended)


def _count_when_ended(session: Session, transaction: SessionTransaction) -> None:
    # After a commit and after a rollback alike: a count too many costs one read.
    if transaction.parent is None and session.info.pop(_PENDING, False):
        version = session.info[_VERSION]
        assert isinstance(version, RosterVersion)
        version.bump()
