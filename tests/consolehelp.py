"""Helpers shared by the console's browser tests: signing in through the form, staff setup."""

from __future__ import annotations

import json

from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.wait import WebDriverWait

from chatserver.keys import db_key
from staffing.experts import create_staff_user
from staffing.quickreplies import add_quick_reply
from tests.browser import WAIT_S, Browser, describe
from tests.harness import PASSWORD, Nabij, Peer, roster_now

#: Text that would run or render as markup if the console ever used innerHTML.
HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>vet</b>'

#: The en dash the pages put between two times.
DASH = "\u2013"


async def assert_accessible(browser: Browser, page: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation."""
    violations = await browser.axe()
    assert violations == [], f"{page}:\n{describe(violations)}"


async def shows(browser: Browser, css: str, pattern: str) -> None:
    """Wait until an element matching ``css`` shows text matching regex ``pattern``.

    Checked in one script run, so a list the page re-renders meanwhile cannot leave a
    stale element behind (tests/browser.py's wait_text reads elements one by one).
    """
    await browser.until(
        f"[...document.querySelectorAll({json.dumps(css)})]"
        f".some(e => new RegExp({json.dumps(pattern)}).test(e.innerText))"
    )


async def sign_in(browser: Browser, nabij: Nabij, username: str) -> None:
    """Sign in through the HTML form and wait for the console to be connected."""
    await sign_in_at(browser, nabij.url, username)


async def sign_in_at(browser: Browser, url: str, username: str) -> None:
    """Sign in on the Nabij at ``url`` (a test app or a real process)."""
    await browser.open(f"{url}/login?lang=nl")
    await browser.type("#username", username)
    await browser.type("#password", PASSWORD)
    await browser.click("#login-submit")
    await browser.find("#console")
    await browser.until("window.io !== undefined && document.title.length > 0")


#: True once the server confirmed the expert available: the box itself ticks at the click,
#: before ``presence:set`` is answered, so waiting for the box races the server.
CONFIRMED_AVAILABLE = "document.getElementById('presence-status').className === 'presence-on'"


async def tick_available(browser: Browser) -> None:
    """Tick "Beschikbaar" and wait until the server has the expert available (on shift)."""
    await browser.click("#available")
    await browser.until(CONFIRMED_AVAILABLE)


async def add_staff(
    nabij: Nabij,
    username: str,
    display_name: str,
    *,
    role: str = "expert",
    capacity: int = 2,
) -> int:
    """A staff account with a chosen display name, on a shift around now."""
    async with nabij.app[db_key].begin() as session:
        user = await create_staff_user(
            session,
            username=username,
            display_name=display_name,
            password=PASSWORD,
            role=role,
            capacity=capacity,
        )
        await roster_now(session, user.id)
        return user.id


async def add_reply(nabij: Nabij, title: str, body: str, by: int) -> None:
    """A team-wide quick reply."""
    async with nabij.app[db_key].begin() as session:
        await add_quick_reply(session, title=title, body=body, created_by=by)


async def no_markup_rendered(browser: Browser, container: str) -> bool:
    """Whether hostile text under ``container`` stayed text: no element made, no script run."""
    result = await browser.script(
        f"const root = document.querySelector({container!r});"
        "return root.querySelectorAll('img, script, b').length === 0"
        " && window.pwned === undefined;"
    )
    return bool(result)


def script_errors(messages: list[str]) -> list[str]:
    """Uncaught script errors and CSP refusals among the browser console's messages."""
    return [m for m in messages if "Uncaught" in m or "Content Security Policy" in m]


async def answer_confirm(browser: Browser, *, accept: bool) -> str:
    """Wait for the page's ``window.confirm`` and answer it; return its question."""

    def answer() -> str:
        prompt = WebDriverWait(browser.driver, WAIT_S).until(ec.alert_is_present())
        assert prompt is not False
        question = str(prompt.text)
        if accept:
            prompt.accept()
        else:
            prompt.dismiss()
        return question

    return await browser.run(answer)


#: Count the console's tones: every one makes an oscillator (attention.js).
COUNT_BEEPS = (
    "window.beeps = 0; const proto = (window.AudioContext || window.webkitAudioContext).prototype;"
    "const make = proto.createOscillator;"
    "proto.createOscillator = function () { window.beeps += 1; return make.call(this); };"
)


def short_number(conversation_id: str) -> str:
    """The console's "#417" for a conversation (util.js ``shortNumber``)."""
    return f"#{int(conversation_id[:6], 16) % 1000:03d}"


async def anna_takes_a_waiting_visitor(
    nabij: Nabij, browser: Browser, *, capacity: int = 2
) -> Peer:
    """Anna signs in and takes a waiting visitor by hand (Bert, full, left them waiting)."""
    await nabij.add_expert("anna", capacity=capacity)
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
    return visitor
