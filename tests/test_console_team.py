"""Two consoles at once (separate browsers): calling in a mentor, handing a chat over, and
the pending registrations that survive a reload and signing out."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import BrowserFactory, describe
from tests.consolehelp import (
    HOSTILE,
    add_staff,
    no_markup_rendered,
    script_errors,
    short_number,
    sign_in,
    tick_available,
)
from tests.harness import PASSWORD, Nabij

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

EXPERT_NAME = "<b>Anna</b><img src=x>"


async def test_an_alert_reaches_the_coordinator_who_then_takes_the_chat_over(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await add_staff(nabij, "anna", EXPERT_NAME)
    await add_staff(nabij, "coco", "Coco", role="coordinator")
    expert, coordinator = await browser_factory(), await browser_factory()
    await sign_in(expert, nabij, "anna")
    await sign_in(coordinator, nabij, "coco")
    assert await no_markup_rendered(expert, "#who")
    assert await expert.text("#who") == EXPERT_NAME
    await tick_available(expert)

    visitor = await nabij.visitor()
    ack = await visitor.call("chat:request", {"audience": "victim"})
    assert ack["position"] == 0, ack
    assert (await visitor.next("chat:assigned"))["expert"]["display_name"] == EXPERT_NAME
    await expert.find(".chat-panel:not([hidden])")
    await coordinator.wait_text(".overview-item .overview-meta", "Slachtoffer")
    assert await coordinator.text(".overview-item .overview-expert") == EXPERT_NAME

    await expert.click(".chat-panel:not([hidden]) .chat-actions summary")
    await expert.type(
        ".chat-panel:not([hidden]) .chat-alert-note", "Ze noemt zelfmoord. " + HOSTILE
    )
    await expert.click(".chat-panel:not([hidden]) .chat-alert")
    await coordinator.wait_text(".alert-item .alert-note", "zelfmoord")
    assert await coordinator.text(".alert-item .alert-expert") == EXPERT_NAME
    number = short_number(ack["conversation_id"])
    assert (
        await coordinator.text(".alert-item .alert-chat")
    ) == f"Slachtoffer {number} · loopt 0 min"
    assert await no_markup_rendered(coordinator, "#alert-list")
    await coordinator.screenshot("console-coordinator-alert")

    # Reading along: the coordinator sees both sides live but cannot write.
    await coordinator.click(".alert-item .alert-watch")
    await coordinator.find(".chat-panel:not([hidden]) .chat-watching")
    assert await coordinator.script(
        "return document.querySelector('.chat-panel:not([hidden]) .chat-input').disabled;"
    )
    await visitor.call("message:send", {"client_id": "v1", "body": "Ik ben bang."})
    await coordinator.wait_text(".chat-panel:not([hidden]) .msg.visitor", "Ik ben bang.")
    await expert.type(".chat-panel:not([hidden]) .chat-input", "Ik blijf bij je." + Keys.ENTER)
    await coordinator.wait_text(".chat-panel:not([hidden]) .msg.expert", "Ik blijf bij je.")
    assert (await visitor.next("message:new"))["body"] == "Ik blijf bij je."

    # Taking over: the chat moves to the coordinator, who can now answer.
    await coordinator.click(".alert-item .alert-takeover")
    assert (await visitor.next("chat:assigned"))["expert"]["display_name"] == "Coco"
    await expert.until("document.querySelectorAll('.chat-tab').length === 0")
    await expert.wait_text("#notice", "overgenomen")
    await coordinator.absent(".chat-panel:not([hidden]) .chat-watching")
    await coordinator.type(
        ".chat-panel:not([hidden]) .chat-input", "Ik neem het over." + Keys.ENTER
    )
    assert (await visitor.next("message:new"))["body"] == "Ik neem het over."
    await coordinator.screenshot("console-coordinator-took-over")

    # Handing over: back to the expert, with a note, chosen from the colleagues online.
    await coordinator.click(".chat-panel:not([hidden]) .chat-actions summary")
    await coordinator.until(
        "[...document.querySelectorAll('.chat-panel:not([hidden]) .chat-transfer-to option')]"
        ".some(o => o.text.includes('Anna'))"
    )
    await coordinator.script(
        "const s = document.querySelector('.chat-panel:not([hidden]) .chat-transfer-to');"
        "s.value = [...s.options].find(o => o.text.includes('Anna')).value;"
    )
    await coordinator.type(".chat-panel:not([hidden]) .chat-transfer-note", "Rustig nu")
    await coordinator.click(".chat-panel:not([hidden]) .chat-transfer")
    assert (await visitor.next("chat:assigned"))["expert"]["display_name"] == EXPERT_NAME
    await coordinator.until("document.querySelectorAll('.chat-tab').length === 0")
    await expert.wait_text(".chat-panel:not([hidden]) .chat-note", "Rustig nu")
    await expert.wait_text(".chat-panel:not([hidden]) .msg.expert", "Ik neem het over.")
    await expert.screenshot("console-expert-after-handover")
    violations = await expert.axe()
    assert violations == [], describe(violations)
    for browser in (expert, coordinator):
        assert not script_errors(await browser.console_messages())


async def test_pending_registrations_survive_reload_and_signing_out(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("anna")
    browser = await browser_factory()
    await sign_in(browser, nabij, "anna")
    await tick_available(browser)
    visitor = await nabij.visitor()
    await visitor.call("chat:request", {"audience": "professional"})
    await browser.find(".chat-panel:not([hidden])")
    await visitor.call("chat:end")
    await browser.click(".chat-panel:not([hidden]) .chat-register")
    await browser.find("#reg-dialog[open]")
    await browser.keys("v")  # "Vervolgcontact", then close without saving (Escape)
    await browser.keys(Keys.ESCAPE)
    await browser.absent("#reg-dialog[open]")
    await browser.wait_text("#pending-count", "1")
    await browser.click(".pending-item .open-registration")  # what was typed is still there
    assert await browser.script("return document.getElementById('f-first_or_followup').value;") == (
        "followup"
    )
    await browser.keys(Keys.ESCAPE)
    await browser.absent("#reg-dialog[open]")

    await browser.script("location.reload();")
    await browser.wait_text(".pending-item", "Chat")
    await browser.click("#logout")
    await browser.find("#login-form")
    await browser.type("#username", "anna")
    await browser.type("#password", PASSWORD + Keys.ENTER)
    await browser.wait_text(".pending-item", "Chat")
    await browser.screenshot("console-pending-after-sign-in")
    await browser.click(".pending-item .open-registration")
    assert await browser.script("return document.activeElement.name;") == "first_or_followup"
    await browser.keys("v", Keys.CONTROL + Keys.ENTER)
    await browser.absent("#reg-dialog[open]")
    await browser.wait_text("#pending-count", "0")
    async with nabij.http(await nabij.login("anna")) as http:
        body = await (await http.get(f"{nabij.url}/api/registrations")).json()
    [done] = body["registrations"]
    assert (done["status"], done["contact_seeker"], done["first_or_followup"]) == (
        "done",
        "professional",
        "followup",
    )


async def test_the_manual_registration_and_the_quick_reply_page(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("coco", role="coordinator")
    browser = await browser_factory()
    await sign_in(browser, nabij, "coco")
    await browser.click("#new-registration")
    await browser.find("#reg-dialog[open]")
    assert await browser.script("return document.activeElement.name;") == "contact_type"
    await browser.keys("t")  # "Telefoon"
    await browser.type("#f-duration_minutes", "25")
    await browser.script("document.getElementById('f-first_or_followup').focus();")
    await browser.keys("e", Keys.CONTROL + Keys.ENTER)
    await browser.absent("#reg-dialog[open]")
    await browser.wait_text("#done-list", "Telefoon")

    await browser.open(f"{nabij.url}/console/quick-replies?lang=nl")
    await browser.type("#qr-title", "<script>window.pwned=1</script>")
    await browser.type("#qr-body", HOSTILE)
    await browser.click("#qr-add")
    await browser.wait_text(".qr-item .qr-title", "script")
    assert await no_markup_rendered(browser, "#qr-list")
    await browser.screenshot("console-quick-replies")
    violations = await browser.axe()
    assert violations == [], describe(violations)
    await browser.click(".qr-item .qr-delete")
    await browser.find("#qr-none")


async def test_an_alert_waits_for_a_coordinator_who_picks_it_up_with_the_keyboard(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    """Raised while no coordinator is online; the first one to sign in acknowledges it."""
    await add_staff(nabij, "anna", "Anna")
    await add_staff(nabij, "coco", "Coco", role="coordinator")
    expert = await browser_factory()
    await sign_in(expert, nabij, "anna")
    await tick_available(expert)
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["ok"]
    await expert.find(".chat-panel:not([hidden])")

    await expert.click(".chat-panel:not([hidden]) .chat-actions summary")
    await expert.type(".chat-panel:not([hidden]) .chat-alert-note", "Hij staat voor de deur")
    await expert.click(".chat-panel:not([hidden]) .chat-alert")
    await expert.wait_text("#notice", "geen coördinator online")
    await expert.wait_text("#my-alert-list .my-alert-state", "Wacht op een coördinator")
    violations = await expert.axe()
    assert violations == [], describe(violations)

    coordinator = await browser_factory()
    await sign_in(coordinator, nabij, "coco")
    await coordinator.wait_text(".alert-item .alert-note", "voor de deur")
    await coordinator.script("document.getElementById('alerts-heading').focus();")
    await coordinator.keys(Keys.TAB)
    assert (await coordinator.focused())["label"] == "Ik pak dit op"
    await coordinator.keys(Keys.ENTER)
    await coordinator.absent(".alert-item")
    assert (await coordinator.focused())["id"] == "alerts-heading"  # focus is not lost
    await coordinator.wait_text("#notice", "^Je pakt de melding van Anna op")  # she did
    assert await coordinator.text("#alerts-none") == "Geen meldingen."

    await expert.wait_text("#my-alert-list .my-alert-state", "Opgepakt door Coco")
    await expert.wait_text("#notice", "Coco pakt je melding op")
    await expert.script("window.scrollTo(0, 0);")
    await expert.screenshot("console-expert-alert-picked-up")
    assert script_errors(await expert.console_messages()) == []
    assert script_errors(await coordinator.console_messages()) == []
