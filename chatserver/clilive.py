"""The live side of a change made with the ``nabij`` command, as the console makes it.

The console runs inside the server, so it reaches open sockets and the live store
directly. The command is a separate process: with a shared live store (Redis) it builds
the same ChatService the server builds (store, Socket.IO through Redis) and calls the
same ``do_*`` function, so the servers' sockets get the events over Redis. With the
live state in memory (no ``NABIJ_REDIS_URL``) it lives inside the server process alone
and no other process can reach it; the caller says so.
"""

from __future__ import annotations

from typing import Any

from nabij.db import create_engine, make_sessionmaker
from nabij.settings import Settings

#: Printed when the live state is only in the running server's memory.
MEMORY_STORE_NOTE = (
    "The live state is in the server's memory (no NABIJ_REDIS_URL), which this command"
    " cannot reach: consoles still open for this account stay connected until they"
    " reconnect. To end them now, deactivate in the console (Team) instead."
)


def reaches_live_state(settings: Settings) -> bool:
    """Whether this process can reach the servers' live state (a shared Redis)."""
    return bool(settings.redis_url)


async def sign_out_everywhere(settings: Settings, user_id: int, session_hashes: list[str]) -> None:
    """The console's deactivation, live part: sessions refused, chats handed on.

    Call only when ``reaches_live_state``: marks the sessions revoked in the live store
    (StaffNamespace.authorize refuses and closes their sockets at the next event), marks
    the expert unavailable, tells their consoles, and puts their chats back at the head of
    the queue for a colleague (ChatService.do_sign_out_expert).
    """
    from chatserver.chat.notify import Notifier
    from chatserver.chat.persist import ConversationArchive
    from chatserver.chat.roster import Roster
    from chatserver.chat.service import ChatService
    from chatserver.live.factory import create_store
    from chatserver.metrics import Metrics
    from chatserver.realtime.server import create_sio

    engine = create_engine(settings.database_url)
    db = make_sessionmaker(engine)
    store, sio = create_store(settings), create_sio(settings)
    archive = ConversationArchive(db, settings.timezone)
    chat = ChatService(settings, store, Roster(db), archive, Notifier(sio), metrics=Metrics())
    try:
        await chat.do_sign_out_expert(user_id, session_hashes)
        await sio.manager.flush()
    finally:
        await _close_manager(sio)
        await chat.close_reads()
        await store.close()
        await engine.dispose()


async def _close_manager(sio: Any) -> None:
    """Close the Redis client the Socket.IO manager opened to publish (none in memory)."""
    client = getattr(sio.manager, "redis", None)
    if client is not None:
        await client.aclose()
