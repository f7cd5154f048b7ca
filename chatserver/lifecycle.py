"""Each resource's lifetime is one async generator in ``app.cleanup_ctx``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress

from aiohttp import web

from chatserver import keys
from chatserver.chat.sweeper import Sweeper

#: How long shutdown waits for a sweep in progress before cancelling it.
SWEEP_STOP_TIMEOUT_S = 5.0


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """Dispose the engine's pool on shutdown."""
    yield
    await app[keys.engine_key].dispose()


async def store_ctx(app: web.Application) -> AsyncIterator[None]:
    """Close the live store's connections on shutdown."""
    yield
    await app[keys.store_key].close()


async def sweeper_ctx(app: web.Application) -> AsyncIterator[None]:
    """Run the deadline sweeper for as long as the app runs."""
    sweeper, stop = Sweeper(app[keys.chat_key], app[keys.db_key]), asyncio.Event()
    task = asyncio.create_task(sweeper.run(app[keys.settings_key].sweep_interval_s, stop))
    yield
    stop.set()
    with suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(task), SWEEP_STOP_TIMEOUT_S)
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
