"""A night on shift, end to end, on what we ship: the journey test.

``python -m chatserver serve`` runs as ``scripts/run`` runs it (``nabij serve``): the
shipped demo page at ``/``, every setting at its default but the port (and the public URL
that goes with it) and a temporary SQLite database. Real headless Chromium windows: two
experts (Anna, Bram) and a coordinator (Cora) in the console, visitors on the demo page.
Other visitors, who only keep the experts busy, are Socket.IO clients.

The story: both experts are busy, so a visitor queues; Anna gets the chat; they write,
with typing shown both ways; the visitor reloads and sees the transcript with Anna's name;
a second chat arrives while Anna types (her focus and draft stay); Anna hands the chat to
Bram (names right at Bram's); Bram calls in a mentor and Cora picks it up; Bram ends the
chat and registers it from the pending list. Then a second visitor presses "Snel weg" on
the shipped page: the browser is on the default exit site (its URL: without a network the
site itself does not load), and Back does not show the chat. Every step leaves a
screenshot under var/test-screenshots/journey/.

Anna also reloads her console in the middle of it all: she stays available, her chats
come back, and so does the draft she had not sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from nabij.db import create_engine, make_sessionmaker
from staffing.experts import create_staff_user
from staffing.shifts import add_shift
from tests.browser import SCREENSHOTS, WAIT_S, Browser, BrowserFactory
from tests.consolehelp import (
    answer_confirm,
    script_errors,
    short_number,
    sign_in_at,
    tick_available,
)
from tests.harness import PASSWORD, Peer
from tests.processes import ServerProcess, peers
from tests.waiting import eventually
from tests.widget_ui import WidgetUI

#: DEFAULT_EXIT_URL in widget/src/config.js: where "Snel weg" goes on the shipped page.
DEFAULT_EXIT_URL = "https://www.buienradar.nl/"
SHOTS = SCREENSHOTS / "journey"
ACTIVE = ".chat-panel:not([hidden])"
#: The whole journey's budget: it runs in CI on every push.
BUDGET_S = 90


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    """Nabij as ``scripts/run`` serves it, on a free port and a fresh database."""
    env = {"NABIJ_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nabij.sqlite3'}"}
    server = ServerProcess(env, tmp_path / "server.log", defaults=True)
    try:
        await server.ready()
        yield server
    finally:
        server.stop()


async def _add_team(database_url: str) -> None:
    """Anna (two chats at a time) and Bram (one) on a shift now; Cora coordinates."""
    now = dt.datetime.now(dt.UTC)
    engine = create_engine(database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            for username, name, role, capacity in (
                ("anna", "Anna", "expert", 2),
                ("bram", "Bram", "expert", 1),
                ("cora", "Cora", "coordinator", 2),
            ):
                user = await create_staff_user(
                    session,
                    username=username,
                    display_name=name,
                    password=PASSWORD,
                    role=role,
                    capacity=capacity,
                )
                if role == "expert":
                    await add_shift(
                        session,
                        user_id=user.id,
                        starts_at=now - dt.timedelta(hours=1),
                        ends_at=now + dt.timedelta(hours=3),
                    )
    finally:
        await engine.dispose()


@dataclass
class Night:
    """Everyone on the journey, and the visitors who keep the experts busy."""

    url: str
    anna: Browser
    bram: Browser
    cora: Browser
    visitor: Browser
    connect: Callable[..., Awaitable[Peer]]
    others: dict[str, tuple[Peer, str]] = field(default_factory=dict)
    step: int = 0

    async def shot(self, browser: Browser, name: str) -> None:
        """Keep a screenshot of this step."""
        self.step += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        await browser.screenshot(f"journey/{self.step:02d}-{name}")

    async def another_visitor(self, name: str) -> tuple[Peer, str]:
        """A visitor who asks for a chat (a Socket.IO client): answered at once."""
        peer = await self.connect(self.url, "/visitor")
        ack = await peer.call("chat:request", {"audience": "victim", "lang": "nl"})
        assert ack["ok"] and ack["position"] == 0, ack
        self.others[name] = (peer, str(ack["conversation_id"]))
        return self.others[name]

    async def one_leaves(self, expert: Browser) -> str:
        """One of ``expert``'s other visitors ends their chat: a seat comes free."""
        tabs = await _tabs(expert)
        name = next(n for n, (_, cid) in self.others.items() if cid in tabs)
        peer, conversation_id = self.others.pop(name)
        assert (await peer.call("chat:end"))["ok"]
        ended = f"document.querySelector('#panel-{conversation_id} .chat-ended').textContent"
        await expert.until(f"{ended}.startsWith('De bezoeker heeft het gesprek beëindigd')")
        return conversation_id


async def _on_shift(browser: Browser, url: str, username: str, available: bool) -> None:
    await sign_in_at(browser, url, username)
    if available:
        await tick_available(browser)


async def _both_experts_busy(night: Night) -> None:
    for name in ("one", "two", "three"):  # three seats: Anna's two, Bram's one
        await night.another_visitor(name)
    await night.anna.until("document.querySelectorAll('.chat-tab').length === 2")
    await night.bram.until("document.querySelectorAll('.chat-tab').length === 1")
    await night.shot(night.anna, "anna-busy-with-two-chats")


async def _visitor_queues(night: Night, ui: WidgetUI) -> None:
    await night.visitor.open(f"{night.url}/")
    await ui.start_chat("victim")
    await ui.wait_text(".chat-status", "^Je bent nummer 1 in de wachtrij")
    await night.anna.wait_text(".queue-item .audience", "Slachtoffer")
    await night.shot(night.visitor, "visitor-queued")
    await night.shot(night.anna, "anna-sees-the-queue")


async def _anna_gets_the_chat(night: Night, ui: WidgetUI) -> str:
    """One of Anna's visitors leaves: the queue's head is hers, in a new tab."""
    gone = await night.one_leaves(night.anna)
    await ui.wait_text(".chat-status", "Anna is er voor je")
    await night.anna.until("document.querySelectorAll('.chat-tab').length === 3")
    others = {c for _, c in night.others.values()} | {gone}
    [conversation_id] = set(await _tabs(night.anna)) - others
    await night.anna.find(f"#tab-{conversation_id} .badge.fresh")
    await night.anna.click(f"#tab-{conversation_id}")
    await night.anna.absent("#queue-list .queue-item")
    return conversation_id


async def _tabs(browser: Browser) -> list[str]:
    ids: list[str] = await browser.script(
        "return [...document.querySelectorAll('.chat-tab')].map(t => t.dataset.conversationId);"
    )
    return ids


async def _they_write(night: Night, ui: WidgetUI, cid: str) -> None:
    await ui.type("#nabij-message", "Hallo, ik weet niet wat ik moet doen.")
    await night.anna.find(f"#panel-{cid} .chat-typing")  # "De bezoeker typt…"
    await ui.type("#nabij-message", Keys.ENTER)
    await night.anna.wait_text(f"#panel-{cid} .msg.visitor .body", "ik weet niet wat")
    await night.anna.type(f"#input-{cid}", "Fijn dat je schrijft. Ik ben Anna.")
    await ui.wait_text(".typing", "Anna typt")
    await night.anna.keys(Keys.ENTER)
    await ui.wait_text(".msg.theirs .text", "Ik ben Anna")
    await night.shot(night.visitor, "visitor-and-anna-write")
    await night.shot(night.anna, "anna-answers")


async def _visitor_reloads(night: Night, ui: WidgetUI) -> None:
    await night.visitor.script("location.reload();")
    await ui.wait_text(".chat-status", "Anna is er voor je")
    await ui.wait_text(".msg.mine .text", "ik weet niet wat")
    assert await ui.texts(".msg .who") == ["Jij", "Anna"]
    await night.shot(night.visitor, "visitor-after-reload")


async def _second_chat_while_anna_types(night: Night, cid: str) -> None:
    await night.one_leaves(night.anna)  # her other visitor leaves: one seat free
    await night.anna.click(f"#tab-{cid}")
    await night.anna.click(f"#input-{cid}")
    await night.anna.keys("Wat is er gebeurd")
    _, new = await night.another_visitor("four")
    await night.anna.find(f"#tab-{new} .badge.fresh")
    await night.anna.keys(", als je wilt vertellen?")
    assert (await night.anna.focused())["id"] == f"input-{cid}"
    typed = await night.anna.script("return document.activeElement.value;")
    assert typed == "Wat is er gebeurd, als je wilt vertellen?"
    await night.shot(night.anna, "second-chat-while-anna-types")
    await night.anna.keys(Keys.ENTER)
    await night.anna.wait_text(f"#panel-{cid} .msg.expert .body", "als je wilt vertellen")


async def _anna_reloads_her_console(night: Night, cid: str) -> None:
    """A reload keeps Anna available, her chats and her unsent draft (nothing lost)."""
    anna = night.anna
    await anna.click(f"#tab-{cid}")
    await anna.click(f"#input-{cid}")
    await anna.keys("Ben je nu veilig?")
    await anna.script("location.reload();")
    await anna.find(f"#tab-{cid}")
    await anna.until("document.getElementById('available').checked")
    await anna.wait_text("#presence-status", "^Je bent beschikbaar")
    await anna.click(f"#tab-{cid}")
    await anna.until(f"document.getElementById('input-{cid}').value === 'Ben je nu veilig?'")
    await night.shot(anna, "anna-after-a-console-reload")
    await anna.script(f"document.getElementById('input-{cid}').value = '';")
    await anna.script(f"document.getElementById('input-{cid}').dispatchEvent(new Event('input'));")


async def _anna_hands_over_to_bram(night: Night, ui: WidgetUI, cid: str) -> None:
    await night.one_leaves(night.bram)  # Bram's visitor leaves: Bram has a seat
    anna = night.anna
    await anna.click(f"#panel-{cid} .chat-actions summary")
    await anna.until(
        f"[...document.querySelectorAll('#panel-{cid} .chat-transfer-to option')]"
        ".some(o => o.text.startsWith('Bram'))"
    )
    await anna.script(
        f"const s = document.querySelector('#panel-{cid} .chat-transfer-to');"
        "s.value = [...s.options].find(o => o.text.startsWith('Bram')).value;"
    )
    await anna.type(f"#panel-{cid} .chat-transfer-note", "Wil liever met een man praten")
    await anna.click(f"#panel-{cid} .chat-transfer")
    await anna.wait_text("#notice", "Overgedragen aan Bram.")
    await ui.wait_text(".chat-status", "Bram is er voor je")
    await night.shot(anna, "anna-handed-over")
    bram = night.bram
    await bram.find(f"#tab-{cid} .badge.fresh")  # it waits for him; his panel stays
    await bram.click(f"#tab-{cid}")
    await bram.wait_text(f"#panel-{cid} .chat-note", "Overgedragen door Anna. Notitie: Wil liever")
    whos = await bram.script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);",
        f"#panel-{cid} .msg .who",
    )
    assert [w.split(" · ")[0] for w in whos] == ["Bezoeker", "Anna", "Anna"]
    await night.shot(bram, "bram-receives-with-annas-name")


async def _bram_calls_a_mentor(night: Night, cid: str) -> None:
    bram, cora = night.bram, night.cora
    await bram.click(f"#panel-{cid} .chat-actions summary")
    await bram.type(f"#panel-{cid} .chat-alert-note", "Ze noemt een mes in huis")
    await bram.click(f"#panel-{cid} .chat-alert")
    await bram.wait_text("#notice", "coördinatoren die nu online zijn")
    await cora.wait_text(".alert-item .alert-note", "mes in huis")
    assert await cora.text(".alert-item .alert-expert") == "Bram"
    about = await cora.text(".alert-item .alert-chat")
    assert re.fullmatch(rf"Slachtoffer {short_number(cid)} · loopt \d+ min", about), about
    await night.shot(cora, "cora-sees-the-alert")
    await cora.click(".alert-item .alert-ack")
    await cora.absent(".alert-item")
    await bram.wait_text("#my-alert-list .my-alert-state", "Opgepakt door Cora")
    await night.shot(bram, "bram-alert-picked-up")


async def _bram_ends_and_registers(night: Night, ui: WidgetUI, cid: str) -> None:
    bram = night.bram
    await bram.click(f"#panel-{cid} .chat-end")
    await answer_confirm(bram, accept=True)
    await bram.wait_text(f"#panel-{cid} .chat-ended", "Je hebt het gesprek beëindigd")
    await ui.find(".view.ended")
    await night.shot(night.visitor, "visitor-chat-ended")
    assert not await bram.script("return document.getElementById('reg-dialog').open;")
    await bram.wait_text("#pending-list", "Chat")
    await bram.until("document.querySelectorAll('.pending-item').length === 2")
    await bram.click(".pending-item:nth-child(2) .open-registration")  # this chat's
    await bram.find("#reg-dialog[open]")
    await bram.wait_text("#reg-visitor-audience", "De bezoeker koos: Slachtoffer")
    assert await bram.script("return document.activeElement.name;") == "first_or_followup"
    await bram.keys("e")  # "Eerste contact"
    await bram.click("#f-advised_help-veilig_thuis")  # ticks the professional-help advice
    await night.shot(bram, "bram-registers-from-the-list")
    await bram.keys(Keys.CONTROL, Keys.ENTER)
    await bram.absent("#reg-dialog[open]")
    await bram.until("document.querySelectorAll('.pending-item').length === 1")
    await bram.wait_text("#done-list", "Chat")
    await night.shot(bram, "bram-registered")


async def _second_visitor_flees(night: Night) -> None:
    browser = night.visitor
    await browser.run(browser.driver.switch_to.new_window, "window")  # a fresh tab's storage
    before = f"{night.url}/widget/demo/site.css?before"
    await browser.open(before)
    await browser.open(f"{night.url}/")
    ui = WidgetUI(browser)
    await ui.start_chat()
    status = await ui.wait_text(".chat-status", "(Anna|Bram) is er voor je")
    await night.shot(browser, "second-visitor-chatting")
    expert = night.anna if status.startswith("Anna") else night.bram
    await ui.click(".exit")
    assert await _url_becomes(browser, DEFAULT_EXIT_URL) == DEFAULT_EXIT_URL
    await expert.until(  # in a tab of its own, which stays in the background
        "[...document.querySelectorAll('.chat-ended')]"
        ".some(e => e.textContent.includes(\"op 'Snel weg' gedrukt\"))"
    )
    await night.shot(expert, "the-expert-sees-the-quick-exit")
    await night.shot(browser, "second-visitor-on-the-exit-site")
    await browser.run(browser.driver.back)
    await browser.until(f"location.href === '{before}'")
    assert await browser.script("return Object.keys(sessionStorage);") == []
    assert await browser.script("return document.getElementById('nabij-widget');") is None
    await night.shot(browser, "second-visitor-back-is-not-the-chat")


async def _url_becomes(browser: Browser, url: str) -> str:
    """The browser's URL once it is ``url`` (failing with the last one seen)."""
    return await eventually(
        lambda: browser.run(lambda: str(browser.driver.current_url)),
        what=f"the browser to be at {url}",
        until=lambda current: current == url,
        timeout=WAIT_S,
    )


async def test_a_night_on_shift(served: ServerProcess, browser_factory: BrowserFactory) -> None:
    started = time.monotonic()
    shutil.rmtree(SHOTS, ignore_errors=True)  # this run's steps only
    await _add_team(served.database_url)
    anna, bram, cora, visitor = await asyncio.gather(*(browser_factory() for _ in range(4)))
    await asyncio.gather(
        _on_shift(anna, served.url, "anna", True),
        _on_shift(bram, served.url, "bram", True),
        _on_shift(cora, served.url, "cora", False),
    )
    async with peers() as connect:
        night = Night(served.url, anna, bram, cora, visitor, connect)
        ui = WidgetUI(visitor)
        await _both_experts_busy(night)
        await _visitor_queues(night, ui)
        cid = await _anna_gets_the_chat(night, ui)
        await _they_write(night, ui, cid)
        await _visitor_reloads(night, ui)
        await _second_chat_while_anna_types(night, cid)
        await _anna_reloads_her_console(night, cid)
        await _anna_hands_over_to_bram(night, ui, cid)
        await _bram_calls_a_mentor(night, cid)
        await _bram_ends_and_registers(night, ui, cid)
        await _second_visitor_flees(night)
    for browser in (anna, bram, cora):
        assert not script_errors(await browser.console_messages())
    log = served.log.read_text()
    assert "Traceback" not in log and "ik weet niet wat" not in log, log[-2000:]
    assert time.monotonic() - started < BUDGET_S
