"""Prometheus metrics: counts and timings only, never content or identifiers.

Every label value comes from a small fixed set (a namespace, an event name of the
protocol, an error code of ``ERROR_CODES``, a sender kind), so no conversation id, user id,
IP address or message text can reach a scrape. Each app gets its own registry: tests run
several apps in one process, and a process-global registry would mix their figures.

Counters are per process; Prometheus sums them over the replicas. The gauges of the live
store (waiting, active) are the same from every process, so take ``max`` over replicas,
not ``sum``.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

#: Buckets for in-process delivery: the DESIGN.md measurement has p99 near 7 ms.
DELIVERY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
#: Buckets for GC pauses: a full collection took 86 ms at 1k sockets (DESIGN.md).
GC_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """The service's metrics on a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        reg = self.registry
        self.connections = Gauge(
            "nabij_connections",
            "Open Socket.IO connections on this process.",
            ["namespace"],
            registry=reg,
        )
        self.waiting = Gauge("nabij_waiting_visitors", "Conversations in the queue.", registry=reg)
        self.active = Gauge("nabij_active_chats", "Conversations held by an expert.", registry=reg)
        self.draining = Gauge(
            "nabij_draining", "1 while this process drains before exiting.", registry=reg
        )
        self.assignments = Counter(
            "nabij_assignments", "Conversations given to an expert (any way).", registry=reg
        )
        self.messages = Counter(
            "nabij_messages_relayed",
            "New chat messages stored and emitted.",
            ["sender"],
            registry=reg,
        )
        self.delivery = Histogram(
            "nabij_message_delivery_seconds",
            "From receipt of message:send to its emits done (server side).",
            buckets=DELIVERY_BUCKETS,
            registry=reg,
        )
        self.errors = Counter(
            "nabij_errors",
            "Refused or failed events and requests, by error code.",
            ["code"],
            registry=reg,
        )
        self.outbox_pending = Gauge(
            "nabij_outbox_pending", "Database writes held until the database is back.", registry=reg
        )
        self.gc_pause = Histogram(
            "nabij_gc_pause_seconds", "Garbage collection pauses.", buckets=GC_BUCKETS, registry=reg
        )
        self._messages_by_sender: dict[str, Any] = {}

    def count_message(self, sender: str) -> None:
        """Count one relayed message of ``sender``.

        Keeps each sender's child counter: ``labels()`` once per relayed message costs
        several times the increment itself.
        """
        counter = self._messages_by_sender.get(sender)
        if counter is None:
            counter = self._messages_by_sender[sender] = self.messages.labels(sender=sender)
        counter.inc()

    def render(self) -> bytes:
        """The text exposition of every metric."""
        return bytes(generate_latest(self.registry))


class GcTimer:
    """Times each garbage collection into a histogram (``gc.callbacks``)."""

    def __init__(self, histogram: Histogram) -> None:
        self._histogram = histogram
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started:
            self._histogram.observe(time.perf_counter() - self._started)
            self._started = 0.0

    def install(self) -> None:
        """Start timing collections in this process."""
        gc.callbacks.append(self)
