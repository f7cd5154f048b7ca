"""Layout defects a walkthrough of the shipped pages found (headless Chromium).

- A phone number in the widget broke at its hyphen ("0800-" at the end of one line,
  "2000" on the next), at 1280 x 800 and at 320 x 360: read that way it gets dialled wrong.
- The console's "also the address" checkbox sat centred on a row of its own, above its
  text, so it was not clear what it ticked.
- Off shift with the availability box still on, the console said "Je bent beschikbaar:
  nieuwe chats kunnen naar jou." under "Je hebt nu geen dienst": no chat can come then.
- A coordinator's "Te registreren" listed every expert's pending registrations without
  saying whose: they looked like the coordinator's own.
- "Nieuw gesprek starten" after a chat showed the intro and "Start de chat" from the
  status read when the page loaded, although nobody could chat any more.
- The coordinator who picked up an alert read their own name in the third person
  ("Cora pakt de melding van Bert op.").
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from tests.browser import Browser
from tests.consolehelp import anna_takes_a_waiting_visitor, sign_in
from tests.harness import Nabij
from tests.widget_ui import WidgetUI

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

#: Each phone link in the widget: its text and on how many lines it is drawn.
TEL_LINES_JS = """
const root = document.getElementById('nabij-widget').shadowRoot;
return Array.from(root.querySelectorAll('a[href^="tel:"]'))
  .filter(a => a.checkVisibility())
  .map(a => ({text: a.textContent, lines: new Set(
    Array.from(a.getClientRects(), r => Math.round(r.top))).size}));
"""

#: The block checkbox and the first line of its text: their vertical centres.
CHECK_ROW_JS = """
const label = document.querySelector('.chat-panel:not([hidden]) .chat-block-address')
  .closest('label');
const box = label.querySelector('input').getBoundingClientRect();
const range = document.createRange();
range.selectNodeContents(label.lastChild);
const line = range.getClientRects()[0];
return {box: box.top + box.height / 2, text: line.top + line.height / 2,
        boxRight: box.right, textLeft: line.left};
"""


async def _viewport(browser: Browser, width: int, height: int) -> None:
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 400}
    await browser.run(browser.driver.execute_cdp_cmd, "Emulation.setDeviceMetricsOverride", metrics)


@pytest.mark.parametrize("size", [(1280, 800), (320, 360)])
async def test_phone_numbers_in_the_widget_stay_on_one_line(
    nabij: Nabij, browser: Browser, size: tuple[int, int]
) -> None:
    await nabij.add_expert("anna")
    await nabij.staff("anna", available=False)  # on shift, nobody free: every line shows
    await _viewport(browser, *size)
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.click(".launcher")
    await ui.wait_text(".closed h3", "^Er is nu niemand vrij$")
    links: list[dict[str, Any]] = await browser.script(TEL_LINES_JS)
    await browser.screenshot(f"widget-phone-numbers-{size[0]}x{size[1]}")
    assert {link["text"] for link in links} >= {"112", "0800-2000", "085-123 45 67"}, links
    assert [link for link in links if link["lines"] != 1] == []


async def test_the_block_address_checkbox_sits_next_to_its_text(
    nabij: Nabij, browser: Browser
) -> None:
    await anna_takes_a_waiting_visitor(nabij, browser)
    await browser.click(".chat-panel:not([hidden]) .chat-actions summary")
    await browser.find(".chat-panel:not([hidden]) .chat-block-address")
    row: dict[str, float] = await browser.script(CHECK_ROW_JS)
    await browser.screenshot("console-block-address-checkbox")
    assert abs(row["box"] - row["text"]) < 6, row  # on the text's first line
    assert 0 <= row["textLeft"] - row["boxRight"] < 16, row  # and just left of it


async def test_off_shift_the_console_never_says_chats_can_come(
    nabij: Nabij, browser: Browser
) -> None:
    """Available when the shift ended: the box stays on, the sentence says no chats come."""
    user_id = await nabij.add_expert("anna", on_shift=False)
    now = dt.datetime.now(dt.UTC)
    await nabij.add_shift(user_id, now - dt.timedelta(hours=1), now + dt.timedelta(seconds=2))
    await nabij.staff("anna")  # available while on shift
    await asyncio.sleep(max(0.0, (now - dt.datetime.now(dt.UTC)).total_seconds() + 2.5))
    await sign_in(browser, nabij, "anna")
    await browser.wait_text("#shift-status", "^Je hebt nu geen dienst")
    await browser.until("document.getElementById('available').checked")
    status = await browser.wait_text("#presence-status", ".")
    await browser.screenshot("console-available-off-shift")
    assert status == "Je staat op beschikbaar, maar buiten je dienst krijg je geen nieuwe chats."
    assert await browser.script("return document.getElementById('presence-status').className;") == (
        "presence-off"
    )


async def test_a_coordinators_pending_list_names_whose_registration_it_is(
    nabij: Nabij, browser: Browser
) -> None:
    """Coordinators see every expert's pending registrations: a colleague's says whose."""
    await nabij.add_expert("bert")
    await nabij.add_expert("cora", role="coordinator", on_shift=False)
    bert = await nabij.staff("bert")
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] == 0
    await bert.next("chat:assigned")
    assert (await visitor.call("chat:end"))["ok"]
    await bert.next("registration:pending")
    await sign_in(browser, nabij, "cora")
    line = await browser.wait_text("#pending-list .pending-item", "Slachtoffer")
    await browser.screenshot("console-coordinator-pending-names-expert")
    assert line.splitlines()[0].endswith(" · Slachtoffer · Bert"), line


async def test_a_new_chat_after_the_end_asks_again_whether_anyone_is_free(
    nabij: Nabij, browser: Browser
) -> None:
    """The demo page stayed "nu open" after a chat although nobody could chat any more."""
    await nabij.add_expert("anna", capacity=1)
    anna = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.click(".launcher")
    await ui.click("label[for=nabij-audience-victim]")
    await ui.tap_start()
    conversation_id = (await anna.next("chat:assigned"))["conversation_id"]
    await ui.wait_text(".chat-status", "Anna is er voor je")
    assert (await anna.call("chat:end", {"conversation_id": conversation_id}))["ok"]
    await ui.find(".view.ended")
    assert (await anna.call("presence:set", {"available": False}))["ok"]
    await ui.click(".new-chat")
    await ui.wait_text(".closed h3", "^Er is nu niemand vrij$")
    await browser.screenshot("widget-new-chat-after-the-expert-left")
    assert not await ui.visible(".start")


async def test_the_coordinator_who_picks_up_an_alert_reads_you_not_their_own_name(
    nabij: Nabij, browser: Browser
) -> None:
    """Cora pressed "Ik pak dit op" and read "Cora pakt de melding van Bert op."."""
    await nabij.add_expert("bert")
    await nabij.add_expert("cora", role="coordinator", on_shift=False)
    bert = await nabij.staff("bert")
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] == 0
    conversation_id = (await bert.next("chat:assigned"))["conversation_id"]
    await sign_in(browser, nabij, "cora")
    raised = await bert.call("alert:raise", {"conversation_id": conversation_id, "note": "Hulp"})
    assert raised["ok"], raised
    await browser.wait_text(".alert-item .alert-note", "Hulp")
    await browser.click(".alert-item .alert-ack")
    await browser.absent(".alert-item")
    assert await browser.wait_text("#notice", ".") == "Je pakt de melding van Bert op."
    await bert.next("alert:acked")
