"""``eventually``: the tests' one bounded wait returns what it waited for or names it."""

from __future__ import annotations

import time

import pytest

from tests.waiting import eventually


async def test_a_plain_condition_is_polled_until_truthy_and_its_value_returned() -> None:
    calls: list[int] = []

    def third_time() -> str:
        calls.append(1)
        return "done" if len(calls) == 3 else ""

    assert await eventually(third_time, what="the third call", interval=0.01) == "done"
    assert len(calls) == 3


async def test_an_async_condition_is_awaited_and_until_picks_the_value() -> None:
    counts = iter([3, 2, 1, 0, 7])

    async def count() -> int:
        return next(counts)

    zero: int = await eventually(count, what="none left", until=lambda n: n == 0, interval=0)
    assert zero == 0


async def test_a_wait_that_never_ends_fails_in_time_naming_what_and_the_last_value() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError) as failed:
        await eventually(lambda: 41, what="the answer", until=lambda n: n == 42, timeout=0.2)
    elapsed = time.monotonic() - started
    assert str(failed.value) == "waited 0.2 s for the answer; last saw 41"
    assert 0.2 <= elapsed < 1.0


async def test_the_condition_is_called_once_more_at_the_deadline() -> None:
    calls: list[float] = []

    def never() -> bool:
        calls.append(time.monotonic())
        return False

    with pytest.raises(AssertionError):
        await eventually(never, what="nothing", timeout=0.1, interval=1.0)
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.1
