"""The live side of a change made with the ``nabij`` command, as the console makes it.

The console runs inside the server, so it reaches open sockets and the live store
directly. The command is a separate process: with a shared live store (Redis) it builds
the server's own ChatService (``create_app``, not started: store and Socket.IO through
Redis) and calls the same code path, ``StaffAccessKeeper.apply_change``, so the servers'
sockets get the events over Redis at once. With the live state in memory (no
``NABIJ_REDIS_URL``) no other process can reach it; the server finds the change itself,
as it checks every open console against the database twice a second
(chatserver/realtime/staffaccess.py).
"""

from __future__ import annotations

from typing import Any

from nabij.settings import Settings

#: Printed when the live state is only in the running server's memory.
MEMORY_STORE_NOTE = (
    "The live state is in the server's memory (no NABIJ_REDIS_URL): the server itself"
    " signs this account's open consoles out within a second and hands its chats on."
)


def reaches_live_state(settings: Settings) -> bool:
    """Whether this process can reach the servers' live state (a shared Redis)."""
    return bool(settings.redis_url)


async def sign_out_everywhere(settings: Settings, user_id: int, session_hashes: list[str]) -> None:
    """The console's deactivation, live part: sessions refused, chats handed on.

    Call only when ``reaches_live_state``. The service is the server's own, built by
    ``create_app`` but never started (nothing listens; the store, the database and the
    Socket.IO manager connect on first use), so this is the same code path as the
    console's: ``StaffAccessKeeper.apply_change`` marks the sessions revoked in the live
    store (any event of their sockets is refused), finds the account inactive
    (``ChatService.do_sign_out_expert``: unavailable, consoles told over Redis, chats back
    at the head of the queue for a colleague) and nudges every server, which closes the
    account's consoles.
    """
    from chatserver import keys
    from chatserver.app import create_app

    app = create_app(settings)
    chat, sio = app[keys.chat_key], app[keys.sio_key]
    try:
        await app[keys.staff_access_key].apply_change(user_id, session_hashes)
        await sio.manager.flush()
    finally:
        await _close_manager(sio)
        await chat.close_reads()
        await app[keys.store_key].close()
        await app[keys.engine_key].dispose()


async def _close_manager(sio: Any) -> None:
    """Close the Redis client the Socket.IO manager opened to publish (none in memory)."""
    from chatserver.realtime.libcompat import redis_client

    client = redis_client(sio.manager)
    if client is not None:
        await client.aclose()
