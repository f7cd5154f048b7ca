"""Choose the live store from the settings: Redis when configured, else memory."""

from __future__ import annotations

from chatserver.live.memory import MemoryLiveStore
from chatserver.live.models import Retention
from chatserver.live.store import LiveStore
from nabij.settings import Settings


def create_store(settings: Settings, retention: Retention) -> LiveStore:
    """A RedisLiveStore with ``NABIJ_REDIS_URL``, else the in-process MemoryLiveStore.

    ``retention`` bounds content in either (``chat/deadlines.py`` derives it from the
    settings).
    """
    if settings.redis_url:
        from chatserver.live.redis import RedisLiveStore

        return RedisLiveStore.from_url(
            settings.redis_url, settings.redis_prefix, settings.redis_pool_size, retention
        )
    return MemoryLiveStore(retention)
