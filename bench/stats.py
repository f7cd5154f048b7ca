"""Percentiles and the per-step summary of a relay run."""

from __future__ import annotations

import math
from typing import Any

from bench.control import Window
from bench.load import Tally


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` (0 to 100) percentile by nearest rank, or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return round(ordered[rank - 1], 2)


def merge(tallies: list[Tally], attr: str, step: int) -> list[float]:
    """One step's latencies from every worker."""
    merged: list[float] = []
    for tally in tallies:
        merged += getattr(tally, attr).get(step, [])
    return merged


def step_summary(tallies: list[Tally], step: int, window: Window, offered: float) -> dict[str, Any]:
    """Latency percentiles, delivered rate and CPU of one measured step."""
    v2e = merge(tallies, "v2e", step)
    e2v = merge(tallies, "e2v", step)
    return {
        "offered_per_s": round(offered),
        "delivered_per_s": round((len(v2e) + len(e2v)) / window.seconds),
        "v2e_per_s": round(len(v2e) / window.seconds),
        "v2e_p50_ms": percentile(v2e, 50),
        "v2e_p99_ms": percentile(v2e, 99),
        "v2e_max_ms": percentile(v2e, 100),
        "e2v_p50_ms": percentile(e2v, 50),
        "e2v_p99_ms": percentile(e2v, 99),
        "server_cpu_cores": round(window.server_cpu / window.seconds, 2),
        "server_cpu_s": round(window.server_cpu, 3),
        "delivered": len(v2e) + len(e2v),
        "load_cpu_cores": round(window.load_cpu / window.seconds, 2),
    }


def errors(tallies: list[Tally]) -> dict[str, int]:
    """Every worker's error counts added up."""
    total: dict[str, int] = {}
    for tally in tallies:
        for key, count in tally.errors.items():
            total[key] = total.get(key, 0) + count
    return total
