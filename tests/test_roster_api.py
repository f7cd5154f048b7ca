"""The roster API: recurring patterns, skipped days, shift changes, chat hours, coverage, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from chatserver.keys import db_key
from staffing.models import PresencePeriod
from tests.harness import Nabij, json_body
from tests.waiting import eventually

AMS = ZoneInfo("Europe/Amsterdam")
#: How long closing the presence period after a disconnect may take.
PRESENCE_CLOSED_S = 2.0


async def _coordinator(nabij: Nabij) -> tuple[str, int]:
    """Sign in a coordinator (off shift); return the session token and an expert's id."""
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    expert_id = await nabij.add_expert("anna", on_shift=False)
    return await nabij.login("carla"), expert_id


def _tomorrow() -> dt.date:
    return dt.datetime.now(AMS).date() + dt.timedelta(days=1)


EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _pattern(user_id: int, **changes: Any) -> dict[str, Any]:
    """An every-evening pattern from tomorrow, with ``changes``."""
    body = {"user_id": user_id, "weekdays": EVERY_DAY, "start": "19:00", "end": "22:00"}
    return {**body, "starts_on": _tomorrow().isoformat(), **changes}


def _shift(user_id: int, day: str, start: str, end: str) -> dict[str, Any]:
    return {"user_id": user_id, "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}"}


async def test_a_pattern_rosters_every_chosen_day_and_sets_the_next_opening(nabij: Nabij) -> None:
    token, anna = await _coordinator(nabij)
    first = _tomorrow()
    body = _pattern(anna)
    async with nabij.http(token) as http:
        created = await http.post(f"{nabij.url}/api/roster/patterns", json=body)
        assert created.status == 201, await created.text()
        pattern = (await json_body(created))["pattern"]
        shifts = await json_body(
            await http.get(f"{nabij.url}/api/shifts", params={"from": first.isoformat()})
        )
        status = await json_body(await http.get(f"{nabij.url}/api/status"))
    starts = [s["starts_local"] for s in shifts["shifts"]]
    assert len(starts) == 7 and all("T19:00:00" in s for s in starts)
    assert all(s["display_name"] == "Anna" for s in shifts["shifts"])
    expected = dt.datetime.combine(first, dt.time(19), tzinfo=AMS)
    assert dt.datetime.fromisoformat(status["next_opening"]) == expected
    # Published for the coming 7 days: tomorrow's evening first, 6 or 7 of them by the clock.
    published = status["opening_hours"]
    assert dt.datetime.fromisoformat(published[0]["starts_at"]) == expected
    assert dt.datetime.fromisoformat(published[0]["ends_at"]) - expected == dt.timedelta(hours=3)
    assert len(published) in (6, 7)
    assert pattern["weekdays"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


async def test_bad_patterns_get_an_error_per_field_and_change_nothing(nabij: Nabij) -> None:
    token, anna = await _coordinator(nabij)
    url = f"{nabij.url}/api/roster/patterns"
    async with nabij.http(token) as http:
        no_days = await http.post(url, json=_pattern(anna, weekdays=[]))
        assert no_days.status == 400
        assert set((await json_body(no_days))["error"]["fields"]) == {"weekdays"}
        backwards = await http.post(url, json=_pattern(anna, ends_on="2020-01-01"))
        assert set((await json_body(backwards))["error"]["fields"]) == {"ends_on"}
        unknown = await http.post(url, json=_pattern(anna, x=1))
        assert set((await json_body(unknown))["error"]["fields"]) == {"x"}
        listed = await json_body(await http.get(url))
        audit = await json_body(await http.get(f"{nabij.url}/api/audit"))
    assert listed["patterns"] == []
    assert audit["entries"] == []


async def test_experts_read_the_roster_but_only_coordinators_change_it(nabij: Nabij) -> None:
    await nabij.add_expert("anna", on_shift=False)
    token = await nabij.login("anna")
    body = {"hours": [{"weekdays": ["mon"], "start": "19:00", "end": "22:00"}]}
    async with nabij.http(token) as http:
        assert (await http.get(f"{nabij.url}/api/roster/patterns")).status == 200
        assert (await http.put(f"{nabij.url}/api/roster/chat-hours", json=body)).status == 403
        assert (await http.get(f"{nabij.url}/api/roster/coverage")).status == 403
        assert (await http.get(f"{nabij.url}/api/audit")).status == 403
    async with nabij.http("not-a-session") as http:
        assert (await http.get(f"{nabij.url}/api/roster/patterns")).status == 401


async def test_coverage_shows_the_chat_hours_nobody_covers(nabij: Nabij) -> None:
    token, anna = await _coordinator(nabij)
    first = _tomorrow()
    hours = {"hours": [{"weekdays": EVERY_DAY, "start": "19:00", "end": "22:00"}]}
    shift = _shift(anna, first.isoformat(), "19:00", "21:00")
    async with nabij.http(token) as http:
        assert (await http.put(f"{nabij.url}/api/roster/chat-hours", json=hours)).status == 200
        assert (await http.post(f"{nabij.url}/api/shifts", json=shift)).status == 201
        coverage = await json_body(
            await http.get(
                f"{nabij.url}/api/roster/coverage",
                params={
                    "from": first.isoformat(),
                    "to": (first + dt.timedelta(days=1)).isoformat(),
                },
            )
        )
    gaps = [(g["starts_local"][11:16], g["ends_local"][11:16]) for g in coverage["gaps"]]
    assert gaps == [("21:00", "22:00"), ("19:00", "22:00")]


async def test_moving_a_shift_keeps_the_rules_and_every_change_is_audited(nabij: Nabij) -> None:
    token, anna = await _coordinator(nabij)
    day = _tomorrow().isoformat()
    async with nabij.http(token) as http:
        shifts = f"{nabij.url}/api/shifts"
        first = await json_body(await http.post(shifts, json=_shift(anna, day, "10:00", "12:00")))
        second = await json_body(await http.post(shifts, json=_shift(anna, day, "14:00", "16:00")))
        url = f"{shifts}/{second['shift']['id']}"
        overlap = await http.put(url, json=_shift(anna, day, "11:00", "13:00"))
        assert overlap.status == 400
        moved = await http.put(url, json=_shift(anna, day, "12:00", "13:30"))
        assert moved.status == 200
        missing = await http.put(f"{shifts}/999999", json=_shift(anna, day, "20:00", "21:00"))
        assert missing.status == 404
        deleted = await http.delete(f"{nabij.url}/api/shifts/{first['shift']['id']}")
        assert deleted.status == 200
        audit = await json_body(await http.get(f"{nabij.url}/api/audit"))
    entries: list[dict[str, Any]] = audit["entries"]
    assert [e["action"] for e in entries] == [
        "shift.delete",
        "shift.change",
        "shift.add",
        "shift.add",
    ]
    assert all(e["actor"] == "carla" for e in entries)
    assert entries[1]["details"]["starts_local"].endswith("T12:00:00+01:00")


async def test_skipping_days_removes_their_shifts(nabij: Nabij) -> None:
    token, anna = await _coordinator(nabij)
    first = _tomorrow()
    body = _pattern(anna)
    async with nabij.http(token) as http:
        pattern = (await json_body(await http.post(f"{nabij.url}/api/roster/patterns", json=body)))[
            "pattern"
        ]
        skip_url = f"{nabij.url}/api/roster/patterns/{pattern['id']}/skip"
        second = (first + dt.timedelta(days=1)).isoformat()
        skipped = await json_body(await http.post(skip_url, json={"first": second, "last": second}))
        backwards = await http.post(skip_url, json={"first": second, "last": first.isoformat()})
        missing = await http.post(
            f"{nabij.url}/api/roster/patterns/999/skip", json={"first": second, "last": second}
        )
        shifts = await json_body(
            await http.get(f"{nabij.url}/api/shifts", params={"from": first.isoformat()})
        )
    assert skipped["removed"] == 1
    assert backwards.status == 400 and missing.status == 404
    days = [s["starts_local"][:10] for s in shifts["shifts"]]
    assert second not in days and first.isoformat() in days and len(days) == 6


async def test_console_presence_is_recorded_and_feeds_the_unattended_shifts(nabij: Nabij) -> None:
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    anna = await nabij.add_expert("anna")  # on a shift from an hour ago
    bram = await nabij.add_expert("bram", on_shift=False)
    now = dt.datetime.now(dt.UTC)
    await nabij.add_shift(bram, now - dt.timedelta(hours=3), now - dt.timedelta(minutes=1))
    token = await nabij.login("carla")
    console = await nabij.staff("anna")
    async with nabij.app[db_key]() as session:
        rows = list((await session.execute(select(PresencePeriod))).scalars())
    assert [(r.user_id, r.ended_at) for r in rows] == [(anna, None)]
    assert rows[0].started_at >= now - dt.timedelta(seconds=5)
    await console.disconnect()
    await _wait_for_closed_presence(nabij)
    yesterday = (dt.datetime.now(AMS) - dt.timedelta(days=1)).date().isoformat()
    async with nabij.http(token) as http:
        coverage = await json_body(
            await http.get(f"{nabij.url}/api/roster/coverage", params={"from": yesterday})
        )
    # Bram's shift is over and he never came; Anna's has not ended yet.
    assert [s["user_id"] for s in coverage["unattended"]] == [bram]


async def _wait_for_closed_presence(nabij: Nabij) -> None:
    async def open_rows() -> int | None:
        async with nabij.app[db_key]() as session:
            return await session.scalar(
                select(func.count())
                .select_from(PresencePeriod)
                .where(PresencePeriod.ended_at.is_(None))
            )

    await eventually(
        open_rows,
        what="the presence period to be closed",
        until=lambda rows: rows == 0,
        timeout=PRESENCE_CLOSED_S,
        interval=0.02,
    )
