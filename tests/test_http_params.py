"""Path and query ids (chatserver/http/params.py): ASCII digits in range, nothing else."""

from __future__ import annotations

import pytest

from chatserver.http.params import MAX_ID, parse_id


@pytest.mark.parametrize("raw", ["1", "42", str(MAX_ID)])
def test_an_id_in_range_reads(raw: str) -> None:
    assert parse_id(raw) == int(raw)


@pytest.mark.parametrize(
    "raw",
    [None, "", "0", "-1", "+1", " 1", "1.0", "²", "٣", "\uff13", "1" * 20, str(MAX_ID + 1), "0x1"],
)
def test_anything_else_is_no_id(raw: str | None) -> None:
    """``²`` passes isdigit but not int; ``٣`` reads as 3; 20 digits overflow the database."""
    assert parse_id(raw) is None
