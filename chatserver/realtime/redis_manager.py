"""The Socket.IO client manager on Redis: a bounded pool, batched publishes, clean reconnects.

python-socketio's AsyncRedisManager publishes every emit (and every cross-process room or
disconnect request) as its own PUBLISH on one channel that every process reads. Relaying
one chat message emits to the visitor's room, the expert's room and the watchers' room:
three PUBLISHes, each decoded by every process. Here the publishes a process makes while
its previous PUBLISH is on its way are sent together as one ``batch`` message, and the
listener takes batches apart again, so python-socketio's own dispatch sees the messages one
by one, in order. A lone message goes out as it is, in python-socketio's own format.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from chatserver.live.redis import bounded_client
from chatserver.realtime.libcompat import RedisManagerHooks

logger = logging.getLogger(__name__)

#: The ``method`` of a published message that carries several.
BATCH_METHOD = "nabij.batch"
#: The ``method`` of a published message that asks the other processes to act on a topic
#: (a staff account changed): a server-to-server nudge, never sent to a client.
NUDGE_METHOD = "nabij.nudge"
#: Beyond this many messages waiting for the next PUBLISH, an emit waits until they are
#: out: Redis being slow slows the emitters down instead of growing the backlog.
BATCH_LIMIT = 256


@dataclass
class _Batch:
    """Messages waiting for the next PUBLISH, and a future set once it is done."""

    sent: asyncio.Future[None]
    messages: list[dict[str, Any]] = field(default_factory=list)


class ReconnectingRedisManager(RedisManagerHooks):
    """AsyncRedisManager on a bounded pool, batching its publishes, closing replaced clients.

    python-socketio builds its client with ``Redis.from_url``, whose pool raises
    MaxConnectionsError past its limit: under a burst of emits publishing failed
    ("Cannot publish to redis... giving up"). Here the client comes from
    ``bounded_client``, so a publish waits for a free connection (the listener holds one).

    Publishing: ``publish`` adds the message to the batch being gathered and returns; one
    sender task publishes batch after batch, in order. An emit therefore returns before
    the other processes have the event, which changes nothing for callers: delivery to
    them was never confirmed (Redis pub/sub is at-most-once, clients resync by ``last_seq``)
    and python-socketio logs and drops a failed publish either way.

    After a Redis restart ``connect_redis`` (publish retry, listener retry) makes a new
    client and pub/sub; the old ones are closed here, else each restart would leak
    connections. The old ones are dead by then, so closing them loses nothing.

    Args:
        url: A ``redis://``, ``rediss://`` or ``unix://`` URL (no Sentinel).
        channel: The pub/sub channel every process shares.
        pool_size: The most connections this manager opens.
    """

    def __init__(self, url: str, channel: str, pool_size: int) -> None:
        self._closing: set[asyncio.Task[None]] = set()
        self._pool_size = pool_size
        self._url = url
        self._gathering: _Batch | None = None
        self._sender: asyncio.Task[None] | None = None
        self._nudged: dict[str, Callable[[int], Coroutine[Any, Any, None]]] = {}
        self._nudge_tasks: set[asyncio.Task[None]] = set()
        super().__init__(url, channel=channel)

    def on_nudge(self, topic: str, handler: Callable[[int], Coroutine[Any, Any, None]]) -> None:
        """Run ``handler(value)`` when another process nudges ``topic``."""
        self._nudged[topic] = handler

    async def nudge(self, topic: str, value: int) -> None:
        """Ask every other process to run its ``topic`` handler (at most once, like emits)."""
        await self.publish(
            {"method": NUDGE_METHOD, "topic": topic, "value": value, "host_id": self.process_id}
        )

    def _take_nudge(self, message: Any) -> bool:
        """Start the handler of a nudge from another process; False if not a nudge."""
        if not isinstance(message, dict) or message.get("method") != NUDGE_METHOD:
            return False
        handler = self._nudged.get(str(message.get("topic")))
        value = message.get("value")
        if handler and message.get("host_id") != self.process_id and type(value) is int:
            # Its own task: the listener must not wait for a database read.
            task = asyncio.get_running_loop().create_task(handler(value))
            self._nudge_tasks.add(task)
            task.add_done_callback(self._nudge_tasks.discard)
        return True

    def connect_redis(self) -> None:
        """A client on the bounded pool; the clients it replaces are closed in the background."""
        client = bounded_client(self._url, self._pool_size, decode_responses=False)
        for old in self.use_redis_client(client):
            task = asyncio.get_running_loop().create_task(_close_quietly(old))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def publish(self, data: dict[str, Any]) -> None:
        """Queue ``data`` for the next PUBLISH; wait only when the backlog is full."""
        loop = asyncio.get_running_loop()
        batch = self._gathering
        if batch is None:
            batch = self._gathering = _Batch(loop.create_future())
        if self._sender is None or self._sender.done():
            # Checked on every call: a sender cancelled mid-publish leaves a batch behind.
            self._sender = loop.create_task(self._send_batches())
        batch.messages.append(data)
        if len(batch.messages) >= BATCH_LIMIT:
            await asyncio.shield(batch.sent)

    async def _send_batches(self) -> None:
        """Publish the gathered batches one after the other until none is left."""
        while (batch := self._gathering) is not None:
            self._gathering = None
            try:
                await self.publish_to_redis(self._envelope(batch.messages))
            finally:
                if not batch.sent.done():
                    batch.sent.set_result(None)

    def _envelope(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        if len(messages) == 1:
            return messages[0]
        return {"method": BATCH_METHOD, "messages": messages, "host_id": self.process_id}

    async def flush(self) -> None:
        """Wait until every queued message has been published (or dropped as failed)."""
        sender = self._sender
        if sender is not None and not sender.done():
            await asyncio.shield(sender)

    async def messages(self) -> AsyncIterator[Any]:
        """Each message of the channel, a batch taken apart into its messages."""
        async for raw in self.redis_messages():
            for message in self._unbatch(raw):
                if not self._take_nudge(message):
                    yield message

    def _unbatch(self, raw: Any) -> list[Any]:
        try:
            data = self.decode_message(raw)
        except ValueError:
            return [raw]  # not ours to judge: python-socketio skips what it cannot read
        if isinstance(data, dict) and data.get("method") == BATCH_METHOD:
            return [m for m in data.get("messages", ()) if isinstance(m, dict)]
        return [data]


async def _close_quietly(client: Any) -> None:
    with suppress(Exception):
        await client.aclose()
