"""Waiting for something that happens soon: the one bounded poll the tests use.

A test that waits for a side effect (a socket closed, a row written, a key erased) asks
``eventually`` instead of writing its own loop, so every wait is bounded, looks again at
the same pace, and fails with an ``AssertionError`` that names what never happened and the
last value it saw, rather than timing out the whole test silently.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")

#: How long a wait lasts when the caller names no timeout.
EVENTUALLY_S = 5.0
#: How long to pause between two looks.
INTERVAL_S = 0.05


@overload
async def eventually(
    condition: Callable[[], Awaitable[T]],
    *,
    what: str,
    until: Callable[[T], object] = bool,
    timeout: float = EVENTUALLY_S,
    interval: float = INTERVAL_S,
) -> T: ...


@overload
async def eventually(
    condition: Callable[[], T],
    *,
    what: str,
    until: Callable[[T], object] = bool,
    timeout: float = EVENTUALLY_S,
    interval: float = INTERVAL_S,
) -> T: ...


async def eventually(
    condition: Callable[[], Awaitable[T]] | Callable[[], T],
    *,
    what: str,
    until: Callable[[T], object] = bool,
    timeout: float = EVENTUALLY_S,
    interval: float = INTERVAL_S,
) -> T:
    """Call ``condition`` until ``until`` holds for its value; return that value.

    Args:
        condition: a plain or an async function without arguments; called at least once,
            and once more at the deadline.
        what: what is awaited, for the failure message ("the socket to close").
        until: when a value is the awaited one; by default when it is truthy.
        timeout: seconds before the wait fails.
        interval: seconds between two calls.

    Raises:
        AssertionError: naming ``what`` and the last value seen, once ``timeout`` passed.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = await _value_of(condition)
        if until(value):
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"waited {timeout:g} s for {what}; last saw {value!r}")
        await asyncio.sleep(min(interval, remaining))


async def _value_of(condition: Callable[[], Awaitable[T]] | Callable[[], T]) -> T:
    """The value of one call of ``condition``, awaited when it is a coroutine."""
    value = condition()
    if inspect.isawaitable(value):
        return await value
    return value
