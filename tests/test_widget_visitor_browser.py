"""The visitor's side after a reload and a refusal, on the demo page at ``/``.

The widget against the real service in headless Chromium, the expert on Socket.IO.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import Browser
from tests.harness import Nabij, NabijFactory
from tests.widget_ui import WidgetUI

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)


async def start_chat(ui: WidgetUI, audience: str = "unknown") -> None:
    """Open the widget and ask for a chat."""
    await ui.click(".launcher")
    await ui.click(f"label[for=nabij-audience-{audience}]")
    await ui.click(".start")


async def test_after_a_reload_the_experts_earlier_messages_carry_the_experts_name(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    nabij = await nabij_factory(reconnect_grace_s=15)
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await start_chat(ui)
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

    await ui.click(".start")
    await ui.wait_text(".closed h3", "gesloten|niemand")
    assert await browser.script(LAUNCHER_STATE_JS) == "nu gesloten"
    await ui.click(".hide")
    await ui.wait_text(".launcher-state", "^nu gesloten$")
