"""The wait estimate: the pure estimator on recorded histories, and the figures a queued
visitor and ``GET /api/status`` get from the measured chats in the database."""

from __future__ import annotations

import random

import aiohttp
import pytest

from chatserver.chat.waitestimate import (
    MIN_SAMPLES,
    erlang_cdf,
    erlang_quantile,
    estimate_wait,
    minute_range,
)
from tests.chatrecords import measured_chats
from tests.harness import Nabij

MINUTE = 60


def history(seed: int, count: int, mean_min: float) -> list[float]:
    """``count`` chat lengths in seconds, exponential around ``mean_min`` (reproducible)."""
    rng = random.Random(seed)
    return [rng.expovariate(1 / (mean_min * MINUTE)) for _ in range(count)]


# -- the estimator on recorded histories -------------------------------------------------


def test_too_fewmeasured_chats_give_no_estimate() -> None:
    assert estimate_wait([], 1, 1) is None
    assert estimate_wait([30 * MINUTE] * (MIN_SAMPLES - 1), 1, 1) is None
    assert estimate_wait([0, -5] + [30 * MINUTE] * (MIN_SAMPLES - 1), 1, 1) is None
    assert estimate_wait([30 * MINUTE] * MIN_SAMPLES, 1, 1) is not None


def test_nothing_to_wait_for_gives_no_estimate() -> None:
    measured = [30 * MINUTE] * 20
    assert estimate_wait(measured, 0, 2) is None
    assert estimate_wait(measured, 1, 0) is None


def test_short_test_chats_with_two_seats_say_a_few_minutes() -> None:
    """The walkthrough: chats of a minute or two, two experts; the old formula said 18."""
    estimate = estimate_wait(history(1, 30, 1.5), 1, 2)
    assert estimate is not None
    assert (estimate.low_min, estimate.high_min) == (0, 5)
    assert estimate.median_s < 2 * MINUTE


def test_a_typical_evening_gives_a_range_around_the_measured_mean() -> None:
    """Chats of about 35 minutes, two seats, first in line: the next seat frees in ~17 min."""
    measured = history(2, 80, 35)
    mean = sum(min(t, 3 * 3600) for t in measured) / len(measured)
    estimate = estimate_wait(measured, 1, 2)
    assert estimate is not None
    assert estimate.low_min <= estimate.median_s / MINUTE <= estimate.high_min  # type: ignore[operator]
    assert abs(estimate.median_s - 0.693 * mean / 2) < 5
    assert (estimate.low_min, estimate.high_min) in {(0, 25), (5, 25), (5, 30)}


def test_further_back_in_the_queue_or_fewer_seats_waits_longer() -> None:
    measured = history(3, 50, 20)
    medians = [estimate_wait(measured, p, 2).median_s for p in (1, 2, 3, 5)]  # type: ignore[union-attr]
    assert medians == sorted(medians) and len(set(medians)) == 4
    one_seat = estimate_wait(measured, 2, 1)
    four_seats = estimate_wait(measured, 2, 4)
    assert one_seat is not None and four_seats is not None
    assert one_seat.median_s > 3 * four_seats.median_s


def test_a_long_wait_is_said_as_more_than_an_hour() -> None:
    estimate = estimate_wait(history(4, 40, 45), 4, 1)
    assert estimate is not None
    assert (estimate.low_min, estimate.high_min) == (60, None)
    assert estimate.wire() == [60, None]


def test_a_chat_left_open_for_a_day_counts_as_three_hours() -> None:
    measured = [10 * MINUTE] * 19 + [24 * 3600]
    capped = [10 * MINUTE] * 19 + [3 * 3600]
    assert estimate_wait(measured, 1, 1) == estimate_wait(capped, 1, 1)


def test_a_very_long_queue_still_answers() -> None:
    estimate = estimate_wait(history(5, 20, 5), 500, 50)
    assert estimate is not None and estimate.high_min is None


@pytest.mark.parametrize(
    ("low_s", "high_s", "expected"),
    [
        (10, 200, (0, 5)),
        (4 * MINUTE, 12 * MINUTE, (0, 15)),
        (11 * MINUTE, 19 * MINUTE, (10, 20)),
        (50 * MINUTE, 70 * MINUTE, (50, None)),
        (80 * MINUTE, 150 * MINUTE, (60, None)),
    ],
)
def test_ranges_are_rounded_out_to_five_minutes(
    low_s: float, high_s: float, expected: tuple[int, int | None]
) -> None:
    assert minute_range(low_s, high_s) == expected


def test_the_erlang_quantiles_match_known_values() -> None:
    assert erlang_quantile(1, 0.5) == pytest.approx(0.6931, abs=1e-4)  # ln 2
    assert erlang_quantile(1, 0.25) == pytest.approx(0.2877, abs=1e-4)
    assert erlang_quantile(3, 0.5) == pytest.approx(2.6741, abs=1e-4)
    assert erlang_cdf(2, erlang_quantile(2, 0.75)) == pytest.approx(0.75, abs=1e-9)
    assert erlang_quantile(400, 0.5) == pytest.approx(400, rel=0.01)


# -- grounded in the database -------------------------------------------------------------


async def test_a_queued_visitor_and_the_status_get_a_range_frommeasured_chats(
    nabij: Nabij,
) -> None:
    await measured_chats(nabij, talk_s=20 * MINUTE, count=30)
    await nabij.add_expert("anna", capacity=1)
    await nabij.staff("anna")
    first = await nabij.visitor()
    assert (await first.call("chat:request", {"audience": "victim"}))["position"] == 0
    second = await nabij.visitor()
    ack = await second.call("chat:request", {"audience": "victim"})
    # One seat, chats of 20 minutes: the next seat frees in a median of ~14 minutes.
    assert ack["position"] == 1
    assert ack["wait_range_min"] == [5, 30]
    assert abs(ack["estimated_wait_s"] - 0.693 * 20 * MINUTE) < 5
    queued = await second.next("chat:queued")
    assert queued == {"position": 1, "estimated_wait_s": ack["estimated_wait_s"],
                      "wait_range_min": [5, 30]}  # fmt: skip

    async with aiohttp.ClientSession() as http:
        body = await (await http.get(f"{nabij.url}/api/status")).json()
    assert (body["state"], body["queue_length"]) == ("busy", 1)
    assert body["wait_range_min"] == [15, 55]  # a new visitor would be second in line
    assert body["estimated_wait_s"] > ack["estimated_wait_s"]


async def test_withoutmeasured_chats_nobody_is_told_a_wait(nabij: Nabij) -> None:
    await measured_chats(nabij, talk_s=20 * MINUTE, count=MIN_SAMPLES - 1)
    await nabij.add_expert("anna", capacity=1)
    await nabij.staff("anna")
    first = await nabij.visitor()
    await first.call("chat:request", {"audience": "victim"})
    second = await nabij.visitor()
    ack = await second.call("chat:request", {"audience": "victim"})
    assert (ack["position"], ack["estimated_wait_s"], ack["wait_range_min"]) == (1, None, None)
    async with aiohttp.ClientSession() as http:
        body = await (await http.get(f"{nabij.url}/api/status")).json()
    assert body["state"] == "busy" and body["wait_range_min"] is None
