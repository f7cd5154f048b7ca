"""The four states a visitor is told: open, busy, unstaffed, closed (GET /api/status and
the ``chat:request`` refusal), on both stacks, and the pure decision behind them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import aiohttp

from chatserver.chat.availability import assess, open_until
from chatserver.live.models import ExpertProfile, ExpertState
from tests.harness import Nabij

NOW = 1_800_000_000.0


async def status(nabij: Nabij) -> dict[str, Any]:
    """The body of ``GET /api/status``."""
    async with aiohttp.ClientSession() as http, http.get(f"{nabij.url}/api/status") as response:
        assert response.status == 200
        body: dict[str, Any] = await response.json()
    return body


async def refusal(nabij: Nabij) -> dict[str, Any]:
    """What a new visitor's ``chat:request`` is answered (expected: refused)."""
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["ok"] is False and ack["error"]["code"] == "closed", ack
    return ack


async def test_nobody_on_shift_is_closed_with_the_next_opening(nabij: Nabij) -> None:
    user_id = await nabij.add_expert("anna", on_shift=False)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    await nabij.add_shift(user_id, start, start + dt.timedelta(hours=3))
    await nabij.staff("anna", available=False)

    body = await status(nabij)
    assert (body["state"], body["open"]) == ("closed", False)
    assert dt.datetime.fromisoformat(body["next_opening"]) == start
    assert "open_until" not in body and "queue_length" not in body
    ack = await refusal(nabij)
    assert (ack["state"], ack["open_until"]) == ("closed", None)
    assert dt.datetime.fromisoformat(ack["next_opening"]) == start


async def test_on_shift_but_away_or_not_connected_is_unstaffed_until_the_hours_end(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("bram")
    await nabij.staff("bram", available=False)  # anna is not even connected

    body = await status(nabij)
    assert (body["state"], body["open"]) == ("unstaffed", False)
    (hours,) = body["opening_hours"]
    assert body["open_until"] == hours["ends_at"]
    ack = await refusal(nabij)
    assert (ack["state"], ack["open_until"]) == ("unstaffed", hours["ends_at"])


async def test_an_available_expert_with_room_is_open(nabij: Nabij) -> None:
    await nabij.add_expert("anna", capacity=2)
    await nabij.staff("anna")
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] == 0

    body = await status(nabij)
    assert (body["state"], body["open"]) == ("open", True)
    assert "queue_length" not in body and "open_until" not in body


async def test_everyone_available_at_capacity_is_busy_with_the_queue_length(
    nabij: Nabij,
) -> None:
    await nabij.add_expert("anna", capacity=1)
    await nabij.staff("anna")
    first = await nabij.visitor()
    assert (await first.call("chat:request", {"audience": "victim"}))["position"] == 0
    assert (await status(nabij))["state"] == "busy"
    assert (await status(nabij))["queue_length"] == 0

    second = await nabij.visitor()
    assert (await second.call("chat:request", {"audience": "victim"}))["position"] == 1
    body = await status(nabij)
    assert (body["state"], body["open"], body["queue_length"]) == ("busy", True, 1)


def _state(capacity: int, load: int, *, connected: bool = True, available: bool = True,
           cooldown_until: float = 0.0) -> ExpertState:  # fmt: skip
    profile = ExpertProfile(1, "Anna", frozenset(), capacity)
    return ExpertState(profile, int(connected), available, load, 0.0, cooldown_until)


def test_assess_tells_the_four_states_apart() -> None:
    assert assess([], [], NOW).state == "closed"
    assert assess([1], [_state(2, 0, connected=False)], NOW).state == "unstaffed"
    assert assess([1], [_state(2, 0, available=False)], NOW).state == "unstaffed"
    opened = assess([1, 2], [_state(2, 1), _state(1, 1)], NOW)
    assert (opened.state, opened.seats, opened.free) == ("open", 3, 1)
    busy = assess([1, 2], [_state(2, 2), _state(1, 0, cooldown_until=NOW + 60)], NOW)
    assert (busy.state, busy.seats, busy.free, busy.takes_requests) == ("busy", 3, 0, True)


def test_open_until_is_the_end_of_the_stretch_holding_now() -> None:
    at = dt.datetime.fromtimestamp(NOW, dt.UTC)
    iso = lambda hours: (at + dt.timedelta(hours=hours)).isoformat()  # noqa: E731
    hours = [{"starts_at": iso(-1), "ends_at": iso(2)}, {"starts_at": iso(20), "ends_at": iso(23)}]
    assert open_until(hours, NOW) == iso(2)
    assert open_until(hours[1:], NOW) is None
    assert open_until([{"starts_at": iso(0), "ends_at": iso(1)}], NOW) == iso(1)
