"""One database read shared by every caller, refreshed in the background.

Routing and ``GET /api/status`` ask the roster on every chat request and every widget
load. A burst of them must neither queue on the database nor stall all together each time
a short cache runs out (docs/performance.md). So: one read at a time (single flight); a
fresh value is reused; an older one still answers while one background task re-reads it;
only a value that is too old, unusable for the question, or from before a roster write in
this app (``staffing.rosterversion``, passed in as ``generation``) makes the caller wait
for a read.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    generation: int
    read_at: float


def _never_changes() -> int:
    return 0


class SharedRead(Generic[T]):
    """Reuse a read for ``fresh_s``; answer from it up to ``stale_s`` while re-reading it.

    ``generation`` changes when what was read changed (the roster version's count): a read
    from before that answers no more.
    """

    def __init__(
        self,
        fresh_s: float,
        stale_s: float,
        monotonic: Callable[[], float] = time.monotonic,
        generation: Callable[[], int] = _never_changes,
    ) -> None:
        self.fresh_s = fresh_s
        self.stale_s = stale_s
        self._monotonic = monotonic
        self._generation = generation
        self._entry: _Entry[T] | None = None
        self._lock = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None

    async def get(
        self, read: Callable[[], Awaitable[T]], usable: Callable[[T], bool] = lambda _: True
    ) -> T:
        """The shared value; ``read`` makes a new one, ``usable`` says if one answers now."""
        entry = self._entry
        if entry is not None and self._answers(entry, usable):
            if self._monotonic() - entry.read_at >= self.fresh_s:
                self._refresh_in_background(read)
            return entry.value
        async with self._lock:
            entry = self._entry
            if entry is None or not self._answers(entry, usable):
                entry = await self._read(read)
            return entry.value

    async def renew(self, read: Callable[[], Awaitable[T]]) -> T:
        """Read now, for a caller that must not act on an older answer; share the result."""
        async with self._lock:
            return (await self._read(read)).value

    async def close(self, timeout_s: float = 5.0) -> None:
        """Let a background read finish (or cancel it) before the database is closed."""
        task = self._refresh
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout_s)
            except TimeoutError:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    def _answers(self, entry: _Entry[T], usable: Callable[[T], bool]) -> bool:
        current = entry.generation == self._generation()
        young = self._monotonic() - entry.read_at < self.stale_s
        return current and young and usable(entry.value)

    async def _read(self, read: Callable[[], Awaitable[T]]) -> _Entry[T]:
        generation, read_at = self._generation(), self._monotonic()
        entry = _Entry(await read(), generation, read_at)
        self._entry = entry
        return entry

    def _refresh_in_background(self, read: Callable[[], Awaitable[T]]) -> None:
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.ensure_future(self._reread(read))

    async def _reread(self, read: Callable[[], Awaitable[T]]) -> None:
        try:
            async with self._lock:
                await self._read(read)
        except Exception as exc:
            # The old value keeps answering until stale_s; then callers read and see it.
            logger.warning("background roster read failed error=%s", type(exc).__name__)
