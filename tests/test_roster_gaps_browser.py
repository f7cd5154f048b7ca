"""The roster's gaps on the calendar, the no-chat-hours text, the delete confirmation, and
the audit log as sentences in local time, in headless Chromium (screenshots kept).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.browser import Browser
from tests.consolehelp import DASH, assert_accessible, shows, sign_in
from tests.harness import Nabij

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTH_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
RECORD_CONFIRM = (
    "window.__asked = []; window.confirm = (t) => { window.__asked.push(t); return false; };"
)


def day_label(day: dt.date) -> str:
    """The roster's Dutch day label, e.g. ``vr 4 dec``."""
    return f"{DAY_NL[day.weekday()]} {day.day} {MONTH_NL[day.month - 1]}"


async def _tomorrow_with_a_shift(nabij: Nabij) -> dt.date:
    anna = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    tomorrow = dt.datetime.now(AMSTERDAM).date() + dt.timedelta(days=1)
    evening = dt.datetime.combine(tomorrow, dt.time(19), AMSTERDAM)
    await nabij.add_shift(anna, evening, evening + dt.timedelta(hours=3))
    return tomorrow


async def test_gaps_show_on_the_week_and_the_month_view(nabij: Nabij, browser: Browser) -> None:
    tomorrow = await _tomorrow_with_a_shift(nabij)
    await sign_in(browser, nabij, "coco")
    await browser.open(f"{nabij.url}/roster?lang=nl")
    await shows(browser, "#gap-list", "Er zijn nog geen chaturen ingesteld")
    await shows(browser, ".day .shift-text", "Anna")
    assert await browser.find_all(".gap-slot") == []

    hours = {"hours": [{"weekdays": EVERY_DAY, "start": "18:00", "end": "23:00"}]}
    async with nabij.http(await nabij.login("coco")) as http:
        assert (await http.put(f"{nabij.url}/api/roster/chat-hours", json=hours)).status == 200
    await browser.open(f"{nabij.url}/roster?lang=nl")
    day = f".day[data-day='{tomorrow.isoformat()}']"
    await shows(browser, f"{day} .gap-slot", f"Gat 18:00{DASH}19:00: niemand ingeroosterd")
    await shows(browser, f"{day} .gap-slot", f"Gat 22:00{DASH}23:00")
    order = await browser.script(
        f'return [...document.querySelectorAll("{day} li")].map(e => e.className);'
    )
    assert order == ["gap-slot", "shift", "gap-slot"], order  # in time order
    await shows(browser, "#gap-list", "18:00")
    await assert_accessible(browser, "roster, week with gaps")
    await browser.screenshot("roster-week-gaps")

    await browser.click("#view-month")
    await browser.find("#month-view")
    await shows(browser, f"#month-view {day} .gap-slot", f"Gat 18:00{DASH}19:00")
    await assert_accessible(browser, "roster, month with gaps")
    await browser.screenshot("roster-month-gaps")


async def test_the_delete_confirmation_names_the_expert_and_the_day(
    nabij: Nabij, browser: Browser
) -> None:
    tomorrow = await _tomorrow_with_a_shift(nabij)
    await sign_in(browser, nabij, "coco")
    for lang, wanted in (
        ("nl", f"De dienst van Anna op {day_label(tomorrow)} (19:00{DASH}22:00) verwijderen?"),
        ("en", "Delete the shift of Anna on "),
    ):
        await browser.open(f"{nabij.url}/roster?lang={lang}")
        await shows(browser, ".day .shift-text", "Anna")
        await browser.script(RECORD_CONFIRM)
        await browser.click(".shift-delete")
        asked = await browser.until("window.__asked.length && window.__asked[0]")
        assert asked.startswith(wanted), asked
        assert tomorrow.strftime("%d").lstrip("0") in asked and "19:00" in asked, asked
    await shows(browser, ".day .shift-text", "Anna")  # refused: still there


async def test_the_audit_log_reads_as_sentences_in_local_time(
    nabij: Nabij, browser: Browser
) -> None:
    tomorrow = await _tomorrow_with_a_shift(nabij)
    async with nabij.http(await nabij.login("coco")) as http:
        day_after = tomorrow + dt.timedelta(days=1)
        url = f"{nabij.url}/api/shifts?from={tomorrow}T00:00&to={day_after}T00:00"
        shifts = await (await http.get(url)).json()
        shift_id = shifts["shifts"][0]["id"]
        assert (await http.delete(f"{nabij.url}/api/shifts/{shift_id}")).status == 200
    await sign_in(browser, nabij, "coco")
    await browser.open(f"{nabij.url}/audit?lang=nl")
    wanted = f"Dienst van Anna verwijderd: {day_label(tomorrow)} 19:00{DASH}22:00."
    await shows(browser, "#audit-rows .description", wanted)
    await shows(browser, "#audit-end", "Dit zijn alle regels")
    assert await browser.script("return document.getElementById('audit-status').textContent") == ""
    assert await browser.find_all("#audit-rows pre") != []
    assert not await browser.script(
        "return document.querySelector('#audit-rows pre').checkVisibility()"
    )
    await browser.click("#audit-rows tr:first-child summary")
    raw = await browser.text("#audit-rows tr:first-child pre")
    assert '"action": "shift.delete"' in raw and f'"subject": "shift:{shift_id}"' in raw
    at = await browser.text("#audit-rows tr:first-child .at")
    local = dt.datetime.now(AMSTERDAM).strftime("%H:")
    assert local in at, at  # the team's time zone, not UTC
    await assert_accessible(browser, "audit, raw entry open")
    await browser.screenshot("audit-sentences")
