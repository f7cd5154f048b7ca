"""The console's "block visitor" control (headless Chromium): confirm, block, refuse again."""

from __future__ import annotations

import pytest

from tests.browser import Browser
from tests.consolehelp import script_errors, sign_in
from tests.harness import Nabij

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)


async def test_an_expert_blocks_a_visitor_and_their_address(nabij: Nabij, browser: Browser) -> None:
    await nabij.add_expert("anna", capacity=1)
    await nabij.add_expert("bert", capacity=1)
    bert = await nabij.staff("bert")  # full after the first visitor: the next one waits
    first = await nabij.visitor()
    assert (await first.call("chat:request", {"audience": "victim"}))["position"] == 0
    await bert.next("chat:assigned")
    await sign_in(browser, nabij, "anna")
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] >= 1
    await browser.click(".queue-item .take")
    await visitor.next("chat:assigned")

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
