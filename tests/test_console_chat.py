"""The console in headless Chromium: sign in, take and answer chats, register the contact."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import Browser, describe
from tests.consolehelp import (
    HOSTILE,
    add_reply,
    answer_confirm,
    no_markup_rendered,
    script_errors,
    sign_in,
)
from tests.harness import Nabij, Peer

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)


async def _queued_visitor(nabij: Nabij, audience: str) -> Peer:
    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": audience})
    assert ack["ok"] and ack["position"] >= 1, ack
    return visitor


async def test_an_expert_takes_two_chats_answers_and_registers(
    nabij: Nabij, browser: Browser
) -> None:
    anna = await nabij.add_expert("anna", capacity=2)
    await nabij.add_expert("bert", capacity=1)
    await add_reply(nabij, "<i>Welkom</i>", "Fijn dat je er bent. <u>Ik</u> luister.", anna)
    bert = await nabij.staff("bert")  # available and soon full: later visitors wait
    first = await nabij.visitor()
    assert (await first.call("chat:request", {"audience": "victim"}))["position"] == 0
    await bert.next("chat:assigned")

    await browser.open(f"{nabij.url}/console")  # not signed in: to the form
    await browser.find("#login-form")
    await browser.screenshot("console-login")
    assert await browser.axe() == []
    await sign_in(browser, nabij, "anna")
    await browser.wait_text("#shift-status", "dienst")

    visitor = await _queued_visitor(nabij, "perpetrator")
    await browser.wait_text(".queue-item .audience", "Pleger")
    await browser.wait_text(".queue-item .waited", r"wacht \d+ min")
    await browser.click(".queue-item .take")
    assigned = await visitor.next("chat:assigned")
    assert assigned["expert"]["display_name"] == "Anna"
    await browser.find(".chat-tab[aria-selected='true']")
    await browser.wait_text(
        ".chat-panel:not([hidden]) .chat-meta", r"Pleger #\d{3} · .* · Nederlands · wachtte \d+ min"
    )

    await visitor.call("message:send", {"client_id": "v1", "body": HOSTILE})
    await browser.wait_text(".chat-panel:not([hidden]) .msg.visitor .body", "onerror")
    assert await no_markup_rendered(browser, "#chat-panels")
    await visitor.call("typing", {"is_typing": True})
    await browser.find(".chat-panel:not([hidden]) .chat-typing")

    await browser.script(
        "const s = document.querySelector('.chat-panel:not([hidden]) .chat-quick');"
        "s.value = s.options[1].value; s.dispatchEvent(new Event('change'));"
    )
    assert await browser.script(
        "return document.querySelector('.chat-quick').options[1].text;"
    ) == ("<i>Welkom</i>")
    await browser.keys(Keys.ENTER)  # the quick reply is in the field, which has the focus
    message = await visitor.next("message:new")
    assert message["body"] == "Fijn dat je er bent. <u>Ik</u> luister."
    assert await no_markup_rendered(browser, "#chat-panels")

    # A second chat at once: its messages count as unread on its tab and in the title.
    await bert.call(
        "chat:end",
        {"conversation_id": (await bert.call("chats:sync"))["chats"][0]["conversation_id"]},
    )
    second = await nabij.visitor()
    assert (await second.call("chat:request", {"audience": "victim"}))["ok"]
    await bert.next("chat:assigned")
    third = await _queued_visitor(nabij, "relative")
    await browser.wait_text(".queue-item .audience", "Naaste")
    await browser.click(".queue-item .take")
    await third.next("chat:assigned")
    await browser.until("document.querySelectorAll('.chat-tab').length === 2")
    await browser.click(".chat-tab[data-conversation-id]:first-child")  # back to the first chat
    await third.call("message:send", {"client_id": "t1", "body": "Hallo?"})
    await browser.wait_text(".chat-tab .unread", "1")
    assert (await browser.script("return document.title;")).startswith("(1) ")
    await browser.screenshot("console-two-chats")

    # Ending the first chat (asked once) offers its registration, prefilled; Ctrl+Enter saves.
    await browser.click(".chat-panel:not([hidden]) .chat-end")
    await answer_confirm(browser, accept=True)
    assert (await visitor.next("chat:ended"))["by"] == "expert"
    await browser.click(".chat-panel:not([hidden]) .chat-register")
    await browser.find("#reg-dialog[open]")
    values = await browser.script(
        "const f = document.getElementById('reg-form').elements;"
        "return [f.contact_type.value, f.contact_seeker.value, f.duration_minutes.value,"
        " document.activeElement.name];"
    )
    assert values[:2] == ["chat", "perpetrator"] and int(values[2]) >= 1
    assert values[3] == "first_or_followup"
    await browser.type("#f-referral_other", "via de buurvrouw")
    await browser.keys(Keys.CONTROL, Keys.ENTER)
    await browser.wait_text("#err-first_or_followup", "Dit veld is verplicht.")
    await browser.wait_text("#err-referral_other", "alleen in als 'binnengekomen via'")
    assert await browser.script("return document.getElementById('f-referral_other').value;") == (
        "via de buurvrouw"  # nothing typed is lost
    )
    await browser.screenshot("console-registration-errors")
    violations = await browser.axe()
    assert violations == [], describe(violations)
    await browser.script("document.getElementById('f-first_or_followup').focus();")
    await browser.keys("e")  # "Eerste contact"
    await browser.type("#f-referral_other", "", clear=True)
    await browser.keys(Keys.SHIFT + Keys.TAB)  # back to "came in through"
    await browser.keys("Webs")  # "Website" (typeahead; "Weggeefkaartje" also starts with W)
    await browser.keys(Keys.CONTROL, Keys.ENTER)
    await browser.absent("#reg-dialog[open]")
    await browser.wait_text("#done-list", "Chat")
    async with nabij.http(await nabij.login("anna")) as http:
        body = await (await http.get(f"{nabij.url}/api/registrations?status=done")).json()
    [done] = body["registrations"]
    assert (done["first_or_followup"], done["referral"], done["contact_seeker"]) == (
        "first",
        "website",
        "perpetrator",
    )
    await browser.screenshot("console-after-registration")
    assert not script_errors(await browser.console_messages())
