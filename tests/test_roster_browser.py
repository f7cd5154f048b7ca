"""The roster pages in headless Chromium: a coordinator plans on /roster and the widget
follows; the team page, the password link, my shifts with its calendar feed, the audit log.

Each page gets a screenshot and an axe run (WCAG 2.1 A/AA, no violations).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from chatserver.keys import db_key
from staffing.audit import record_change
from tests.browser import Browser, BrowserFactory
from tests.consolehelp import DASH, HOSTILE, assert_accessible, no_markup_rendered, shows, sign_in
from tests.harness import Nabij
from tests.widget_ui import WidgetUI

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def set_value(browser: Browser, css: str, value: str) -> None:
    """Set a form control's value the way a date/time picker would (locale-proof)."""
    await browser.script(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input', {bubbles: true}));"
        "e.dispatchEvent(new Event('change', {bubbles: true}));",
        css,
        value,
    )


async def choose_expert(browser: Browser, form: str, name: str) -> None:
    """Pick the expert whose option text contains ``name`` in ``form``'s select."""
    select = f"#{form} select[name=user_id]"
    await browser.until(
        f"[...document.querySelectorAll('{select} option')].some(o => o.text.includes('{name}'))"
    )
    await browser.script(
        "const s = document.querySelector(arguments[0]);"
        "s.value = [...s.options].find(o => o.text.includes(arguments[1])).value;",
        select,
        name,
    )


def window_around_now() -> tuple[str, str, dt.date]:
    """A local window containing now, on today only: from an hour ago to two hours ahead."""
    now = dt.datetime.now(AMSTERDAM)
    start = max(now - dt.timedelta(hours=1), now.replace(hour=0, minute=0))
    end = now + dt.timedelta(hours=2)
    return start.strftime("%H:%M"), end.strftime("%H:%M"), now.date()


async def widget_state(browser: Browser, nabij: Nabij, pattern: str) -> WidgetUI:
    """Open the demo page and wait for the launcher to say ``pattern``."""
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", pattern)
    return ui


async def test_a_pattern_planned_on_the_roster_opens_the_widget_and_a_skip_closes_it(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    coordinator, visitor = await browser_factory(), await browser_factory()
    await sign_in(coordinator, nabij, "coco")
    await coordinator.open(f"{nabij.url}/roster?lang=nl")
    start, end, today = window_around_now()

    await choose_expert(coordinator, "pattern-form", "Anna")
    await coordinator.click(f"#pattern-form input[value={DAY_CODES[today.weekday()]}]")
    await set_value(coordinator, "#pattern-start", start)
    await set_value(coordinator, "#pattern-end", end)
    await coordinator.click("#pattern-submit")
    await shows(coordinator, "#roster-status", "Vaste dienst opgeslagen")
    await shows(coordinator, ".day.today .shift-text", f"{start}.*Anna")
    await shows(coordinator, "#pattern-list .pattern-text", f"Anna: .* {start}{DASH}{end}")
    await assert_accessible(coordinator, "roster, week")
    await coordinator.script("window.scrollTo(0, 0);")
    await coordinator.screenshot("roster-week")

    anna = await nabij.staff("anna")
    await widget_state(visitor, nabij, "nu open")

    # A holiday: skip today. The widget closes and shows when it opens next and this week.
    await coordinator.click("#pattern-list details summary")
    await coordinator.click("#pattern-list .pattern-skip button")
    await shows(coordinator, "#roster-status", "Dagen overgeslagen: 1")
    await coordinator.absent(".day.today .shift")
    ui = await widget_state(visitor, nabij, "nu gesloten")
    await ui.click(".launcher")
    await ui.wait_text(".next-opening", "We zijn er weer op")
    await ui.wait_text(".hours-title", "Openingstijden deze week")
    hours = await ui.texts(".hours li")
    assert hours and hours[0].endswith(f"{start}{DASH}{end}"), hours
    await visitor.screenshot("widget-closed-hours")
    await anna.disconnect()


async def test_month_view_shifts_across_midnight_and_a_coverage_gap(
    nabij: Nabij, browser: Browser
) -> None:
    anna = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    today = dt.datetime.now(AMSTERDAM).date()
    night = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(22), AMSTERDAM)
    await nabij.add_shift(anna, night, night + dt.timedelta(hours=7))
    await sign_in(browser, nabij, "coco")
    await browser.open(f"{nabij.url}/roster?lang=nl")

    await shows(browser, ".day .shift-text", f"22:00{DASH}05:00 \\(volgende dag\\) Anna")
    await shows(browser, ".day .shift-text", f"↳ 00:00{DASH}05:00 Anna")
    await shows(browser, "#warning-list", "Anna")
    await browser.click("#hours-add")
    for code in DAY_CODES:
        await browser.click(f"#hours-rows .hours-day[value={code}]")
    await set_value(browser, "#hours-rows .hours-start", "09:00")
    await set_value(browser, "#hours-rows .hours-end", "10:00")
    await browser.click("#hours-submit")
    await shows(browser, "#roster-status", "Chaturen opgeslagen")
    await shows(browser, "#gap-list .gap", f"09:00{DASH}10:00")
    await assert_accessible(browser, "roster, coverage")

    await browser.click("#view-month")
    await browser.find("#month-view")
    await shows(browser, "#month-view .shift-text", "Anna")
    await assert_accessible(browser, "roster, month")
    await browser.script("window.scrollTo(0, 0);")
    await browser.screenshot("roster-month")

    # A bad shift keeps what was typed and shows the field's error.
    await choose_expert(browser, "shift-form", "Anna")
    await set_value(browser, "#shift-starts_at", f"{today.isoformat()}T20:00")
    await set_value(browser, "#shift-ends_at", f"{today.isoformat()}T19:00")
    await browser.click("#shift-submit")
    await browser.find("#shift-form [aria-invalid=true]")
    await shows(browser, "#shift-err-ends_at", "De dienst moet eindigen na het begin")
    assert await browser.script("return document.getElementById('shift-ends_at').value")
    await assert_accessible(browser, "roster, shift form with errors")

    # Add it, change it, delete it (after confirming).
    await set_value(browser, "#shift-ends_at", f"{today.isoformat()}T21:00")
    await browser.click("#shift-submit")
    await shows(browser, "#roster-status", "Dienst opgeslagen")
    await shows(browser, ".day.today .shift-text", f"20:00{DASH}21:00 Anna")
    await browser.click(".day.today .shift-edit")
    assert await browser.script("return document.activeElement.id") == "shift-user_id"
    await set_value(browser, "#shift-ends_at", f"{today.isoformat()}T21:30")
    await browser.click("#shift-submit")
    await shows(browser, ".day.today .shift-text", f"20:00{DASH}21:30 Anna")
    await browser.script("window.confirm = () => true;")
    await browser.click(".day.today .shift-delete")
    await shows(browser, "#roster-status", "Dienst verwijderd")
    await browser.absent(".day.today .shift")


async def test_team_page_creates_an_expert_whose_link_sets_the_password(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    coordinator, newcomer = await browser_factory(), await browser_factory()
    await sign_in(coordinator, nabij, "coco")
    await coordinator.open(f"{nabij.url}/team?lang=nl")
    await shows(coordinator, "#member-list .member-text", "Coco")

    await coordinator.type("#member-display_name", HOSTILE)
    await coordinator.type("#member-username", "Not valid!")
    await coordinator.click("#member-submit")
    await coordinator.find("#member-username[aria-invalid=true]")
    await shows(coordinator, "#member-err-username", "Gebruik 3 tot 64 tekens")
    assert await coordinator.script("return document.getElementById('member-display_name').value")
    await assert_accessible(coordinator, "team, errors")

    await coordinator.type("#member-display_name", "Bram", clear=True)
    await coordinator.type("#member-username", "bram", clear=True)
    await coordinator.click("#member-form input[name=focus][value=perpetrator]")
    await coordinator.click("#member-submit")
    await shows(coordinator, "#team-status", "Account aangemaakt")
    await shows(coordinator, "#member-list .member-text", "Bram \\(bram\\) · Expert · Plegers")
    link = await coordinator.until("document.getElementById('link-url').value")
    assert link.startswith(f"{nabij.url}/password/"), link
    assert await no_markup_rendered(coordinator, "#member-list")
    await assert_accessible(coordinator, "team, link shown")
    await coordinator.screenshot("team")

    await newcomer.open(link + "?lang=nl")
    await newcomer.type("#link-password", "kort")
    await newcomer.click("#link-submit")
    await newcomer.find("#link-password[aria-invalid=true]")
    await shows(newcomer, "#err-password", "Gebruik minstens")
    await newcomer.type("#link-password", "een lang genoeg wachtwoord")
    await newcomer.click("#link-submit")
    await newcomer.find("#link-done")
    await assert_accessible(newcomer, "password link, done")
    await newcomer.screenshot("password-link-done")
    await newcomer.click("#link-login")
    await newcomer.type("#username", "bram")
    await newcomer.type("#password", "een lang genoeg wachtwoord")
    await newcomer.click("#login-submit")
    await newcomer.find("#console")
    await newcomer.open(link)
    await newcomer.find("#link-invalid")

    # Deactivating asks first; then the account shows as deactivated.
    await coordinator.script("window.confirm = () => true;")
    await coordinator.click("#member-list li[data-username=bram] .member-deactivate")
    await shows(coordinator, "#member-list li[data-username=bram]", "Gedeactiveerd")


async def test_my_shifts_calendar_feed_and_a_swap_the_coordinator_approves(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    anna = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("bram", on_shift=False)
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    tomorrow = dt.datetime.now(AMSTERDAM).date() + dt.timedelta(days=1)
    evening = dt.datetime.combine(tomorrow, dt.time(19), AMSTERDAM)
    await nabij.add_shift(anna, evening, evening + dt.timedelta(hours=3))
    expert, coordinator = await browser_factory(), await browser_factory()
    await sign_in(expert, nabij, "anna")
    await expert.open(f"{nabij.url}/my-shifts?lang=nl")
    await shows(expert, "#my-shift-list .my-shift", f"19:00{DASH}22:00")

    await expert.click("#calendar-issue")
    url = await expert.until("document.getElementById('calendar-url').value")
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert response.content_type == "text/calendar"
        assert "BEGIN:VEVENT" in await response.text()

    await expert.until("document.querySelectorAll('#request-to_user_id option').length > 1")
    await expert.script(
        "const f = document.getElementById('request-form');"
        "f.elements.shift_id.selectedIndex = 1;"
        "f.querySelector('input[value=swap]').checked = true;"
        "const s = f.elements.to_user_id;"
        "s.value = [...s.options].find(o => o.text === 'Bram').value;"
    )
    await expert.click("#request-submit")
    await shows(expert, "#my-request-list", "overdragen · wacht op coördinator")
    await assert_accessible(expert, "my shifts")
    await expert.screenshot("my-shifts")

    await sign_in(coordinator, nabij, "coco")
    await coordinator.open(f"{nabij.url}/roster?lang=nl")
    await shows(coordinator, "#request-list", "Anna wil dienst .* overdragen aan Bram")
    await coordinator.click("#request-list .request-approve")
    await shows(coordinator, "#request-list", "Geen openstaande verzoeken")
    await expert.open(f"{nabij.url}/my-shifts?lang=nl")
    await shows(expert, "#my-request-list", "goedgekeurd")
    await shows(expert, "#my-shift-list", "geen komende diensten")

    async with nabij.app[db_key].begin() as session:
        for number in range(100):
            await record_change(session, None, "test.filler", f"filler:{number}")
    await coordinator.open(f"{nabij.url}/audit?lang=nl")
    await coordinator.until("document.querySelectorAll('#audit-rows tr').length === 100")
    await coordinator.click("#audit-older")
    await coordinator.until("document.querySelectorAll('#audit-rows tr').length > 100")
    assert await coordinator.script("return document.getElementById('audit-older').hidden")
    await shows(coordinator, "#audit-rows", "coco")
    await shows(coordinator, "#audit-rows .description", "Agendalink gemaakt voor Anna")
    await shows(coordinator, "#audit-end", "Dit zijn alle regels")
    await assert_accessible(coordinator, "audit")
    await coordinator.screenshot("audit")

    # The report page now sits in the console's layout, with the navigation.
    await coordinator.click(".topbar nav a[href^='/reports']")
    await shows(coordinator, "h1", "Rapportage")
    await assert_accessible(coordinator, "reports")
    await coordinator.screenshot("reports")
