"""What both namespaces share: dispatch from the event table, acks for every outcome,
session access.

``trigger_event`` finds the event in the namespace's declarations (realtime/events.py),
decodes its payload as declared, enforces its access, runs its handler and encodes the
handler's ``Reply``. An event without a declaration is ``invalid``; there is no lookup of
handler methods by name.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
import socketio

from chatserver.chat.services import Services
from chatserver.errors import OUTAGES, Ack, ProtocolError
from chatserver.realtime.packets import MALFORMED
from chatserver.realtime.throttle import TokenBucket, typing_bucket
from chatserver.schema import Payload, SchemaError, decode

if TYPE_CHECKING:
    from chatserver.realtime.events import Event

P = TypeVar("P", bound=Payload)

logger = logging.getLogger(__name__)

#: Events the server handles itself; they are never answered with an ack.
LIFECYCLE_EVENTS = frozenset({"connect", "disconnect"})


def decode_payload(data: Any, payload_type: type[P]) -> P:
    """``data`` as its declared type, or ProtocolError('invalid') saying what is wrong."""
    try:
        return decode(data, payload_type)
    except SchemaError as exc:
        raise ProtocolError("invalid", exc.message) from None


class ProtocolNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """A namespace whose acks are always ``{ok: ...}``: unknown events and errors included."""

    #: The access levels this namespace can check (realtime/events.py).
    ACCESS: frozenset[str] = frozenset()

    def __init__(self, namespace: str, services: Services, events: Mapping[str, Event]) -> None:
        super().__init__(namespace)
        unknown = {e.access for e in events.values()} - self.ACCESS
        assert not unknown, f"{namespace} cannot check access {unknown}"
        self.chat = services.flow
        self.events = events

    async def trigger_event(self, event: str, *args: Any) -> Any:
        """Dispatch a declared event; refuse any other with ``invalid``.

        ``connect`` and ``disconnect`` reach handlers only from the server itself: while it
        runs them the socket is not (or no longer) fully connected, whereas a client that
        sends an event by that name is, and gets ``invalid`` like any unknown event.
        """
        if event in LIFECYCLE_EVENTS and not self.server.manager.is_connected(
            args[0], self.namespace
        ):
            # Counted like events: a disconnect's database write must finish before
            # shutdown disposes the engine (lifecycle.database_ctx waits for it).
            self.chat.inflight += 1
            try:
                return await super().trigger_event(event, *args)
            finally:
                self.chat.inflight -= 1
        if event == MALFORMED:
            return self._refused(ProtocolError("invalid", "The packet is malformed."))
        declared = self.events.get(event) if isinstance(event, str) else None
        if declared is None:
            logger.info("unknown event namespace=%s", self.namespace)
            return self._refused(ProtocolError("invalid", "Unknown event."))
        sid, *payload = args
        if len(payload) > 1:
            return ProtocolError("invalid", "Send one payload object.").ack()
        return await self._answer(declared, sid, payload[0] if payload else None)

    async def authorize(self, sid: str) -> None:
        """Check, before every event, that the socket may still act; raise ProtocolError."""

    async def check_access(self, sid: str, access: str) -> None:
        """Raise ProtocolError unless this socket has ``access`` (one of ``ACCESS``)."""
        raise NotImplementedError

    async def _answer(self, declared: Event, sid: str, data: Any) -> Ack:
        """Check, decode, run the handler; count refusals by code and time message delivery."""
        started = time.perf_counter()
        self.chat.inflight += 1
        try:
            await self.authorize(sid)
            payload = decode_payload(data, declared.payload)
            await self.check_access(sid, declared.access)
            reply = await declared.handler(self, sid, payload)
        except ProtocolError as exc:
            logger.info("refused event=%s code=%s", declared.name, exc.code)
            return self._refused(exc)
        except OUTAGES as exc:
            # Redis or the database is down or restarting: say so, never hang or crash.
            logger.warning("event failed event=%s error=%s", declared.name, type(exc).__name__)
            return self._refused(ProtocolError("temporarily_unavailable"))
        except Exception:
            logger.exception("event failed event=%s", declared.name)
            return self._refused(ProtocolError("internal"))
        finally:
            self.chat.inflight -= 1
        if declared.name == "message:send":
            self.chat.metrics.delivery.observe(time.perf_counter() - started)
        return {"ok": True, **msgspec.to_builtins(reply)}

    def _refused(self, error: ProtocolError) -> Ack:
        self.chat.metrics.errors.labels(code=error.code).inc()
        return error.ack()

    async def throttle_message(self, sid: str) -> None:
        """Refuse a message beyond this connection's rate (5 a second, bursts of 10).

        Raised before anything is stored or relayed, so a flood changes nothing. The bucket
        is stored once and then only read: the ``session`` context manager (a class made
        and the session saved back on every call) showed in the relay profile.
        """
        if not await self._take(sid, "send_bucket", TokenBucket):
            raise ProtocolError("rate_limited", "Too many messages at once; wait a moment.")

    async def throttle_typing(self, sid: str) -> None:
        """Refuse a ``typing`` beyond this connection's rate (2 a second, bursts of 8).

        Raised before the other side is told anything, so a flood reaches nobody.
        """
        if not await self._take(sid, "typing_bucket", typing_bucket):
            raise ProtocolError("rate_limited", "Too many typing events; wait a moment.")

    async def _take(self, sid: str, key: str, make: Callable[[], TokenBucket]) -> bool:
        bucket = await self.session_value(sid, key)
        if bucket is None:
            async with self.session(sid) as session:
                bucket = session.setdefault(key, make())
        return bool(bucket.take(self.chat.clock()))

    async def session_value(self, sid: str, key: str) -> Any:
        """Read one value of this socket's session."""
        session = await self.get_session(sid)
        return session.get(key)


def refuse(error: ProtocolError) -> socketio.exceptions.ConnectionRefusedError:
    """A connection refusal whose ``data`` is the ``{code, message}`` of ``error``."""
    details = error.ack()["error"]
    return socketio.exceptions.ConnectionRefusedError(details["message"], details)
