"""Time the notifier's own layers on the message path: ``python -m bench.notifypath``.

``Notifier.notify_message_new`` with a visitor (two tabs) and an expert in their rooms and
``sio.emit`` replaced by a no-op, so only what Nabij adds around python-socketio is timed
(picking the visitor's channel, building the payloads, skipping empty rooms). The relay
benchmark is too noisy on a shared machine to show a change of a few per cent here; run
this in two trees alternately (docs/performance.md "Channel seam").
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import socketio

from chatserver.chat.notify import STAFF, VISITOR, Notifier, conversation_room, expert_room
from chatserver.live.models import Conversation, Message

CONVERSATION = Conversation(
    id="c1",
    audience="victim",
    lang="nl",
    state="active",
    requested_at=1.0,
    expert_id=7,
    expert_name="Anna",
)
MESSAGE = Message(id="m1", seq=1, sender="visitor", body="hallo", sent_at=2.0)


async def _no_emit(*args: Any, **kwargs: Any) -> None:
    return None


async def time_per_call(calls: int, repeat: int) -> list[float]:
    """Microseconds per ``notify_message_new``, one figure per repetition."""
    sio = socketio.AsyncServer(async_mode="aiohttp")
    sio.manager.initialize()
    sio.emit = _no_emit
    notifier = Notifier(sio)
    await sio.manager.enter_room("v1", VISITOR, conversation_room("c1"), "eio-v1")
    await sio.manager.enter_room("v2", VISITOR, conversation_room("c1"), "eio-v2")
    await sio.manager.enter_room("x1", STAFF, expert_room(7), "eio-x1")
    figures = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(calls):
            await notifier.notify_message_new(CONVERSATION, MESSAGE, "v1")
        figures.append((time.perf_counter() - started) / calls * 1e6)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    figures = asyncio.run(time_per_call(args.calls, args.repeat))
    fastest, slowest, median = min(figures), max(figures), statistics.median(figures)
    print(
        f"notify_message_new: median {median:.2f} µs per call (fastest {fastest:.2f}, "
        f"slowest {slowest:.2f}; {args.repeat} runs of {args.calls})"
    )


if __name__ == "__main__":
    main()
