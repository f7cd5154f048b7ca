"""Live store in Redis: several server processes (or hosts) share one queue and presence.

Atomicity: every method that decides or counts (``request``, ``assign_head``, ``accept``,
``end``, ``requeue``, ``transfer``, ``append_message``, ``claim_due``, ``confirm``, ``erase``,
``expert_connected``/``expert_disconnected``, ``set_available``, ``assert_expert``,
``visitor_attached``/``visitor_detached``, ``hit_rate_limit``, ``claim_dead_processes``,
``add_alert``, ``open_alerts``, ``ack_alert``)
is one Lua script from ``chatserver/live/lua/``, run with EVALSHA, so Redis executes it
without interleaving another client's command: no visitor is assigned twice, no expert goes
over capacity, no seq is given twice. Scripts that rank experts get ``pick.lua`` prepended
(the Lua twin of ``ExpertState.is_eligible`` and ``.rank``); scripts that assign get
``assign.lua``. The remaining reads are plain commands; the values they return may be stale
a moment later, which callers accept (they decide only through the scripts).

Key layout, every key under ``prefix``:

Content keys (``conv``, ``msgs``, ``msgclient``, ``token``) carry a PEXPIRE of
``Retention.ttl_s``, set where they are made and renewed in the scripts a living
conversation already runs (append, visitor attached or detached, a dead process released)
and by ``heartbeat`` for the conversations of the process's sockets; ``end`` sets it one
last time, with the erase deadline.

- ``conv:{id}`` hash: the ``Conversation`` fields (an absent field is None; ``was_answered``
  is "0"/"1"; an absent ``channel`` is "web", as conversations kept before it was recorded),
  plus ``token`` (the visitor token's hash) and ``visitors`` (the count of
  attached visitor connections).
- ``token:{hash}`` string: the conversation id.
- ``queue`` list of waiting conversation ids: RPUSH at the tail, LPUSH at the head on requeue.
- ``expert:{id}`` hash: ``display_name``, ``focus`` (",victim,perpetrator,"), ``capacity``,
  ``cooldown_s``, ``conns``, ``available`` ("0"/"1"), ``idle_since``, ``cooldown_until``,
  ``presence_at`` (when ``available`` was last set).
- ``expert_chats:{id}`` list of the expert's active conversation ids, oldest assignment
  first; its length is the expert's load.
- ``msgs:{conv}`` list of JSON messages without their seq: the one at index i has seq i + 1.
- ``msgclient:{conv}`` hash ``"sender|client_id"`` -> seq, for idempotent resends.
- ``due:{kind}`` sorted set: key -> deadline; a claimed one's score is its lease's end.
- ``outbox`` list of JSON database writes held while the database was unreachable
  (``chat/outbox.py``); an item is removed only after its write succeeded.
- ``processes`` sorted set: server process id -> heartbeat expiry (``chat/processes.py``).
- ``proc_visitors:{process}`` hash conversation id -> visitor sockets that process holds,
  and ``proc_experts:{process}`` hash expert id -> console sockets: only ids and counts,
  subtracted by ``claim_dead`` when the process's heartbeat expires.
- ``alerts`` sorted set: open alert id -> expiry, and ``alert:{id}`` string: the alert as
  JSON (its note is free text: it lives only here, until acknowledged or expired).
- ``rl:{key}`` hash ``start``, ``count``: a fixed window timed by the caller's ``now`` (as in
  the memory store), with an EXPIRE of the window so the key is short-lived.

Floats are stored as ``repr`` strings (``%.17g`` when Lua computes them) and read back with
``float()``, so they round-trip exactly.

Not for Redis Cluster: the scripts build their keys from the prefix passed in ARGV instead
of declaring them in KEYS, so all keys must live on one Redis (or a primary with replicas).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import time
from collections.abc import Sequence
from importlib import resources
from typing import Any, cast

import redis.asyncio as aioredis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from chatserver.live.models import (
    AcceptResult,
    AddAlertResult,
    Alert,
    Appended,
    Assignment,
    Claim,
    Conversation,
    ConversationState,
    ExpertProfile,
    ExpertState,
    Message,
    ReleasedSockets,
    RequestOutcome,
    Retention,
    Sender,
    TransferResult,
)
from chatserver.live.store import LiveStore

#: Connections per pool unless the caller says otherwise (``NABIJ_REDIS_POOL_SIZE``).
DEFAULT_POOL_SIZE = 32
#: Seconds a call waits for a free pooled connection before it fails with ConnectionError
#: (a RedisError: the caller answers ``temporarily_unavailable``). Only a stuck Redis or a
#: process far behind its load makes anyone wait this long (5 s still failed messages in a
#: CPU-starved bench run); a Redis that is down fails at once, on connecting.
POOL_TIMEOUT_S = 20.0

#: Helper files prepended to a script, by script name.
_LIBRARIES: dict[str, tuple[str, ...]] = {
    "request": ("pick", "assign"),
    "assign_head": ("pick", "assign"),
    "accept": ("assign",),
    "transfer": ("assign",),
    "append_message": ("content_ttl",),
    "end": ("content_ttl",),
    "visitor_attached": ("content_ttl",),
    "visitor_detached": ("content_ttl",),
    "claim_dead": ("content_ttl",),
    "renew_held": ("content_ttl",),
}
_SCRIPTS = (
    "expert_connected",
    "expert_disconnected",
    "set_available",
    "assert_expert",
    "request",
    "assign_head",
    "accept",
    "end",
    "requeue",
    "transfer",
    "visitor_attached",
    "visitor_detached",
    "append_message",
    "erase",
    "claim_due",
    "confirm",
    "renew_held",
    "hit_rate_limit",
    "claim_dead",
    "add_alert",
    "open_alerts",
    "ack_alert",
)


@functools.cache
def _script_source(name: str) -> str:
    """The Lua source of script ``name`` with its helpers in front."""
    lua = resources.files(__package__) / "lua"
    parts = (*_LIBRARIES.get(name, ()), name)
    return "\n".join((lua / f"{part}.lua").read_text(encoding="utf-8") for part in parts)


def bounded_client(
    url: str, max_connections: int = DEFAULT_POOL_SIZE, *, decode_responses: bool = True
) -> aioredis.Redis:
    """A client whose pool holds at most ``max_connections``; a burst waits for a free one.

    redis-py's default pool opens a connection per concurrent call and raises
    MaxConnectionsError past its limit, so a burst of 1,000 messages opened up to 1,000
    connections and then refused the rest. A few dozen connections keep one Redis busy;
    more only add sockets. There is no ``socket_timeout``: a blocking pub/sub read must not
    time out (DESIGN.md, scale notes).
    """
    pool = aioredis.BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=POOL_TIMEOUT_S,
        decode_responses=decode_responses,
        health_check_interval=30,
    )
    return aioredis.Redis.from_pool(pool)


def _num(value: float) -> str:
    """A float as Redis keeps it (``repr`` round-trips exactly)."""
    return repr(float(value))


def _focus(codes: frozenset[str]) -> str:
    """Focus codes as the ``expert:{id}`` hash keeps them: ",perpetrator,victim,"."""
    return "," + ",".join(sorted(codes)) + ","


def _optional_float(value: str | None) -> float | None:
    return None if value is None else float(value)


def _pairs(flat: Sequence[str]) -> dict[str, str]:
    """A hash from a script's HGETALL reply (field, value, field, value, ...)."""
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _conversation(fields: dict[str, str]) -> Conversation:
    expert_id = fields.get("expert_id")
    last_expert_id = fields.get("last_expert_id")
    return Conversation(
        id=fields["id"],
        audience=fields["audience"],
        lang=fields["lang"],
        state=cast(ConversationState, fields["state"]),
        requested_at=float(fields["requested_at"]),
        last_seq=int(fields.get("last_seq", "0")),
        expert_id=None if expert_id is None else int(expert_id),
        expert_name=fields.get("expert_name"),
        assigned_at=_optional_float(fields.get("assigned_at")),
        ended_at=_optional_float(fields.get("ended_at")),
        ended_by=fields.get("ended_by"),
        end_reason=fields.get("end_reason"),
        safety=fields.get("safety"),
        was_answered=fields.get("was_answered") == "1",
        last_expert_id=None if last_expert_id is None else int(last_expert_id),
        # Conversations created before channels were kept are the widget's.
        channel=fields.get("channel", "web"),
    )


def _message(raw: str, seq: int) -> Message:
    data = json.loads(raw)
    return Message(
        id=data["id"],
        seq=seq,
        sender=data["sender"],
        body=data["body"],
        sent_at=data["sent_at"],
        client_id=data["client_id"],
    )


def _alert_json(alert: Alert) -> str:
    return json.dumps(dataclasses.asdict(alert))


def _alert(raw: str) -> Alert:
    return Alert(**json.loads(raw))


def _expert_state(expert_id: int, fields: dict[str, str], load: int) -> ExpertState:
    profile = ExpertProfile(
        expert_id=expert_id,
        display_name=fields["display_name"],
        focus=frozenset(f for f in fields["focus"].split(",") if f),
        capacity=int(fields["capacity"]),
        cooldown_s=float(fields["cooldown_s"]),
    )
    return ExpertState(
        profile=profile,
        connections=int(fields["conns"]),
        available=fields["available"] == "1",
        load=load,
        idle_since=float(fields["idle_since"]),
        cooldown_until=float(fields["cooldown_until"]),
        presence_at=float(fields.get("presence_at", "0")),
    )


class RedisLiveStore(LiveStore):
    """Live state in Redis, shared by every process using the same ``prefix``.

    Args:
        redis: A client created with ``decode_responses=True``; ``close`` closes it.
        prefix: Prepended to every key, e.g. ``"nabij:"``.
        heartbeats: A client of its own for ``heartbeat`` (``close`` closes it too), so a
            beat never queues for a pooled connection behind a burst of chat traffic and
            the process is not taken for dead; without one, ``redis`` is used.
        retention: The erase delay and content TTL (``Retention``).
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        prefix: str,
        heartbeats: aioredis.Redis | None = None,
        retention: Retention | None = None,
    ) -> None:
        self._redis = redis
        self._heartbeats = heartbeats
        self._prefix = prefix
        self._retention = retention or Retention()
        #: The content TTL as scripts take it (PEXPIRE milliseconds).
        self._ttl_ms = str(max(1, math.ceil(self._retention.ttl_s * 1000)))
        self._renewed_at = -math.inf
        self._scripts: dict[str, AsyncScript] = {
            name: redis.register_script(_script_source(name)) for name in _SCRIPTS
        }

    @classmethod
    def from_url(
        cls,
        url: str,
        prefix: str,
        pool_size: int = DEFAULT_POOL_SIZE,
        retention: Retention | None = None,
    ) -> RedisLiveStore:
        """A store on a new bounded client for ``url``; it connects lazily (``ping`` checks)."""
        return cls(
            bounded_client(url, pool_size),
            prefix,
            heartbeats=bounded_client(url, 1),
            retention=retention,
        )

    def _key(self, *parts: str) -> str:
        return self._prefix + ":".join(parts)

    async def _run(self, script: str, *args: str) -> Any:
        """Run one script with the prefix as ARGV[1] and ``args`` after it."""
        return await self._scripts[script](args=[self._prefix, *args])

    # -- lifetime -------------------------------------------------------------------------

    async def close(self) -> None:
        await self._redis.aclose()
        if self._heartbeats is not None:
            await self._heartbeats.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    # -- experts --------------------------------------------------------------------------

    async def expert_connected(
        self, profile: ExpertProfile, now: float, process_id: str | None = None
    ) -> int:
        return int(
            await self._run(
                "expert_connected",
                str(profile.expert_id),
                profile.display_name,
                _focus(profile.focus),
                str(profile.capacity),
                _num(profile.cooldown_s),
                _num(now),
                process_id or "",
            )
        )

    async def expert_disconnected(self, expert_id: int, process_id: str | None = None) -> int:
        return int(await self._run("expert_disconnected", str(expert_id), process_id or ""))

    async def set_available(self, expert_id: int, available: bool, now: float) -> None:
        await self._run("set_available", str(expert_id), "1" if available else "0", _num(now))

    async def assert_expert(
        self,
        profile: ExpertProfile,
        process_id: str,
        connections: int,
        presence: tuple[bool, float] | None,
        now: float,
    ) -> int:
        said = "" if presence is None else "1" if presence[0] else "0"
        at = "0" if presence is None else _num(presence[1])
        return int(
            await self._run(
                "assert_expert",
                str(profile.expert_id),
                profile.display_name,
                _focus(profile.focus),
                str(profile.capacity),
                _num(profile.cooldown_s),
                _num(now),
                process_id,
                str(connections),
                said,
                at,
            )
        )

    async def expert_states(self, expert_ids: Sequence[int]) -> list[ExpertState]:
        async with self._redis.pipeline(transaction=True) as pipe:
            for expert_id in expert_ids:
                pipe.hgetall(self._key("expert", str(expert_id)))
                pipe.llen(self._key("expert_chats", str(expert_id)))
            replies: list[Any] = await pipe.execute()
        return [
            _expert_state(expert_id, fields, load)
            for expert_id, fields, load in zip(expert_ids, replies[::2], replies[1::2], strict=True)
            if fields
        ]

    async def active_conversations(self, expert_id: int) -> list[str]:
        chats = await self._redis.lrange(self._key("expert_chats", str(expert_id)), 0, -1)
        return cast(list[str], chats)

    # -- conversations and the queue ------------------------------------------------------

    async def create_conversation(
        self,
        conversation_id: str,
        token_hash: str,
        audience: str,
        lang: str,
        now: float,
        *,
        safety: str | None = None,
        channel: str = "web",
    ) -> Conversation:
        conversation = Conversation(
            id=conversation_id,
            audience=audience,
            lang=lang,
            state="waiting",
            requested_at=now,
            safety=safety,
            channel=channel,
        )
        fields: dict[FieldT, EncodableT] = {
            "id": conversation_id,
            "audience": audience,
            "lang": lang,
            "state": "waiting",
            "requested_at": _num(now),
            "last_seq": "0",
            "was_answered": "0",
            "token": token_hash,
            "channel": channel,
        }
        if safety is not None:
            fields["safety"] = safety
        ttl_ms = int(self._ttl_ms)
        async with self._redis.pipeline(transaction=True) as pipe:
            # A reused id starts afresh, as in the memory store: no stale fields or messages.
            pipe.delete(*(self._key(k, conversation_id) for k in ("conv", "msgs", "msgclient")))
            pipe.hset(self._key("conv", conversation_id), mapping=fields)
            pipe.pexpire(self._key("conv", conversation_id), ttl_ms)
            pipe.set(self._key("token", token_hash), conversation_id, px=ttl_ms)
            await pipe.execute()
        return conversation

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        fields = await self._redis.hgetall(self._key("conv", conversation_id))
        return _conversation(cast(dict[str, str], fields)) if fields else None

    async def conversation_for_token(self, token_hash: str) -> str | None:
        return cast(str | None, await self._redis.get(self._key("token", token_hash)))

    async def request(
        self, conversation_id: str, candidates: Sequence[int], now: float
    ) -> RequestOutcome:
        ids = [str(c) for c in candidates]
        reply = await self._run("request", conversation_id, _num(now), *ids)
        if reply is None:
            raise KeyError(conversation_id)
        assigned, value = cast(list[int], reply)
        if assigned:
            return RequestOutcome(expert_id=value, position=0)
        return RequestOutcome(expert_id=None, position=value)

    async def assign_head(self, candidates: Sequence[int], now: float) -> Assignment | None:
        reply = await self._run("assign_head", _num(now), *(str(c) for c in candidates))
        if reply is None:
            return None
        conversation_id, expert_id = cast(tuple[str, int], reply)
        return Assignment(conversation_id=conversation_id, expert_id=expert_id)

    async def accept(self, conversation_id: str, expert_id: int, now: float) -> AcceptResult:
        reply = await self._run("accept", conversation_id, str(expert_id), _num(now))
        return cast(AcceptResult, reply)

    async def queue(self) -> list[Conversation]:
        ids = cast(list[str], await self._redis.lrange(self._key("queue"), 0, -1))
        async with self._redis.pipeline(transaction=False) as pipe:
            for conversation_id in ids:
                pipe.hgetall(self._key("conv", conversation_id))
            replies: list[dict[str, str]] = await pipe.execute()
        # A conversation erased between the two reads is simply left out.
        return [_conversation(fields) for fields in replies if fields]

    async def queue_length(self) -> int:
        return await self._redis.llen(self._key("queue"))

    async def position(self, conversation_id: str) -> int | None:
        index = await self._redis.lpos(self._key("queue"), conversation_id)
        return None if index is None else cast(int, index) + 1

    async def end(
        self, conversation_id: str, by: str, reason: str, now: float
    ) -> Conversation | None:
        erase_at = _num(now + self._retention.erase_after_s)
        reply = await self._run(
            "end", conversation_id, by, reason, _num(now), erase_at, self._ttl_ms
        )
        return None if reply is None else _conversation(_pairs(cast(list[str], reply)))

    async def requeue(self, conversation_id: str, now: float) -> bool:
        return bool(await self._run("requeue", conversation_id, _num(now)))

    async def transfer(
        self, conversation_id: str, from_expert: int, to_expert: int, now: float
    ) -> TransferResult:
        reply = await self._run(
            "transfer", conversation_id, str(from_expert), str(to_expert), _num(now)
        )
        return cast(TransferResult, reply)

    # -- visitor presence -----------------------------------------------------------------

    async def visitor_attached(self, conversation_id: str, process_id: str | None = None) -> int:
        return int(
            await self._run("visitor_attached", conversation_id, process_id or "", self._ttl_ms)
        )

    async def visitor_detached(self, conversation_id: str, process_id: str | None = None) -> int:
        return int(
            await self._run("visitor_detached", conversation_id, process_id or "", self._ttl_ms)
        )

    # -- server processes -------------------------------------------------------------------

    async def heartbeat(self, process_id: str, expires_at: float) -> bool:
        client = self._heartbeats or self._redis
        # ZADD answers how many members it added: 1 when Redis did not know the process.
        unknown = bool(await client.zadd(self._key("processes"), {process_id: expires_at}))
        if time.monotonic() - self._renewed_at >= self._retention.ttl_s / 4:
            # On the heartbeat's own connection too: a burst must not make content expire.
            renew = self._scripts["renew_held"]
            await renew(args=[self._prefix, process_id, self._ttl_ms], client=client)
            self._renewed_at = time.monotonic()
        return unknown

    async def claim_dead_processes(self, now: float) -> list[ReleasedSockets]:
        reply = cast(list[list[Any]], await self._run("claim_dead", _num(now), self._ttl_ms))
        return [
            ReleasedSockets(str(pid), sorted(map(str, convs)), sorted(int(e) for e in experts))
            for pid, convs, experts in reply
        ]

    # -- messages -------------------------------------------------------------------------

    async def append_message(
        self,
        conversation_id: str,
        message_id: str,
        sender: Sender,
        client_id: str | None,
        body: str,
        now: float,
    ) -> Appended:
        stored = {"id": message_id, "sender": sender, "body": body, "sent_at": now}
        encoded = json.dumps({**stored, "client_id": client_id})
        dedup = "" if client_id is None else f"{sender}|{client_id}"
        reply = await self._run("append_message", conversation_id, dedup, encoded, self._ttl_ms)
        if reply is None:
            raise KeyError(conversation_id)
        is_new, seq, raw, fields = cast(tuple[int, int, str, list[str]], reply)
        conversation = _conversation(_pairs(fields))
        if is_new == 1:
            message = Message(message_id, int(seq), sender, body, now, client_id)
            return Appended(message, True, conversation)
        return Appended(_message(raw, int(seq)), False, conversation)

    async def messages_after(self, conversation_id: str, seq: int) -> list[Message]:
        start = max(0, seq)
        raw = await self._redis.lrange(self._key("msgs", conversation_id), start, -1)
        return [_message(m, start + i + 1) for i, m in enumerate(cast(list[str], raw))]

    async def erase(self, conversation_id: str) -> None:
        await self._run("erase", conversation_id)

    # -- deadlines and rate limits ----------------------------------------------------------

    async def schedule(self, kind: str, key: str, at: float) -> None:
        await self._redis.zadd(self._key("due", kind), {key: at})

    async def cancel(self, kind: str, key: str) -> None:
        await self._redis.zrem(self._key("due", kind), key)

    async def claim_due(
        self, kind: str, now: float, lease_s: float, limit: int = 100
    ) -> list[Claim]:
        reply = await self._run("claim_due", kind, _num(now), _num(lease_s), str(limit))
        lease_until, *keys = cast(list[str], reply)
        return [Claim(key, float(lease_until)) for key in keys]

    async def confirm(self, kind: str, claim: Claim) -> bool:
        return bool(await self._run("confirm", kind, claim.key, _num(claim.lease_until)))

    async def mark(self, kind: str, key: str, ttl_s: float, now: float) -> None:
        # The expiry is judged by the caller's clock (as everywhere here); EXPIRE only
        # keeps the key from outliving it in real time.
        expire_s = max(1, math.ceil(ttl_s) + 1)
        await self._redis.set(self._key("mark", kind, key), _num(now + ttl_s), ex=expire_s)

    async def is_marked(self, kind: str, key: str, now: float) -> bool:
        expires = await self._redis.get(self._key("mark", kind, key))
        return expires is not None and float(expires) > now

    async def hit_rate_limit(self, key: str, limit: int, window_s: int, now: float) -> bool:
        reply = await self._run("hit_rate_limit", key, str(limit), str(window_s), _num(now))
        return bool(reply)

    # -- counts and the database outbox ------------------------------------------------------

    async def count_active(self) -> int:
        """Sum of the experts' loads: a SCAN, fine at scrape intervals on a small keyspace."""
        keys = [k async for k in self._redis.scan_iter(match=self._key("expert_chats", "*"))]
        if not keys:
            return 0
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.llen(key)
            return sum(int(n) for n in await pipe.execute())

    async def outbox_push(self, item: str) -> None:
        await self._redis.rpush(self._key("outbox"), item)

    async def outbox_peek(self, limit: int) -> list[str]:
        items = await self._redis.lrange(self._key("outbox"), 0, limit - 1)
        return [str(item) for item in items]

    async def outbox_remove(self, item: str) -> None:
        await self._redis.lrem(self._key("outbox"), 1, item)

    async def outbox_size(self) -> int:
        return int(await self._redis.llen(self._key("outbox")))

    # -- mentor alerts ----------------------------------------------------------------------

    async def add_alert(self, alert: Alert, now: float, limit: int) -> AddAlertResult:
        expire_s = max(1, math.ceil(alert.expires_at - now) + 1)
        reply = await self._run(
            "add_alert",
            alert.alert_id,
            _alert_json(alert),
            _num(alert.expires_at),
            _num(now),
            str(limit),
            str(expire_s),
        )
        return cast(AddAlertResult, reply)

    async def open_alerts(self, now: float) -> list[Alert]:
        raw = cast(list[str], await self._run("open_alerts", _num(now)))
        return sorted(map(_alert, raw), key=lambda a: (a.raised_at, a.alert_id))

    async def ack_alert(self, alert_id: str, now: float) -> Alert | None:
        raw = await self._run("ack_alert", alert_id, _num(now))
        return None if raw is None else _alert(cast(str, raw))
