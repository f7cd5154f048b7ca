"""Helpers for the tests of staff account changes reaching open consoles."""

from __future__ import annotations

import time

from tests.harness import Nabij, Peer
from tests.waiting import eventually

#: DESIGN.md: a change to a staff account reaches every open socket within a second.
WITHIN_S = 1.0


async def closed(peer: Peer, within: float = WITHIN_S) -> float:
    """Wait until the server has closed ``peer``; return how long it took."""
    started = time.monotonic()
    await eventually(
        lambda: not peer.client.connected,
        what="the server to close the socket",
        timeout=within,
        interval=0.02,  # finer than the default: callers compare the time it took
    )
    return time.monotonic() - started


async def password_link_token(nabij: Nabij, coordinator: str, user_id: int) -> str:
    """A one-time password link's token, issued by ``coordinator`` for ``user_id``."""
    async with nabij.http(await nabij.login(coordinator)) as http:
        response = await http.post(f"{nabij.url}/api/team/{user_id}/password-link")
        assert response.status == 200, await response.text()
        link: str = (await response.json())["password_link"]
    return link.rsplit("/", 1)[1]
