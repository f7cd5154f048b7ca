"""The console's "block visitor" control (headless Chromium): confirm, block, refuse again."""

from __future__ import annotations

import pytest

from tests.browser import Browser
from tests.consolehelp import anna_takes_a_waiting_visitor, script_errors
from tests.harness import Nabij

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)


async def test_an_expert_blocks_a_visitor_and_their_address(nabij: Nabij, browser: Browser) -> None:
    visitor = await anna_takes_a_waiting_visitor(nabij, browser, capacity=1)

    await browser.click(".chat-panel:not([hidden]) details summary")
    await browser.click(".chat-panel:not([hidden]) .chat-block-address")
    await browser.script("window.confirm = () => false;")
    await browser.click(".chat-panel:not([hidden]) .chat-block")
    assert await visitor.quiet("chat:ended")  # "no" changes nothing
    await browser.script("window.confirm = () => true;")
    await browser.click(".chat-panel:not([hidden]) .chat-block")
    assert (await visitor.next("chat:ended"))["by"] == "expert"
    await browser.find(".chat-panel:not([hidden]) .chat-ended:not([hidden])")
    again = await (await nabij.visitor()).call("chat:request", {"audience": "victim"})
    assert again["error"]["code"] == "rate_limited"
    assert script_errors(await browser.console_messages()) == []
