"""Each resource's lifetime is one async generator in ``app.cleanup_ctx``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import suppress

from aiohttp import web

from chatserver import keys
from chatserver.chat.sweeper import Sweeper
from chatserver.realtime.staffaccess import RECHECK_INTERVAL_S

#: How long shutdown waits for a sweep in progress before cancelling it.
SWEEP_STOP_TIMEOUT_S = 5.0
#: How long a draining process waits for events in progress to be answered (their acks).
ACK_DRAIN_TIMEOUT_S = 5.0

logger = logging.getLogger(__name__)


async def begin_drain(app: web.Application) -> None:
    """First step of shutdown (SIGTERM): refuse new chats, let acks in progress go out.

    aiohttp has stopped accepting connections by now. Next, ``disconnect_all`` closes every
    socket: the clients reconnect through the load balancer to another process, where their
    conversations wait in Redis (visitors resume by token within the grace, consoles find
    their chats with ``chats:sync``). Bounded, so a stuck handler cannot hold the exit.
    """
    chat = app[keys.chat_key]
    chat.draining = True
    logger.info("draining events_in_progress=%d", chat.inflight)
    if await chat.events_settled(ACK_DRAIN_TIMEOUT_S):
        logger.warning("drain timed out events_in_progress=%d", chat.inflight)


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """Dispose the engine's pool on shutdown, after any background roster read is done.

    Disconnects that clients sent just before are handled in tasks of their own (a console
    going offline is written to the database); the pool is disposed once they are done,
    so none is left holding a connection that nothing closes.
    """
    yield
    chat = app[keys.chat_key]
    if await chat.events_settled(ACK_DRAIN_TIMEOUT_S):
        logger.warning("database closed with events in progress count=%d", chat.inflight)
    await chat.close_reads()
    await app[keys.engine_key].dispose()


async def store_ctx(app: web.Application) -> AsyncIterator[None]:
    """Close the live store's connections on shutdown."""
    yield
    await app[keys.store_key].close()


async def sweeper_ctx(app: web.Application) -> AsyncIterator[None]:
    """Run the deadline sweeper and this process's heartbeat for as long as the app runs.

    The first beat is awaited before any socket can connect, so every socket this process
    counts belongs to a process the others know (chat/processes.py).
    """
    chat, interval = app[keys.chat_key], app[keys.settings_key].sweep_interval_s
    processes = app[keys.services_key].processes
    sweeper = Sweeper(chat, app[keys.db_key], app[keys.messagebox_key], processes)
    stop = asyncio.Event()
    await processes.beat(interval)
    heartbeat = asyncio.create_task(processes.run_heartbeat(interval, stop))
    task = asyncio.create_task(sweeper.run(interval, stop))
    yield
    stop.set()
    with suppress(asyncio.CancelledError, TimeoutError):
        await asyncio.wait_for(heartbeat, SWEEP_STOP_TIMEOUT_S)
    logger.info("sweeper stopping")
    try:
        await asyncio.wait_for(asyncio.shield(task), SWEEP_STOP_TIMEOUT_S)
    except TimeoutError:
        logger.warning("sweeper did not stop in time; cancelled")
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
    logger.info("sweeper stopped")


async def staff_access_ctx(app: web.Application) -> AsyncIterator[None]:
    """Check every open console against its account while the app runs (staffaccess.py)."""
    keeper, stop = app[keys.staff_access_key], asyncio.Event()
    task = asyncio.create_task(keeper.run(RECHECK_INTERVAL_S, stop))
    yield
    stop.set()
    try:
        await asyncio.wait_for(asyncio.shield(task), SWEEP_STOP_TIMEOUT_S)
    except TimeoutError:
        logger.warning("staff access check did not stop in time; cancelled")
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
    await keeper.close()
