"""Issue 17 in real browsers: the message box round trip (a visitor leaves a message, an
expert claims and answers it in the console, the visitor reads the answer with the code,
replies and closes it), the safety step and the feedback after an expert ends a chat.

The widget and the console against the real service in headless Chromium, as shipped
(demo page at ``/``, default settings); screenshots under var/test-screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from selenium.webdriver.common.keys import Keys
from sqlalchemy import select

from chatserver.keys import db_key
from registration.models import FeedbackAnswer, SafetyAnswerCount
from tests.browser import Browser, BrowserFactory, describe
from tests.consolehelp import shows, sign_in
from tests.harness import Nabij, NabijFactory
from tests.test_widget_browser import embedded
from tests.test_widget_quick_exit import DEFAULT_EXIT_URL, _current_url_becomes
from tests.waiting import eventually
from tests.widget_ui import HostSite, WidgetUI, host_site

__all__ = ["host_site"]

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

CODE = re.compile(r"^[a-z]+(-[a-z]+)+-\d+$")


async def assert_accessible(browser: Browser, state: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page, widget included."""
    violations = await browser.axe()
    assert violations == [], f"{state}:\n{describe(violations)}"


async def _leave_message(ui: WidgetUI, browser: Browser, body: str) -> str:
    await ui.click(".launcher")
    await ui.wait_text(".closed h3", "^Er is nu niemand vrij$")
    await assert_accessible(browser, "closed with the message box")
    await ui.click(".box-leave")
    await ui.click("label[for=nabij-box-audience-victim]")
    await ui.click(".leave-form [type=submit]")
    await ui.wait_text("#nabij-leave-error", "^Schrijf eerst een bericht.$")
    assert (await ui.focused())["id"] == "nabij-box-body"
    await ui.type("#nabij-box-body", body)
    await ui.wait_text("#nabij-box-counter", f"^{len(body)} van 2000 tekens$")
    await assert_accessible(browser, "leave a message")
    await ui.click(".leave-form [type=submit]")
    code = await ui.wait_text(".pickup-code", r"\d")
    assert CODE.match(code), code
    assert (await ui.focused())["id"] == "nabij-code-title"
    await assert_accessible(browser, "the code")
    await browser.screenshot("voice-message-code")
    return code


async def _read(ui: WidgetUI, code: str) -> None:
    await ui.click(".box-code")
    # Any case and spacing: the way someone copies it from a scrap of paper.
    await ui.type("#nabij-code", "  " + code.upper().replace("-", " ") + " ")
    await ui.click(".code-form [type=submit]")
    await ui.find(".thread-part")


async def test_a_message_left_while_nobody_is_free_is_answered_and_read_with_its_code(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("anna")  # on shift, not available: "nobody free"
    visitor, console = await browser_factory(), await browser_factory()
    await visitor.open(f"{nabij.url}/")
    ui = WidgetUI(visitor)
    code = await _leave_message(ui, visitor, "Mijn partner leest mijn telefoon. Wat kan ik doen?")
    storage = await visitor.script(
        "return [document.cookie, sessionStorage.length, localStorage.length];"
    )
    assert storage == ["", 0, 0]  # the code is shown once and kept nowhere

    await ui.click(".code .primary")
    await _read(ui, code)
    await ui.wait_text(".thread-state", "^We hebben nog niet geantwoord")
    await ui.wait_text(".thread .msg.mine", "Mijn partner leest mijn telefoon")

    await sign_in(console, nabij, "anna")
    await shows(console, "#box-count", "^1$")
    await shows(console, "#box-list .box-item", r"Slachtoffer · Nederlands · wacht 0 min")
    await console.click("#box-list .box-claim")
    await shows(console, "#box-messages", "Mijn partner leest mijn telefoon")
    await assert_accessible(console, "console with a claimed message")
    await console.click("#box-send")
    await shows(console, "#box-error", "Schrijf eerst een antwoord")
    await console.type("#box-answer", "Fijn dat je schrijft. Wis na het lezen je geschiedenis.")
    await console.click("#box-send")
    await shows(console, "#notice", "Antwoord verstuurd")
    await shows(console, "#box-count", "^0$")
    await shows(console, "#pending-count", "^1$")
    await console.screenshot("voice-console-answered")

    await ui.click(".read .back")
    await _read(ui, code)
    await ui.wait_text(".thread-state", "^We hebben geantwoord.$")
    await ui.wait_text(".thread .msg.theirs", "^Anna\nFijn dat je schrijft")
    await assert_accessible(visitor, "the answered thread")
    await ui.type("#nabij-reply", "Dank je, dat ga ik doen.")
    await ui.click(".reply-form [type=submit]")
    await ui.wait_text(".thread .msg.mine", "Dank je, dat ga ik doen.")
    await visitor.screenshot("voice-message-thread")

    await ui.click(".box-close")
    assert "primary" not in (await ui.focused())["cls"]  # "no, keep it" has the focus
    await ui.click(".read .confirm .primary")
    await ui.wait_text(".closed-note", "^Het gesprek is gesloten en gewist.$")
    await ui.click(".read .back")
    await _read_refused(ui, code)


async def _read_refused(ui: WidgetUI, code: str) -> None:
    await ui.click(".box-code")
    await ui.type("#nabij-code", code)
    await ui.click(".code-form [type=submit]")
    await ui.wait_text("#nabij-code-error", "^We vinden geen bericht met deze code")
    assert (await ui.focused())["id"] == "nabij-code"


async def test_the_quick_exit_from_the_message_box_leaves_nothing_behind(
    nabij: Nabij, browser: Browser
) -> None:
    await nabij.add_expert("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    code = await _leave_message(ui, browser, "Kort bericht.")
    await ui.click(".code .primary")
    await _read(ui, code)
    await ui.wait_text(".thread .msg.mine", "Kort bericht.")
    await browser.keys(Keys.ESCAPE, Keys.ESCAPE)  # the thread shown, its code in memory
    assert await _current_url_becomes(browser, DEFAULT_EXIT_URL) == DEFAULT_EXIT_URL
    await browser.open(f"{nabij.url}/")
    await ui.click(".launcher")
    await ui.wait_text(".closed h3", "^Er is nu niemand vrij$")
    assert await ui.texts(".thread .msg") == []
    assert await browser.script("return [sessionStorage.length, document.cookie];") == [0, ""]


async def _probe_chat(nabij: Nabij) -> str:
    """A chat started and ended over a bare socket; returns its conversation id.

    The expert's next ``chat:assigned`` of the browser's own chat comes after it.
    """
    probe = await nabij.visitor()
    ack = await probe.call("chat:request", {"audience": "unknown", "lang": "nl", "safety": "safe"})
    assert ack["ok"], ack
    assert (await probe.call("chat:end"))["ok"]
    return str(ack["conversation_id"])


async def test_skipping_the_safety_step_starts_the_chat_without_an_answer(
    nabij: Nabij, browser: Browser
) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.click(".launcher")
    # Whoever left a message while we were closed finds "Ik heb een code" when we are open.
    await ui.click(".box-code-intro")
    await ui.find("#nabij-code")
    await ui.click(".read .back")
    await ui.click(".start")
    await ui.wait_text(".safety h3", "^Kun je nu veilig chatten\\? Kan er iemand meekijken\\?$")
    assert (await ui.focused())["id"] == "nabij-safety-title"
    await assert_accessible(browser, "the safety step")
    await browser.screenshot("voice-safety-step")
    await ui.click(".safety .skip")
    assigned = await expert.next("chat:assigned")
    assert assigned.get("safety") is None
    await ui.wait_text(".chat-status", "Anna is er voor je")


@pytest.mark.parametrize("answer", ["safe", "unsure"])
async def test_the_safety_answer_reaches_the_expert_and_unsure_shows_the_tips_first(
    nabij: Nabij, browser: Browser, answer: str
) -> None:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    probe = await _probe_chat(nabij)
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.click(".launcher")
    await ui.click(".start")
    await ui.click(f".safety [data-answer={answer}]")
    if answer == "unsure":
        await ui.wait_text(".tips", "Snel weg")
        await ui.wait_text(".tips", "privévenster")
        assert (await ui.focused())["id"] == "nabij-tips-title"
        await assert_accessible(browser, "the safety tips")
        await browser.screenshot("voice-safety-tips")
        await ui.click(".safety-start")
    assigned = await expert.until("chat:assigned", lambda data: data["conversation_id"] != probe)
    assert assigned["safety"] == answer
    await ui.wait_text(".chat-status", "Anna is er voor je")
    # Counted when the chat is archived, per day and without the chat.
    ending = {"conversation_id": assigned["conversation_id"]}
    assert (await expert.call("chat:end", ending))["ok"]
    expected = 2 if answer == "safe" else 1  # the probe said "safe" too
    await eventually(
        lambda: _safety_counts(nabij),
        what=f"the day's count of {answer!r} answers",
        until=lambda counts: counts.get(answer, 0) == expected,
    )
    await ui.wait_text(".ended-reason", "^Anna heeft het gesprek beëindigd.$")


async def _verdicts(nabij: Nabij) -> list[FeedbackAnswer]:
    async with nabij.app[db_key]() as session:
        return list((await session.execute(select(FeedbackAnswer))).scalars())


async def _safety_counts(nabij: Nabij) -> dict[str, int]:
    async with nabij.app[db_key]() as session:
        rows = (await session.execute(select(SafetyAnswerCount))).scalars()
        return {row.answer: row.count for row in rows}


async def _chat_with_anna(nabij: Nabij, browser: Browser) -> tuple[WidgetUI, Any, str]:
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat()
    conversation_id = str((await expert.next("chat:assigned"))["conversation_id"])
    await ui.wait_text(".chat-status", "Anna is er voor je")
    return ui, expert, conversation_id


async def test_after_the_expert_ends_the_chat_the_visitor_may_give_a_mark_or_skip(
    nabij: Nabij, browser: Browser
) -> None:
    ui, expert, conversation_id = await _chat_with_anna(nabij, browser)
    assert (await expert.call("chat:end", {"conversation_id": conversation_id}))["ok"]
    await ui.wait_text(".ended-reason", "^Anna heeft het gesprek beëindigd.$")
    await ui.wait_text(".feedback legend", "^Welk rapportcijfer geef je dit gesprek\\?$")
    await assert_accessible(browser, "the feedback questions")
    await browser.screenshot("voice-feedback")
    await ui.click("label[for=nabij-mark-8]")
    await ui.click("label[for=nabij-helped-a_bit]")
    await ui.click("label[for=nabij-recommend-yes]")
    await ui.click(".feedback [type=submit]")
    await ui.wait_text(".thanks", "^Dank je wel voor je antwoord.$")
    assert (await ui.focused())["cls"] == "thanks"
    assert not await ui.visible(".feedback")
    (stored,) = await _verdicts(nabij)
    assert (stored.mark, stored.helped, stored.recommend) == (8, "a_bit", "yes")
    assert await browser.script("return Object.keys(sessionStorage);") == []


async def test_the_visitors_own_end_asks_too_and_one_tap_skips_it(
    nabij: Nabij, browser: Browser
) -> None:
    ui, _, _ = await _chat_with_anna(nabij, browser)
    await ui.click(".end")
    await ui.click(".confirm-end")
    await ui.wait_text(".ended-reason", "^Je hebt het gesprek beëindigd.$")
    await ui.find(".feedback")
    await ui.click(".feedback .skip")
    assert not await ui.visible(".feedback")
    assert not await ui.visible(".thanks")
    assert (await ui.focused())["id"] == "nabij-ended-title"
    assert await _verdicts(nabij) == []


async def test_no_feedback_when_no_expert_ever_took_the_chat(
    nabij: Nabij, browser: Browser
) -> None:
    await nabij.add_expert("anna", capacity=1)
    expert = await nabij.staff("anna")
    other = await nabij.visitor()
    assert (await other.call("chat:request", {"audience": "unknown", "lang": "nl"}))["ok"]
    await expert.next("chat:assigned")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat()
    await ui.wait_text(".chat-status", "^Je bent nummer 1 in de wachtrij")
    await ui.click(".end")
    await ui.click(".confirm-end")
    await ui.wait_text(".ended-reason", "^Je hebt het gesprek beëindigd.$")
    assert not await ui.visible(".feedback")


async def test_the_expert_sees_an_unsafe_start_in_the_chat_header(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("anna")
    visitor, console = await browser_factory(), await browser_factory()
    await sign_in(console, nabij, "anna")
    await console.click("#available")
    await console.until("document.getElementById('available').checked")
    await visitor.open(f"{nabij.url}/")
    ui = WidgetUI(visitor)
    await ui.click(".launcher")
    await ui.click(".start")
    await ui.click(".safety [data-answer=unsafe]")
    await ui.click(".safety-start")
    await shows(console, ".chat-panel .chat-safety.at-risk", "^Bezoeker: niet veilig om te chatten")
    await shows(console, ".chat-safety .safety-hint", "Snel weg")
    await assert_accessible(console, "a chat that began unsafe")
    await console.screenshot("voice-console-unsafe")
    await console.run(console.driver.refresh)  # chats:sync carries it too
    await shows(console, ".chat-panel .chat-safety.at-risk", "^Bezoeker: niet veilig om te chatten")


async def test_the_report_page_fills_in_the_visitors_voice_beside_the_evaluation(
    nabij: Nabij, browser: Browser
) -> None:
    await nabij.add_expert("cora", role="coordinator")
    await sign_in(browser, nabij, "cora")
    await browser.open(f"{nabij.url}/reports?kind=month&lang=nl")
    await browser.until("document.getElementById('voice-status').textContent === ''")
    figures = await browser.script(
        "return [...document.querySelectorAll('#voice [data-v]')].map(c => c.textContent);"
    )
    assert figures and all(figures), figures  # every cell says something, if only a dash
    period = await browser.script("return {...document.getElementById('voice').dataset};")
    async with nabij.http(await nabij.login("cora")) as http:
        query = {"from": period["from"], "to": period["to"]}
        async with http.get(f"{nabij.url}/api/reports/chat", params=query) as response:
            served = await response.json()
    await assert_accessible(browser, "the report page")
    await browser.script("document.getElementById('feedback').scrollIntoView();")
    await browser.screenshot("voice-report")
    assert served["feedback"]["reference"]["mean_mark_2018_2020"] == 8.4
    await shows(browser, "#reference-mark", "^8,4 \\(2018\u20132020, n = 51\\); 8,1 in 2020$")
    await shows(browser, "#mean-mark", "^te weinig antwoorden$")
    assert await browser.script("return !document.getElementById('funnel-messages').hidden;")


async def test_in_english_on_a_host_site_a_message_is_left_cross_origin_and_read_back(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser
) -> None:
    nabij = await embedded(nabij_factory, host_site)
    await nabij.add_expert("anna")  # on shift, nobody available
    await browser.open(host_site.page_url(lang="en"))
    ui = WidgetUI(browser)
    await ui.click(".launcher")
    await ui.wait_text(".closed h3", "^Nobody is free right now$")
    await ui.wait_text(".box-actions", "Leave a message")
    await ui.click(".box-leave")
    await ui.type("#nabij-box-body", "A message from another site.")
    await ui.click(".leave-form [type=submit]")
    code = await ui.wait_text(".pickup-code", r"\d")
    await ui.wait_text(".code .steps", "Write this code down or remember it")
    await ui.click(".code .primary")
    await _read(ui, code)
    await ui.wait_text(".thread-state", "^We have not answered yet")
    await ui.click(".box-close")
    await ui.click(".read .confirm .primary")
    await ui.wait_text(".closed-note", "^The conversation is closed and deleted.$")
    await assert_accessible(browser, "English, the thread closed")


async def test_a_message_a_colleague_claimed_first_is_said_so_and_leaves_the_list(
    nabij: Nabij, browser_factory: BrowserFactory
) -> None:
    await nabij.add_expert("anna")
    await nabij.add_expert("bram")
    visitor, console = await browser_factory(), await browser_factory()
    await visitor.open(f"{nabij.url}/")
    await _leave_message(WidgetUI(visitor), visitor, "Wie pakt dit op?")
    await sign_in(console, nabij, "bram")
    await shows(console, "#box-count", "^1$")
    async with nabij.http(await nabij.login("anna")) as anna:
        async with anna.get(f"{nabij.url}/api/staff/messages") as response:
            (message,) = (await response.json())["messages"]
        claim = f"{nabij.url}/api/staff/messages/{message['id']}/claim"
        async with anna.post(claim, json={}) as response:
            assert response.status == 200, await response.text()
    await console.click("#box-list .box-claim")  # Bram's list is up to 20 s old
    await shows(console, "#notice", "^Een collega heeft dit bericht al opgepakt.$")
    await shows(console, "#box-count", "^0$")
    assert await console.script("return document.getElementById('box-thread').hidden;")
