"""The visitor's side after a reload and a refusal, on the demo page at ``/``.

The widget against the real service in headless Chromium, the expert on Socket.IO.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser import Browser, describe
from tests.chatrecords import measured_chats
from tests.harness import Nabij, NabijFactory
from tests.widget_ui import HostSite, WidgetUI, host_site

__all__ = ["host_site"]

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


async def assert_accessible(browser: Browser, state: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page, widget included."""
    violations = await browser.axe()
    assert violations == [], f"{state}:\n{describe(violations)}"


async def test_after_a_reload_the_experts_earlier_messages_carry_the_experts_name(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    nabij = await nabij_factory(reconnect_grace_s=15)
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat()
    conversation_id = (await expert.next("chat:assigned"))["conversation_id"]
    await ui.wait_text(".chat-status", "Anna is er voor je")
    for n, body in enumerate(("Hallo, ik ben Anna.", "Waar wil je over praten?")):
        payload = {"conversation_id": conversation_id, "client_id": f"a{n}", "body": body}
        assert (await expert.call("message:send", payload))["ok"]
    await ui.type("#nabij-message", "Over thuis." + Keys.ENTER)
    await expert.until("message:new", lambda m: m["body"] == "Over thuis.")

    await browser.run(browser.driver.refresh)
    await ui.wait_text(".chat-status", "Anna is er voor je")
    await ui.wait_text(".msg.mine .text", "^Over thuis.$")
    assert await ui.texts(".msg .who") == ["Anna", "Anna", "Jij"]


LAUNCHER_STATE_JS = (
    "return document.getElementById('nabij-widget').shadowRoot"
    ".querySelector('.launcher-state').textContent;"
)


async def test_a_chat_refused_as_closed_turns_the_launcher_to_closed(
    nabij: Nabij, browser: Browser
) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", "^nu open$")
    await ui.click(".launcher")
    await ui.find(".start")
    assert (await expert.call("presence:set", {"available": False}))["ok"]

    await ui.tap_start()
    await ui.wait_text(".closed h3", "^Er is nu niemand vrij$")
    assert await browser.script(LAUNCHER_STATE_JS) == "nu niemand vrij"
    await ui.click(".hide")
    await ui.wait_text(".launcher-state", "^nu niemand vrij$")


def _until(opening_hours: list[dict[str, str]]) -> str:
    """The end of today's published hours as the widget shows it (HH:MM, Amsterdam)."""
    (hours,) = opening_hours
    ends_at = dt.datetime.fromisoformat(hours["ends_at"]).astimezone(AMSTERDAM)
    return ends_at.strftime("%H:%M")


async def _published_hours(nabij: Nabij) -> list[dict[str, str]]:
    async with aiohttp.ClientSession() as http:
        body = await (await http.get(f"{nabij.url}/api/status")).json()
    hours: list[dict[str, str]] = body["opening_hours"]
    return hours


async def test_unstaffed_then_busy_in_dutch_on_the_demo_page(
    nabij: Nabij, browser: Browser
) -> None:
    await measured_chats(nabij, talk_s=20 * 60, count=30)
    await nabij.add_expert("anna", capacity=1)
    anna = await nabij.staff("anna", available=False)
    until = _until(await _published_hours(nabij))
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", "^nu niemand vrij$")
    await ui.click(".launcher")
    await ui.wait_text(".closed h3", "^Er is nu niemand vrij$")
    await ui.wait_text(
        ".next-opening",
        f"^De chat is open tot {until}, maar op dit moment kan niemand van ons een gesprek"
        " aannemen. Probeer het over een paar minuten opnieuw.$",
    )
    assert "gesloten" not in " ".join(await ui.texts(".closed"))
    assert "Veilig Thuis" in " ".join(await ui.texts(".closed .alternatives li"))
    await assert_accessible(browser, "unstaffed")
    await browser.screenshot("widget-unstaffed")

    assert (await anna.call("presence:set", {"available": True}))["ok"]
    other = await nabij.visitor()
    assert (await other.call("chat:request", {"audience": "victim"}))["position"] == 0
    await ui.click(".try-again")
    await ui.wait_text(
        ".busy-note",
        "^Het is nu druk: iedereen van ons is in gesprek. Start je de chat, dan ben je de"
        " eerste in de wachtrij. Geschatte wachttijd: ongeveer 5\u201330 minuten.$",
    )
    assert (await ui.focused())["id"] == "nabij-title"
    await assert_accessible(browser, "busy")
    await browser.screenshot("widget-busy")
    await ui.click(".hide")
    await ui.wait_text(".launcher-state", "^nu druk$")
    await ui.click(".launcher")
    await ui.tap_start()
    await ui.wait_text(
        ".chat-status", "^Je bent nummer 1 in de wachtrij. Geschatte wachttijd: ongeveer 5\u201330"
    )


async def test_unstaffed_and_busy_in_english(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser
) -> None:
    nabij = await nabij_factory(widget_origins=(host_site.origin,))
    host_site.nabij_origin = nabij.url
    await nabij.add_expert("anna", capacity=1)
    anna = await nabij.staff("anna", available=False)
    until = _until(await _published_hours(nabij))
    await browser.open(host_site.page_url(lang="en"))
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", "^nobody free now$")
    await ui.click(".launcher")
    await ui.wait_text(".closed h3", "^Nobody is free right now$")
    await ui.wait_text(
        ".next-opening",
        f"^The chat is open until {until}, but right now nobody from our team can take a"
        " chat. Please try again in a few minutes.$",
    )
    assert (await anna.call("presence:set", {"available": True}))["ok"]
    for _ in range(2):
        other = await nabij.visitor()
        await other.call("chat:request", {"audience": "victim"})
    await ui.click(".try-again")
    await ui.wait_text(
        ".busy-note",
        "^It is busy right now: everyone on our team is in a chat. If you start the chat,"
        " you will be number 2 in the queue.$",
    )
    await ui.click(".hide")
    await ui.wait_text(".launcher-state", "^busy now$")


#: Each element's box in the viewport, and whether it is the element found at its centre
#: (not covered by another part of the widget).
BOXES_JS = """
const root = document.getElementById('nabij-widget').shadowRoot;
return arguments[0].map(css => {
  const el = root.querySelector(css);
  const r = el.getBoundingClientRect();
  const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {css, top: r.top, bottom: r.bottom, left: r.left, right: r.right,
          onTop: !!hit && (hit === el || el.contains(hit))};
});
"""
KEPT_IN_VIEW = ("#nabij-message", ".send", ".exit")


async def _viewport(browser: Browser, width: int, height: int) -> None:
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 400}
    await browser.run(browser.driver.execute_cdp_cmd, "Emulation.setDeviceMetricsOverride", metrics)


async def _outside(browser: Browser, width: int, height: int) -> list[dict[str, Any]]:
    """The KEPT_IN_VIEW elements not wholly inside the viewport, or covered."""
    boxes: list[dict[str, Any]] = await browser.script(BOXES_JS, list(KEPT_IN_VIEW))
    return [
        b
        for b in boxes
        if not (b["onTop"] and b["top"] >= 0 and b["left"] >= 0)
        or b["bottom"] > height
        or b["right"] > width
    ]


async def test_a_phone_with_its_keyboard_open_keeps_message_send_and_quick_exit_in_view(
    nabij: Nabij, browser: Browser
) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await _viewport(browser, 320, 360)
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat("victim")
    conversation_id = (await expert.next("chat:assigned"))["conversation_id"]
    await ui.wait_text(".chat-status", "Anna is er voor je")
    for n in range(6):
        body = f"Bericht {n} van Anna, lang genoeg om over twee regels te lopen op een telefoon."
        payload = {"conversation_id": conversation_id, "client_id": f"a{n}", "body": body}
        assert (await expert.call("message:send", payload))["ok"]
    await ui.wait_text(".msg.theirs .text", "^Bericht 5")
    # The widget put the focus in the field itself; type as a person would (no WebDriver
    # click, which would scroll the field into view first).
    assert (await ui.focused())["id"] == "nabij-message"
    await press(browser, *"Ik typ met het toetsenbord open.")
    await browser.screenshot("widget-320x360-chat")
    assert await _outside(browser, 320, 360) == []
    assert await browser.script(BODY_FITS_JS), "the panel's body does not scroll"
    await press(browser, Keys.ENTER)
    await expert.until("message:new", lambda m: m["body"].startswith("Ik typ"))
    await ui.wait_text(".msg.mine.delivered .text", "^Ik typ")
    assert await _outside(browser, 320, 360) == []
    await assert_accessible(browser, "chatting at 320 x 360")

    await _viewport(browser, 1280, 800)
    await browser.screenshot("widget-1280x800-chat")
    assert await _outside(browser, 1280, 800) == []
    assert await ui.visible(".exit-hint") and await ui.visible("label[for=nabij-message]")


BODY_FITS_JS = (
    "const b = document.getElementById('nabij-widget').shadowRoot.querySelector('.body');"
    "return b.scrollHeight <= b.clientHeight + 1 && b.scrollTop === 0;"
)


async def press(browser: Browser, *keys: str) -> None:
    """Press ``keys`` wherever the focus is, as a keyboard would."""
    await browser.run(ActionChains(browser.driver).send_keys(*keys).perform)


#: Header parts whose text the panel cuts off (an ellipsis) or that stick out of it.
CUT_OFF_JS = """
const root = document.getElementById('nabij-widget').shadowRoot;
return [...root.querySelectorAll('.bar h2, .bar button')]
  .filter(e => e.scrollWidth > e.clientWidth + 1
            || e.getBoundingClientRect().right > window.innerWidth)
  .map(e => e.textContent.trim());
"""


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_the_header_fits_a_phone_with_its_keyboard_open_in_both_languages(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser, lang: str
) -> None:
    """At 320 x 360 the title, Snel weg / Quick exit and close show whole, in nl and en."""
    nabij = await nabij_factory(widget_origins=(host_site.origin,))
    host_site.nabij_origin = nabij.url
    await _viewport(browser, 320, 360)
    await browser.open(host_site.page_url(lang=lang))
    ui = WidgetUI(browser)
    await ui.click(".launcher")
    await ui.find(".bar .exit")
    await browser.screenshot(f"widget-320x360-header-{lang}")
    assert await browser.script(CUT_OFF_JS) == []
