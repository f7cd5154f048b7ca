"""The quick exit on the demo page exactly as shipped: no ``data-exit-url``, real app.

Every other quick-exit test sets ``data-exit-url``; this one does not, because the demo
page does not, and that is where a missing attribute once sent the visitor to
``/undefined`` (a 404 of the chat service) instead of the neutral default site.
The sandbox has no network, so the default site fails to load: the test asserts the URL
the browser went to, not the page it shows.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser import WAIT_S, Browser
from tests.harness import Nabij, Peer
from tests.waiting import eventually
from tests.widget_ui import WidgetUI

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

#: DEFAULT_EXIT_URL in widget/src/config.js.
DEFAULT_EXIT_URL = "https://www.buienradar.nl/"
STORAGE_KEYS_JS = "return Object.keys(sessionStorage);"


async def _chatting_on_the_demo_page(nabij: Nabij, browser: Browser) -> tuple[WidgetUI, str, Peer]:
    """A visitor chatting with Anna on ``/``, after a page of the same origin."""
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    before = f"{nabij.url}/widget/demo/site.css?before"
    await browser.open(before)
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat()
    await expert.next("chat:assigned")
    await ui.wait_text(".chat-status", "Anna is er voor je")
    assert await browser.script(STORAGE_KEYS_JS) == ["nabij.widget"]
    return ui, before, expert


async def _left_for_the_default_site(browser: Browser, before: str) -> None:
    """The browser is on the default exit site, nothing is kept, Back skips the chat."""
    assert await _current_url_becomes(browser, DEFAULT_EXIT_URL) == DEFAULT_EXIT_URL
    await browser.run(browser.driver.back)
    await browser.until(f"location.href === '{before}'")
    assert await browser.script(STORAGE_KEYS_JS) == [], "the resume token is gone"


async def _current_url_becomes(browser: Browser, url: str) -> str:
    """The browser's URL once it is ``url`` (failing with the last one seen)."""
    return await eventually(
        lambda: browser.run(lambda: str(browser.driver.current_url)),
        what=f"the browser to be at {url}",
        until=lambda current: current == url,
        timeout=WAIT_S,
    )


async def test_snel_weg_on_the_shipped_demo_page_goes_to_the_default_site(
    nabij: Nabij, browser: Browser
) -> None:
    ui, before, expert = await _chatting_on_the_demo_page(nabij, browser)
    await ui.click(".exit")
    await _left_for_the_default_site(browser, before)
    ended = await expert.next("chat:ended")
    assert (ended["by"], ended["reason"]) == ("visitor", "visitor_quick_exit")


async def test_escape_twice_in_the_message_field_goes_to_the_default_site(
    nabij: Nabij, browser: Browser
) -> None:
    ui, before, _ = await _chatting_on_the_demo_page(nabij, browser)
    await ui.click("#nabij-message")
    await ui.type("#nabij-message", "ik moet")
    assert (await ui.focused())["id"] == "nabij-message"
    await browser.run(ActionChains(browser.driver).send_keys(Keys.ESCAPE, Keys.ESCAPE).perform)
    await _left_for_the_default_site(browser, before)
