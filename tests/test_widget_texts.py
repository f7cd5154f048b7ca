"""The widget's wait sentence for each kind of range the server sends, in Dutch and English."""

from __future__ import annotations

import json
import subprocess

import pytest

import widget

SCRIPT = """
const {waitText} = await import("./src/format.js");
const out = {};
for (const lang of ["nl", "en"]) {
  const t = (await import(`./src/i18n/${lang}.js`)).default;
  out[lang] = JSON.parse(process.argv[1]).map(range => waitText(range, t));
}
process.stdout.write(JSON.stringify(out));
"""
RANGES = [[0, 5], [0, 15], [10, 20], [45, None], [60, None], None, [], ["x", 5]]


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    """The sentence for each of RANGES, per language."""
    result = subprocess.run(  # noqa: S603 - a fixed command, our own script
        ["node", "--input-type=module", "-e", SCRIPT, json.dumps(RANGES)],  # noqa: S607
        cwd=widget.DIST.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    said: dict[str, list[str]] = json.loads(result.stdout)
    return said


def test_dutch_wait_sentences(texts: dict[str, list[str]]) -> None:
    assert texts["nl"] == [
        "Geschatte wachttijd: een paar minuten.",
        "Geschatte wachttijd: minder dan 15 minuten.",
        "Geschatte wachttijd: ongeveer 10\u201320 minuten.",
        "Geschatte wachttijd: meer dan 45 minuten.",
        "Geschatte wachttijd: meer dan een uur.",
        "",
        "",
        "",
    ]


def test_english_wait_sentences(texts: dict[str, list[str]]) -> None:
    assert texts["en"] == [
        "Estimated wait: a few minutes.",
        "Estimated wait: less than 15 minutes.",
        "Estimated wait: about 10\u201320 minutes.",
        "Estimated wait: more than 45 minutes.",
        "Estimated wait: more than an hour.",
        "",
        "",
        "",
    ]
