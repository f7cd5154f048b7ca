"""The widget in headless Chromium against the real service, with an expert on Socket.IO.

Most tests embed the widget in a host site on another origin with a strict CSP, exactly
as a team's website would; the closed state and the resume run on the demo page at ``/``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import func, select

from chatserver.chat.notify import conversation_room
from chatserver.chat.service import ChatService
from chatserver.errors import ProtocolError
from chatserver.keys import db_key, sio_key
from registration.models import WidgetOpenCount
from tests.browser import Browser, describe
from tests.harness import Nabij, NabijFactory, Peer
from tests.waiting import eventually
from tests.widget_ui import HostSite, WidgetUI, host_site

__all__ = ["host_site"]

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

VISITOR_TEXT = "Hij schreeuwt weer en ik durf niet naar huis."
EXPERT_TEXT = "Wat goed dat je schrijft. Ben je nu op een veilige plek?"
XSS = '<img src=x onerror="window.__pwned = 1">'
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
STORAGE_KEY = "nabij.widget"


async def assert_accessible(browser: Browser, state: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page, widget included."""
    violations = await browser.axe()
    assert violations == [], f"{state}:\n{describe(violations)}"


async def embedded(nabij_factory: NabijFactory, site: HostSite, **overrides: Any) -> Nabij:
    """Nabij allowing ``site`` as a widget host."""
    nabij = await nabij_factory(widget_origins=(site.origin,), **overrides)
    site.nabij_origin = nabij.url
    return nabij


async def storage(browser: Browser) -> dict[str, Any]:
    """What the page keeps: cookies, localStorage, the widget's sessionStorage entry."""
    result: dict[str, Any] = await browser.script(
        "return {cookie: document.cookie, local: localStorage.length,"
        f" session: sessionStorage.getItem('{STORAGE_KEY}'),"
        " sessionKeys: Object.keys(sessionStorage)};"
    )
    return result


async def test_closed_shows_the_next_opening_alternatives_and_the_staff_link(
    nabij: Nabij, browser: Browser
) -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    tomorrow = dt.datetime.now(amsterdam).date() + dt.timedelta(days=1)
    opening = dt.datetime.combine(tomorrow, dt.time(19, 0), amsterdam)
    user_id = await nabij.add_expert("anna", on_shift=False)
    await nabij.add_shift(user_id, opening, opening + dt.timedelta(hours=3))
    expected = f"{DAYS[opening.weekday()]} {opening.day} {MONTHS[opening.month - 1]} om 19:00"

    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", "nu gesloten")
    assert await browser.find("a[href='/console']")
    await assert_accessible(browser, "closed, launcher")

    await ui.click(".launcher")
    assert (await ui.focused())["id"] == "nabij-title"
    await ui.wait_text(".next-opening", re.escape(f"We zijn er weer op {expected}."))
    alternatives = " ".join(await ui.texts(".closed .alternatives li"))
    assert "Bel of app Team Nabij: 085-123 45 67" in alternatives
    assert "Veilig Thuis: 0800-2000" in alternatives and "112" in alternatives
    await ui.wait_text(".emergency", r"In direct gevaar\? Bel 112\. Veilig Thuis: 0800-2000")
    assert await ui.visible(".exit")
    await assert_accessible(browser, "closed, panel")
    await browser.screenshot("widget-closed")

    await browser.run(ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform)
    assert not await ui.visible(".panel")
    assert "launcher" in (await ui.focused())["cls"]


async def test_a_whole_chat_on_a_strict_csp_host_site(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser
) -> None:
    nabij = await embedded(nabij_factory, host_site)
    await nabij.add_expert("anna", capacity=1)
    expert = await nabij.staff("anna")
    other = await nabij.visitor()
    assert (await other.call("chat:request", {"audience": "unknown"}))["position"] == 0
    first = await expert.next("chat:assigned")

    await browser.open(host_site.page_url())
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", "^nu druk$")  # anna's one seat is taken
    await ui.click(".launcher")
    await ui.wait_text(".intro", "ervaringsdeskundige")
    await ui.wait_text(".busy-note", "dan ben je de eerste in de wachtrij")
    await assert_accessible(browser, "intro")
    await _opens_counted(nabij, 1)
    await ui.click("label[for=nabij-audience-victim]")
    await ui.type("#nabij-nickname", "Sam")
    await ui.tap_start()
    # Nothing measured yet: the position, and no made-up wait (tests/test_wait_estimate.py).
    await ui.wait_text(".chat-status", r"^Je bent nummer 1 in de wachtrij\.$")
    await assert_accessible(browser, "queued")

    await expert.call("chat:end", {"conversation_id": first["conversation_id"]})
    assigned = await expert.until("chat:assigned", lambda d: d["audience"] == "victim")
    conversation_id = assigned["conversation_id"]
    assert [m["body"] for m in assigned["messages"]] == ["Je mag me Sam noemen."]
    await ui.wait_text(".chat-status", "Anna is er voor je")

    await _visitor_writes(ui, expert)
    await _expert_writes(ui, expert, conversation_id)
    await assert_accessible(browser, "chatting")
    await browser.screenshot("widget-chatting")
    await _nothing_kept(browser)

    await ui.click(".end")
    await ui.wait_text(".confirm", "Wil je het gesprek echt beëindigen?")
    assert (await ui.focused())["cls"] == "secondary cancel-end"
    await ui.click(".cancel-end")
    assert (await ui.focused())["cls"] == "secondary end"
    await asyncio.sleep(0.2)
    assert all(e["conversation_id"] != conversation_id for e in expert.pending("chat:ended"))
    await ui.click(".end")
    await ui.click(".confirm-end")
    await ui.wait_text(".ended-reason", "Je hebt het gesprek beëindigd.")
    ended = await expert.until("chat:ended", lambda d: d["conversation_id"] == conversation_id)
    assert ended["by"] == "visitor"
    assert "Veilig Thuis" in " ".join(await ui.texts(".ended .alternatives li"))
    assert await ui.count(".msg") == 0, "no conversation text stays in the page"
    assert (await storage(browser))["session"] is None
    assert (await ui.focused())["id"] == "nabij-ended-title"
    await assert_accessible(browser, "ended")
    csp_errors = [m for m in await browser.console_messages() if "Content Security" in m]
    assert csp_errors == []


async def _opens_counted(nabij: Nabij, expected: int) -> None:
    """The widget counted its opening (cross-origin, anonymously) ``expected`` times."""

    async def counted() -> int | None:
        async with nabij.app[db_key]() as session:
            return await session.scalar(select(func.sum(WidgetOpenCount.count)))

    await eventually(
        counted,
        what=f"{expected} widget opens counted",
        until=lambda n: n == expected,  # within the default EVENTUALLY_S, as before
    )


async def _visitor_writes(ui: WidgetUI, expert: Peer) -> None:
    await ui.type("#nabij-message", VISITOR_TEXT)
    await ui.wait_text("#nabij-counter", f"^{len(VISITOR_TEXT)} van 2000 tekens$")
    assert (await expert.until("typing", lambda d: True))["is_typing"] is True
    await ui.type("#nabij-message", Keys.ENTER)
    received = await expert.until("message:new", lambda m: m["body"] == VISITOR_TEXT)
    assert received["sender"] == "visitor"
    await ui.wait_text(".msg.mine.delivered", re.escape(VISITOR_TEXT) + r"[\s\S]*Afgeleverd")
    assert await ui.wait_text("#nabij-counter", "^0 van 2000 tekens$")


async def _expert_writes(ui: WidgetUI, expert: Peer, conversation_id: str) -> None:
    await expert.call("typing", {"conversation_id": conversation_id, "is_typing": True})
    await ui.wait_text(".typing", "Anna typt")
    for n, body in enumerate((EXPERT_TEXT, XSS)):
        payload = {"conversation_id": conversation_id, "client_id": f"e{n}", "body": body}
        assert (await expert.call("message:send", payload))["ok"]
    await ui.wait_text(".msg.theirs", r"^Anna\n" + re.escape(EXPERT_TEXT))
    await ui.wait_text(".msg.theirs .text", "^" + re.escape(XSS) + "$")
    assert await ui.count("img") == 0
    assert await ui.browser.script("return window.__pwned === undefined;")
    assert not await ui.visible(".typing")


async def _nothing_kept(browser: Browser) -> None:
    kept = await storage(browser)
    assert kept["cookie"] == "" and kept["local"] == 0
    assert kept["sessionKeys"] == [STORAGE_KEY]
    assert set(_json(kept["session"])) == {"token", "open"}
    logged = " ".join(await browser.console_messages())
    for text in (VISITOR_TEXT, EXPERT_TEXT, "Sam", "onerror"):
        assert text not in logged


def _json(raw: str) -> dict[str, Any]:
    import json

    value: dict[str, Any] = json.loads(raw)
    return value


async def test_reload_and_a_dropped_connection_resume_with_every_message(
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

    async def expert_says(body: str) -> None:
        payload = {"conversation_id": conversation_id, "client_id": body, "body": body}
        assert (await expert.call("message:send", payload))["ok"]

    await ui.type("#nabij-message", "een" + Keys.ENTER)
    await expert.until("message:new", lambda m: m["body"] == "een")
    await expert_says("twee")
    await ui.wait_text(".msg.theirs .text", "^twee$")

    await browser.run(browser.driver.refresh)
    await ui.wait_text(".chat-status", "Anna is er voor je")
    await ui.wait_text(".msg.mine", r"^Jij\neen\nAfgeleverd$")
    assert await ui.texts(".msg .text") == ["een", "twee"]

    sio = nabij.app[sio_key]
    room = conversation_room(conversation_id)
    for sid, _ in list(sio.manager.get_participants("/visitor", room)):
        await sio.disconnect(sid, namespace="/visitor")
    await expert_says("drie")
    await ui.wait_text(".msg.theirs .text", "^drie$")
    await ui.type("#nabij-message", "vier" + Keys.ENTER)
    await expert.until("message:new", lambda m: m["body"] == "vier")
    await ui.wait_text(".msg.mine.delivered .text", "^vier$")
    assert await ui.texts(".msg .text") == ["een", "twee", "drie", "vier"]


async def test_quick_exit_button_ends_clears_and_leaves_without_a_way_back(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser
) -> None:
    nabij = await embedded(nabij_factory, host_site)
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(f"{host_site.origin}/neutral?before")
    await browser.open(host_site.page_url())
    ui = WidgetUI(browser)
    await ui.start_chat()
    await expert.next("chat:assigned")
    await ui.wait_text(".chat-status", "Anna is er voor je")
    assert (await storage(browser))["session"] is not None
    history = await browser.script("return history.length;")

    await ui.click(".exit")
    await browser.until(f"location.href === '{host_site.origin}/neutral'")
    assert await browser.script("return history.length;") == history
    assert (await storage(browser))["session"] is None
    ended = await expert.next("chat:ended")
    assert ended["by"] == "visitor"
    await browser.run(browser.driver.back)
    await browser.until(f"location.href === '{host_site.origin}/neutral?before'")


async def test_keyboard_only_and_escape_once_hides_escape_twice_leaves(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser
) -> None:
    nabij = await embedded(nabij_factory, host_site)
    await nabij.add_expert("anna")
    expert = await nabij.staff("anna")
    await browser.open(host_site.page_url())
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher-state", "nu open")

    await press(browser, Keys.TAB)
    assert "launcher" in (await ui.focused())["cls"]
    await press(browser, Keys.ENTER)
    assert (await ui.focused())["id"] == "nabij-title"
    for _ in range(8):
        await press(browser, Keys.TAB)
        if (await ui.focused())["id"] == "nabij-audience-unknown":
            break
    await press(browser, Keys.ARROW_UP, Keys.ARROW_UP, Keys.ARROW_UP, Keys.ARROW_UP)
    assert (await ui.focused())["id"] == "nabij-audience-victim"
    await press(browser, Keys.TAB, Keys.TAB, Keys.ENTER)  # past the nickname, onto start
    assert (await ui.focused())["id"] == "nabij-safety-title"
    await press(browser, Keys.TAB, Keys.ENTER)  # the first answer: "Ja, ik kan veilig chatten"
    assigned = await expert.next("chat:assigned")
    assert (assigned["audience"], assigned["safety"]) == ("victim", "safe")
    await browser.until(f"{_ACTIVE_IN_WIDGET} === 'nabij-message'")
    await press(browser, *"hallo", Keys.ENTER)
    assert (await expert.next("message:new"))["body"] == "hallo"

    await press(browser, Keys.ESCAPE)
    assert not await ui.visible(".panel")
    assert "launcher" in (await ui.focused())["cls"]
    assert (await storage(browser))["session"] is not None
    assert await expert.quiet("chat:ended")
    await ui.wait_text(".launcher-state", "^gesprek loopt$")
    payload = {
        "conversation_id": assigned["conversation_id"],
        "client_id": "e1",
        "body": "Ben je er?",
    }
    assert (await expert.call("message:send", payload))["ok"]
    await ui.wait_text(".launcher-state", "^nieuw bericht$")
    await press(browser, Keys.ENTER)
    assert (await ui.focused())["id"] == "nabij-message"
    assert await ui.texts(".msg .text") == ["hallo", "Ben je er?"]
    state = await browser.script(
        f"return {WIDGET_ROOT}.querySelector('.launcher-state').textContent;"
    )
    assert state == "gesprek loopt", "opening the panel marks the message read"

    await press(browser, Keys.ESCAPE, Keys.ESCAPE)
    await browser.until(f"location.href === '{host_site.origin}/neutral'")
    assert (await storage(browser))["session"] is None


_ACTIVE_IN_WIDGET = (
    "(document.getElementById('nabij-widget')"
    " && document.getElementById('nabij-widget').shadowRoot.activeElement || {}).id"
)


async def press(browser: Browser, *keys: str) -> None:
    """Press ``keys`` wherever the focus is, as a keyboard would."""
    await browser.run(ActionChains(browser.driver).send_keys(*keys).perform)


async def test_english_left_in_yellow_at_320_px_and_at_200_percent_zoom(
    nabij_factory: NabijFactory, host_site: HostSite, browser: Browser
) -> None:
    nabij = await embedded(nabij_factory, host_site)
    await nabij.add_expert("anna")
    await nabij.staff("anna")
    await _viewport(browser, 320, 640)
    await browser.open(host_site.page_url(lang="en", position="left", accent="#ffd800"))
    ui = WidgetUI(browser)
    await ui.wait_text(".launcher", "Chat anonymously\nopen now")
    launcher = await browser.script(
        f"const b = {WIDGET_ROOT}.querySelector('.launcher'); const s = getComputedStyle(b);"
        "return {left: b.getBoundingClientRect().left, bg: s.backgroundColor, fg: s.color};"
    )
    assert launcher == {"left": 16, "bg": "rgb(255, 216, 0)", "fg": "rgb(0, 0, 0)"}
    await ui.click(".launcher")
    await ui.wait_text(".intro legend", "^Who are you?")
    await ui.wait_text(".emergency", r"In immediate danger\? Call 112")
    assert await _fits(browser, 320, 640)
    await assert_accessible(browser, "intro at 320 px")
    await browser.screenshot("widget-320px")

    await _viewport(browser, 640, 450)  # 1280 x 900 at 200 % zoom
    assert await _fits(browser, 640, 450)
    start = await ui.find(".start")
    await browser.script("arguments[0].scrollIntoView();", start)
    await browser.run(start.click)
    await ui.click(".safety .skip")
    await ui.wait_text(".chat-status", "Anna is here for you")


async def _viewport(browser: Browser, width: int, height: int) -> None:
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 400}
    await browser.run(browser.driver.execute_cdp_cmd, "Emulation.setDeviceMetricsOverride", metrics)


async def _fits(browser: Browser, width: int, height: int) -> bool:
    box: dict[str, float] = await browser.script(
        f"const r = {WIDGET_PANEL}.getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " scroll: document.documentElement.scrollWidth};"
    )
    inside = box["left"] >= 0 and box["top"] >= 0
    return inside and box["right"] <= width and box["bottom"] <= height and box["scroll"] <= width


WIDGET_ROOT = "document.getElementById('nabij-widget').shadowRoot"
WIDGET_PANEL = f"{WIDGET_ROOT}.querySelector('.panel')"


async def test_an_expert_who_drops_out_hands_the_visitor_back_to_the_queue(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    nabij = await nabij_factory(reconnect_grace_s=1.5)
    await nabij.add_expert("anna")
    await nabij.add_expert("bram")
    anna = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat("relative")
    await anna.next("chat:assigned")
    await ui.wait_text(".chat-status", "Anna is er voor je")

    await anna.disconnect()
    await ui.wait_text(".chat-status", "nummer 1 in de wachtrij")
    bram = await nabij.staff("bram")
    conversation_id = (await bram.next("chat:assigned"))["conversation_id"]
    await ui.wait_text(".chat-status", "Bram is er voor je")
    payload = {"conversation_id": conversation_id, "client_id": "b1", "body": "Ik ben Bram."}
    assert (await bram.call("message:send", payload))["ok"]
    await ui.wait_text(".msg.theirs", r"^Bram\nIk ben Bram\.$")

    await bram.disconnect()  # nobody left: back in the queue, then closed after the grace
    await ui.wait_text(".ended-reason", "Er is nu niemand van ons beschikbaar", timeout=10)
    assert await ui.visible(".new-chat")


async def test_a_deploy_or_a_short_outage_is_retried_quietly(
    nabij_factory: NabijFactory, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``temporarily_unavailable`` says so and retries; ``draining`` retries on a new socket."""
    refusals = ["temporarily_unavailable", "draining"]
    original = ChatService.check_request_chat

    async def flaky(self: ChatService, *args: Any) -> Any:
        if refusals:
            if refusals[0] == "draining":
                await asyncio.sleep(0.3)  # keep the first notice up long enough to be read
            raise ProtocolError(refusals.pop(0))
        return await original(self, *args)

    monkeypatch.setattr(ChatService, "check_request_chat", flaky)
    nabij = await nabij_factory()
    await nabij.add_expert("anna")
    anna = await nabij.staff("anna")
    await browser.open(f"{nabij.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat()
    await ui.wait_text(".notice", "De chat is heel even niet bereikbaar, we proberen het opnieuw")
    await anna.next("chat:assigned", timeout=15)
    await ui.wait_text(".chat-status", "Anna is er voor je", timeout=15)
    assert refusals == []
    assert await ui.texts(".notice") in ([], [""])
    assert not await ui.visible(".intro .error")
