"""How long a queued visitor will probably wait, from handle times Nabij measured.

Pure: no I/O, no clock. The model: while every seat is taken, seats free up one at a time,
each seat at the rate 1 / (mean handle time); the visitor at ``position`` is assigned at
the ``position``-th free seat. So the wait is Erlang-distributed with shape ``position``
and rate ``seats / mean``: its quartiles give an honest range, its median one figure. This
assumes memoryless chat lengths and ignores an expert becoming available meanwhile
(which only shortens the wait); docs/architecture.md "Wait estimate" says why that is
good enough and what it does not know.

With fewer than MIN_SAMPLES recent handle times there is no estimate at all: better
nothing than a made-up figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Fewer recent handle times than this: no estimate.
MIN_SAMPLES = 10
#: A handle time longer than this counts as this long (a chat left open by mistake).
LONGEST_HANDLE_S = 3 * 3600
#: Ranges are whole multiples of this many minutes.
STEP_MIN = 5
#: A range reaching past this many minutes is said as "more than" its lower end.
OPEN_ENDED_MIN = 60
_BISECTIONS = 60
#: Above this shape the Erlang quantile is taken from its normal approximation (the
#: exact sum's terms would overflow a float, and the difference is below a percent).
_NORMAL_FROM = 100
_Z = {0.25: -0.6744897501960817, 0.5: 0.0, 0.75: 0.6744897501960817}


@dataclass(frozen=True)
class WaitEstimate:
    """A likely wait: the middle figure and a range in whole minutes.

    ``high_min`` None means "more than ``low_min`` minutes". ``high_min`` <= STEP_MIN is
    "a few minutes".
    """

    median_s: int
    low_min: int
    high_min: int | None

    def wire(self) -> list[int | None]:
        """``wait_range_min`` on the wire: ``[low, high]``, high null for "more than"."""
        return [self.low_min, self.high_min]


def estimate_wait(
    handle_times_s: Sequence[float], position: int, seats: int
) -> WaitEstimate | None:
    """The wait of the visitor at ``position`` (1 = next) with ``seats`` all taken.

    ``handle_times_s``: recent chats' lengths from assignment to end, in seconds.
    None when there is nothing to wait for or too little data to say.
    """
    samples = [min(t, LONGEST_HANDLE_S) for t in handle_times_s if t > 0]
    if position < 1 or seats < 1 or len(samples) < MIN_SAMPLES:
        return None
    scale = (sum(samples) / len(samples)) / seats  # mean time between two free seats
    low = erlang_quantile(position, 0.25) * scale
    median = erlang_quantile(position, 0.5) * scale
    high = erlang_quantile(position, 0.75) * scale
    return WaitEstimate(round(median), *minute_range(low, high))


def minute_range(low_s: float, high_s: float) -> tuple[int, int | None]:
    """Round a range out to whole STEP_MIN minutes; past OPEN_ENDED_MIN it is open-ended."""
    low = STEP_MIN * math.floor(low_s / 60 / STEP_MIN)
    high = STEP_MIN * math.ceil(high_s / 60 / STEP_MIN)
    if high <= STEP_MIN:
        return 0, STEP_MIN
    if high > OPEN_ENDED_MIN:
        return min(low, OPEN_ENDED_MIN), None
    return low, high


def erlang_cdf(shape: int, x: float) -> float:
    """P(X <= x) for X ~ Erlang(shape, rate 1): the sum of ``shape`` unit exponentials."""
    if x <= 0:
        return 0.0
    term, total = 1.0, 1.0
    for i in range(1, shape):
        term *= x / i
        total += term
    return 1.0 - math.exp(-x) * total


def erlang_quantile(shape: int, p: float) -> float:
    """The ``p``-quantile (0.25, 0.5 or 0.75) of Erlang(shape, rate 1).

    By bisection, the CDF being monotone; a large shape by its normal approximation.
    """
    if shape > _NORMAL_FROM:
        return shape + _Z[p] * math.sqrt(shape)
    lo, hi = 0.0, float(shape)
    while erlang_cdf(shape, hi) < p:
        hi *= 2
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        if erlang_cdf(shape, mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def wait_fields(estimate: WaitEstimate | None) -> dict[str, object]:
    """``estimated_wait_s`` and ``wait_range_min`` of a queued answer (null: no estimate)."""
    if estimate is None:
        return {"estimated_wait_s": None, "wait_range_min": None}
    return {"estimated_wait_s": estimate.median_s, "wait_range_min": estimate.wire()}
