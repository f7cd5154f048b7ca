"""The contact tables on a fixed data set whose expected figures are worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from registration.periods import (
    Period,
    PeriodInputError,
    choose_period,
    parse_period,
    preset_period,
    previous_period,
)
from registration.reports import (
    contact_report,
    contact_report_by_expert,
    duration_table,
    percent,
    report_as_dict,
)
from tests.reportdata import MARCH, Maker, seed


def counts(table: dict[str, Any]) -> dict[str, tuple[int, int | None]]:
    """``{code: (n, pct)}`` of one JSON table."""
    return {row["code"]: (row["n"], row["pct"]) for row in table["codes"]}


async def test_march_tables_match_the_hand_worked_figures(sessionmaker: Maker) -> None:
    await seed(sessionmaker)
    async with sessionmaker() as session:
        report = report_as_dict(await contact_report(session, MARCH))

    # 8 done contacts in March; Feb 28, Apr 1 and the pending one are left out.
    assert report["contacts"] == 8
    assert report["period"] == {"from": "2026-03-01", "to": "2026-03-31"}

    duration = report["duration"]
    # 10+15+35+29+60+45+90+30 = 314; 314/8 = 39.25 → 39.3 (half up, not to even).
    assert duration["mean"] == 39.3
    # Sorted 10 15 29 30 | 35 45 60 90: (30+35)/2 = 32.5.
    assert duration["median"] == 32.5
    assert (duration["n"], duration["missing"]) == (8, 0)
    # <15: 10 → 1 (12.5% → 13); 15-29: 15, 29 → 2 (25%); 30-59: 35, 45, 30 → 3 (37.5 → 38);
    # ≥60: 60, 90 → 2 (25%).
    assert [(b["code"], b["n"], b["pct"]) for b in duration["buckets"]] == [
        ("under_15", 1, 13),
        ("15_29", 2, 25),
        ("30_59", 3, 38),
        ("60_plus", 2, 25),
    ]

    fields = report["fields"]
    # Contact type, base 8: chat 3 (37.5 → 38), phone 2 (25), whatsapp, face to face and
    # e-mail 1 each (12.5 → 13), the rest 0.
    assert counts(fields["contact_type"]) == {
        "chat": (3, 38),
        "phone": (2, 25),
        "whatsapp": (1, 13),
        "face_to_face": (1, 13),
        "social_media": (0, 0),
        "email": (1, 13),
        "sms": (0, 0),
        "other": (0, 0),
    }
    # First 5 (62.5 → 63), follow-up 2 (25), unknown 1 (13): "unknown" is an answer.
    assert counts(fields["first_or_followup"]) == {
        "first": (5, 63),
        "followup": (2, 25),
        "unknown": (1, 13),
    }
    # One contact has no seeker: missing 1, base 7. victim 3/7 = 42.86 → 43; 1/7 = 14.29 → 14.
    seeker = fields["contact_seeker"]
    assert (seeker["base"], seeker["missing"], seeker["multi"]) == (7, 1, False)
    assert counts(seeker) == {
        "victim": (3, 43),
        "perpetrator": (1, 14),
        "parent_of_victim": (1, 14),
        "professional": (1, 14),
        "other": (1, 14),
    }
    # Referral: the same contact has none; base 7. website 2/7 = 28.57 → 29.
    referral = fields["referral"]
    assert (referral["base"], referral["missing"]) == (7, 1)
    assert counts(referral) == {
        "flyer_victims": (1, 14),
        "card_perpetrators": (1, 14),
        "professional": (1, 14),
        "website": (2, 29),
        "acquaintance": (1, 14),
        "other": (1, 14),
    }
    # Support, multi-select, base = all 8 contacts: listening ear 6 (75), advice on
    # personal action 2 (25), advice to seek help 3 (37.5 → 38); the 90-minute call: none.
    support = fields["support"]
    assert (support["base"], support["missing"], support["multi"]) == (8, 1, True)
    assert counts(support) == {
        "listening_ear": (6, 75),
        "advice_personal": (2, 25),
        "advice_professional_help": (3, 38),
    }
    # Advised help, base 8: ggz 2 (25), police 1 (13), Veilig Thuis 1 (13); 5 with none.
    advised = fields["advised_help"]
    assert (advised["base"], advised["missing"]) == (8, 5)
    assert counts(advised) == {
        "ggz": (2, 25),
        "police": (1, 13),
        "psychological": (0, 0),
        "gp": (0, 0),
        "veilig_thuis": (1, 13),
        "other": (0, 0),
    }
    assert fields["support"]["codes"][0]["label"] == "Luisterend oor"


async def test_breakdown_per_expert_splits_the_same_contacts(sessionmaker: Maker) -> None:
    ids = await seed(sessionmaker)
    async with sessionmaker() as session:
        per_expert = await contact_report_by_expert(session, MARCH)
    # Anna: March 2, 5, 20, 25 and 1 → 5 contacts; Bob: 10, 15, 31 → 3 (pending not).
    assert [(e.expert_id, e.display_name, e.report.contacts) for e in per_expert] == [
        (ids["anna"], "Anna", 5),
        (ids["bob"], "Bob", 3),
    ]
    # Bob: 35, 29, 90 minutes → mean 51.3 (51.33), median 35.
    bob = per_expert[1].report
    assert (bob.duration.mean, bob.duration.median) == (51.3, 35.0)


async def test_an_empty_period_has_zero_counts_and_no_percentages(sessionmaker: Maker) -> None:
    await seed(sessionmaker)
    async with sessionmaker() as session:
        report = report_as_dict(await contact_report(session, preset_period("year", 2025)))
    assert report["contacts"] == 0
    assert report["duration"]["mean"] is None and report["duration"]["median"] is None
    assert counts(report["fields"]["support"])["listening_ear"] == (0, None)


def test_percent_rounds_half_up_to_whole_numbers() -> None:
    assert percent(49, 54) == 91  # 90.74
    assert percent(1, 8) == 13  # 12.5 goes up
    assert percent(1, 200) == 1  # 0.5 goes up
    assert percent(5, 8) == 63  # 62.5
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(0, 0) is None


def test_duration_table_counts_missing_durations_apart() -> None:
    table = duration_table([14, 15, None, 59, 60])
    assert (table.n, table.missing, table.mean, table.median) == (4, 1, 37.0, 37.0)
    assert [bucket.n for bucket in table.buckets] == [1, 1, 1, 1]


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (preset_period("month", 2026, 3), ("2026-02-01", "2026-02-28")),
        (preset_period("quarter", 2026, 2), ("2026-01-01", "2026-03-31")),
        (preset_period("year", 2026), ("2025-01-01", "2025-12-31")),
        (preset_period("month", 2026, 1), ("2025-12-01", "2025-12-31")),
        (Period(dt.date(2026, 3, 10), dt.date(2026, 3, 16)), ("2026-03-03", "2026-03-09")),
    ],
)
def test_previous_period(period: Period, previous: tuple[str, str]) -> None:
    got = previous_period(period)
    assert (got.start.isoformat(), got.end.isoformat()) == previous


def test_parse_period_collects_every_error() -> None:
    assert parse_period("2026-03-01", "2026-03-01").days == 1
    with pytest.raises(PeriodInputError) as missing:
        parse_period(None, "")
    assert set(missing.value.errors) == {"from", "to"}
    with pytest.raises(PeriodInputError) as bad:
        parse_period("2026-02-30", "1-2-2026")
    assert bad.value.errors == {
        "from": "This date does not exist.",
        "to": "Write the date as YYYY-MM-DD.",
    }
    with pytest.raises(PeriodInputError) as reversed_:
        parse_period("2026-03-02", "2026-03-01")
    assert list(reversed_.value.errors) == ["to"]


def test_period_bounds_follow_local_midnight_across_summer_time() -> None:
    from zoneinfo import ZoneInfo

    # 29 March 2026 is the short day in Amsterdam (CET → CEST).
    start, end = Period(dt.date(2026, 3, 29), dt.date(2026, 3, 29)).utc_bounds(
        ZoneInfo("Europe/Amsterdam")
    )
    assert start == dt.datetime(2026, 3, 28, 23, tzinfo=dt.UTC)
    assert end - start == dt.timedelta(hours=23)


def test_the_page_picker_chooses_presets_and_custom_periods() -> None:
    today = dt.date(2026, 5, 17)
    default = choose_period(None, None, None, None, None, today)
    assert (default.kind, default.period) == ("month", preset_period("month", 2026, 5))
    quarter = choose_period("quarter", "2025", None, None, None, today)
    assert quarter.period == Period(dt.date(2025, 4, 1), dt.date(2025, 6, 30))  # Q2, like May
    assert choose_period("year", "2024", "7", None, None, today).period.days == 366
    custom = choose_period("custom", None, None, "2026-03-10", "2026-03-16", today)
    assert custom.period.days == 7
    for kind, year, number in (("week", None, None), ("month", "26", None), ("month", None, "13")):
        with pytest.raises(PeriodInputError):
            choose_period(kind, year, number, None, None, today)
