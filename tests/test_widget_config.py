"""The widget's reading of its script tag's data attributes (widget/src/config.js), in node.

A missing attribute is ``undefined`` in ``dataset``; each parser must fall back to its
default for it, for an empty string and for a wrong value alike.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

import widget

#: DEFAULT_EXIT_URL in widget/src/config.js.
DEFAULT_EXIT_URL = "https://www.buienradar.nl/"
PAGE = "http://127.0.0.1:8080/"

# A page at PAGE embedding the widget from PAGE; CSS.supports accepts only #rrggbb colours.
SCRIPT = """
globalThis.location = {href: %(page)s};
globalThis.CSS = {supports: (p, v) => p === "color" && /^#[0-9a-f]{6}$/i.test(v)};
const {readConfig} = await import("./src/config.js");
const datasets = JSON.parse(process.argv[1]);
const read = datasets.map(d => readConfig({src: %(page)s + "widget/widget.js",
  dataset: Object.fromEntries(Object.entries(d).filter(([, v]) => v !== null))}));
process.stdout.write(JSON.stringify(read));
"""


def read_configs(*datasets: dict[str, Any]) -> list[dict[str, Any]]:
    """``readConfig`` for script tags with these ``dataset``s (None: attribute absent)."""
    script = SCRIPT % {"page": json.dumps(PAGE)}
    result = subprocess.run(  # noqa: S603 - a fixed command, our own script
        ["node", "--input-type=module", "-e", script, json.dumps(datasets)],  # noqa: S607
        cwd=widget.DIST.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    configs: list[dict[str, Any]] = json.loads(result.stdout)
    return configs


def test_no_attributes_at_all_give_every_default() -> None:
    (config,) = read_configs({})
    assert config == {
        "origin": "http://127.0.0.1:8080",
        "lang": "nl",
        "position": "right",
        "accent": None,
        "exitUrl": DEFAULT_EXIT_URL,
        "contacts": [],
    }


@pytest.mark.parametrize(
    "value", ["", "   ", "javascript:alert(1)", "data:text/html,x", "http://[::1", None]
)
def test_an_exit_url_that_is_empty_or_not_a_web_address_gives_the_default(
    value: str | None,
) -> None:
    (config,) = read_configs({"exitUrl": value})
    assert config["exitUrl"] == DEFAULT_EXIT_URL


def test_a_given_exit_url_is_used_and_a_relative_one_resolved_against_the_page() -> None:
    absolute, relative = read_configs({"exitUrl": "https://nos.nl/"}, {"exitUrl": "/weer"})
    assert absolute["exitUrl"] == "https://nos.nl/"
    assert relative["exitUrl"] == PAGE + "weer"


def test_wrong_or_empty_values_fall_back_for_every_attribute() -> None:
    wrong, empty = read_configs(
        {"lang": "fr", "position": "top", "accent": "red;x", "contacts": "{"},
        {"lang": "", "position": "", "accent": "", "contacts": ""},
    )
    for config in (wrong, empty):
        assert (config["lang"], config["position"], config["accent"]) == ("nl", "right", None)
        assert config["contacts"] == []


def test_contacts_keep_a_phone_or_a_web_address_and_drop_the_rest() -> None:
    contacts = [
        {"name": "Bel ons", "phone": "085-123 45 67", "note": "werkdagen"},
        {"name": "WhatsApp", "url": "https://wa.me/31612345678"},
        {"name": "Kapot"},
        {"name": "Script", "url": "javascript:alert(1)"},
        {"name": "Leeg", "url": ""},
    ]
    (config,) = read_configs({"contacts": json.dumps(contacts), "accent": "#ffd800"})
    assert config["accent"] == "#ffd800"
    assert config["contacts"] == [
        {"name": "Bel ons", "phone": "085-123 45 67", "url": None, "note": "werkdagen"},
        {"name": "WhatsApp", "phone": None, "url": "https://wa.me/31612345678", "note": ""},
    ]
