"""The CSV exports: row-level columns, the codebook, and small-number suppression."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from nabij.settings import SettingsError, load_settings
from registration.codes import CODES
from registration.export import (
    breakdown_columns,
    breakdown_rows,
    codebook_rows,
    export_columns,
    export_rows,
    safe_cell,
    small_cell,
    to_csv,
)
from tests.reportdata import MARCH, seed

Maker = async_sessionmaker[Any]
KEY = {"NABIJ_SECRET_KEY": "k" * 40}


def parse(text: str) -> list[list[str]]:
    """CSV text back to rows."""
    return list(csv.reader(io.StringIO(text)))


async def test_row_export_has_codes_and_flags_but_nothing_identifying(sessionmaker: Maker) -> None:
    await seed(sessionmaker)
    async with sessionmaker() as session:
        rows = parse(to_csv(await export_rows(session, MARCH)))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["contact_date", "duration_minutes", "contact_type", "first_or_followup"]
    assert "support_listening_ear" in header and "advised_help_veilig_thuis" in header
    for banned in ("id", "expert_id", "conversation_id", "referral_other", "status", "source"):
        assert banned not in header
    # advised_help_other is the 0/1 flag of the code "other", never the free text.
    column = header.index("advised_help_other")
    assert {row[column] for row in body} == {"0"}
    assert len(body) == 8  # the eight done March contacts, by date
    first = dict(zip(header, body[0], strict=True))
    # March 1: 30 minutes, e-mail, other referral (its free text "buurthuis" is not exported).
    assert first["contact_date"] == "2026-03-01" and first["duration_minutes"] == "30"
    assert (
        first["referral"],
        first["support_listening_ear"],
        first["support_advice_personal"],
    ) == (
        "other",
        "1",
        "0",
    )
    assert "buurthuis" not in to_csv(rows)
    missing = dict(zip(header, body[4], strict=True))  # March 15: no seeker, no referral
    assert (missing["contact_seeker"], missing["referral"]) == ("", "")


def test_codebook_lists_every_column_and_every_code() -> None:
    book = parse(to_csv(codebook_rows()))
    assert book[0] == ["column", "value", "label"]
    described = {row[0] for row in book[1:] if row[1] == ""}
    assert described == set(export_columns())
    for field, codes in CODES.items():
        for code in codes:
            single = [row for row in book if row[:2] == [field, code]]
            flag = [row for row in book if row[0] == f"{field}_{code}"]
            assert single or flag, (field, code)
            assert all(row[2] for row in single + flag)
    assert ["support_listening_ear", "", "Geboden ondersteuning: Luisterend oor"] in book
    assert ["referral", "card_perpetrators", "Weggeefkaartje voor plegers"] in book


async def test_breakdown_per_expert_shows_small_counts_as_under_five(sessionmaker: Maker) -> None:
    await seed(sessionmaker)
    async with sessionmaker() as session:
        rows = await breakdown_rows(session, MARCH, "expert", 5)
        lenient = await breakdown_rows(session, MARCH, "expert", 2)
    header = rows[0]
    assert header == breakdown_columns()
    anna, bob = (dict(zip(header, row, strict=True)) for row in rows[1:])
    # Anna: March 1 (e-mail, other), 2 (chat, victim), 5 (phone, victim), 20 (face to face,
    # parent), 25 (chat, victim): 5 contacts shown; chat 2 → "<5"; social media 0 stays 0.
    # Bob has 3 contacts → "<5", and so is every count of his.
    assert (anna["group"], anna["contacts"]) == ("Anna", "5")
    assert (anna["contact_type_chat"], anna["contact_type_social_media"]) == ("<5", "0")
    assert (bob["group"], bob["contacts"]) == ("Bob", "<5")
    assert all(cell in {"0", "<5"} for cell in list(bob.values())[1:])
    # Threshold 2: only ones are hidden. Anna: chat 2, victim 3 (2nd, 5th, 25th), e-mail 1.
    anna2 = dict(zip(header, lenient[1], strict=True))
    assert (anna2["contact_type_chat"], anna2["contact_seeker_victim"]) == ("2", "3")
    assert anna2["contact_type_email"] == "<2"


async def test_breakdown_per_iso_week(sessionmaker: Maker) -> None:
    await seed(sessionmaker)
    async with sessionmaker() as session:
        rows = await breakdown_rows(session, MARCH, "week", 1)
        with pytest.raises(ValueError, match="by must be"):
            await breakdown_rows(session, MARCH, "day", 5)
    # March 1 is a Sunday (2026-W09); 2, 5 → W10; 10, 15 → W11; 20 → W12; 25 → W13; 31 → W14.
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("2026-W09", "1"),
        ("2026-W10", "2"),
        ("2026-W11", "2"),
        ("2026-W12", "1"),
        ("2026-W13", "1"),
        ("2026-W14", "1"),
    ]


def test_small_cells_and_formula_cells() -> None:
    assert [small_cell(n, 5) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert small_cell(9, 10) == "<10"
    assert safe_cell("=HYPERLINK()") == "'=HYPERLINK()" and safe_cell("Anna") == "Anna"


def test_small_cell_threshold_setting() -> None:
    assert load_settings(KEY).small_cell_threshold == 5
    assert load_settings({**KEY, "NABIJ_SMALL_CELL_THRESHOLD": "10"}).small_cell_threshold == 10
    with pytest.raises(SettingsError, match="NABIJ_SMALL_CELL_THRESHOLD"):
        load_settings({**KEY, "NABIJ_SMALL_CELL_THRESHOLD": "0"})
