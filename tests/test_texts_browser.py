"""Every staff page in Chromium, in Dutch and in English: no text of the other language,
including what the pages' scripts build (lists, warnings, field errors, confirmations).

The method is tests/languages.py's (marker words of each language); the pages come from
the router (tests/texts_pages.py). Each page is opened with data that makes its warnings,
gaps, requests and audit entries appear, then its forms are sent so their errors show
(the overlapping recurring shift among them) and a delete or deactivation is asked for
(the confirmation is recorded, never accepted). What is checked: the page title, every
rendered text (innerText, so visually hidden labels too), aria-label, title,
placeholder and alt attributes, option texts, folded <details> opened (the audit log's raw
records excepted: code and JSON by design), and the dialogs. A screenshot of each page
and language goes to var/test-screenshots/texts/.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pytest

from chatserver.keys import chat_key, db_key
from staffing.experts import get_staff_by_username
from tests.browser import SCREENSHOTS, Browser
from tests.consolehelp import sign_in
from tests.harness import Nabij, NabijFactory
from tests.languages import untranslated
from tests.texts_pages import DUTCH_ONLY_PAGES, page_paths, staff_with_data
from tests.waiting import eventually

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

#: How long a page may keep changing after it loaded (its scripts fetch and render).
SETTLE_S = 6.0

RECORD_DIALOGS = """
window.__dialogs = window.__dialogs || [];
window.confirm = (text) => { window.__dialogs.push(String(text)); return false; };
window.alert = (text) => { window.__dialogs.push(String(text)); };
"""

COLLECT = """
// Folded parts count too (a chat's transfer and alert forms), but not the audit log's raw
// records: those are code and JSON on purpose.
for (const details of document.querySelectorAll('details:not(.raw)')) details.open = true;
const lines = document.body.innerText.split("\\n");
const texts = [document.title, ...lines, ...(window.__dialogs || [])];
for (const node of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
  for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
    if (node.hasAttribute(name)) texts.push(node.getAttribute(name));
  }
}
for (const option of document.querySelectorAll('option')) texts.push(option.text);
return texts.filter(Boolean);
"""

#: Per page: script that sends its forms empty or wrong and asks for a deletion.
ACTIONS = {
    "/roster": """
      const pattern = document.getElementById('pattern-form');
      const bram = [...pattern.elements.user_id.options].find(o => o.text.includes('Bram'));
      pattern.elements.user_id.value = bram.value;
      pattern.querySelectorAll('input[name=weekdays]').forEach(box => { box.checked = true; });
      pattern.elements.start.value = '19:00';
      pattern.elements.end.value = '21:00';
      pattern.elements.starts_on.value = arguments[0];
      pattern.requestSubmit();
      document.getElementById('shift-form').requestSubmit();
      const remove = document.querySelector('.shift-delete');
      if (remove) remove.click();
    """,
    "/team": """
      document.getElementById('member-form').requestSubmit();
      const off = document.querySelector('.member-deactivate');
      if (off) off.click();
    """,
    "/my-shifts": "document.getElementById('request-form').requestSubmit();",
    # A contact registered by hand, sent empty: the registration API's field errors.
    "/console": """
      const open = document.getElementById('new-registration');
      if (open) open.click();
      const form = document.getElementById('reg-form');
      if (form) form.requestSubmit();
    """,
}

#: Per page: what must show before the texts are read (so the check sees the hard cases).
EXPECTED = {
    "/roster": {
        "nl": ["Overlapt met andere diensten", "duurt 8 uur", "verwijderen?", "Gat "],
        "en": ["Overlaps other shifts", "lasts 8 hours", "Delete the shift", "Gap "],
    },
    "/audit": {"nl": ["Dienst van Bram toegevoegd"], "en": ["Shift of Bram added"]},
    "/console": {
        "nl": ["Slachtoffer", "Naaste", "Anna", "Versturen", "Dit veld is verplicht"],
        "en": ["Victim", "Relative", "Anna", "Send", "This field is required"],
    },
}


async def settled(browser: Browser) -> None:
    """Wait until the page's text stops changing (bounded by SETTLE_S)."""
    deadline, last, same = time.monotonic() + SETTLE_S, None, 0
    while time.monotonic() < deadline and same < 3:
        text = await browser.script("return document.body.innerText;")
        same = same + 1 if text == last else 0
        last = text
        await asyncio.sleep(0.2)


async def page_texts(browser: Browser, url: str, path: str, tomorrow: str) -> list[str]:
    """Open ``url``, send its forms, and return every text it shows."""
    await browser.open(url)
    await browser.script(RECORD_DIALOGS)
    await settled(browser)
    if path in ACTIONS:
        await browser.script(ACTIONS[path], tomorrow)
        await settled(browser)
    texts: list[str] = await browser.script(COLLECT)
    return texts


async def console_with_chats(nabij: Nabij, browser: Browser) -> None:
    """The coordinator's console with a chat of its own, Anna's chat and Anna's alert.

    So the console's scripts build their texts: the chat panel, the overview, the alert.
    """
    await browser.open(f"{nabij.url}/console?lang=nl")
    await browser.click("#available")
    await _available(nabij, "root")
    own = await nabij.visitor()
    assert (await own.call("chat:request", {"audience": "victim", "lang": "en"}))["ok"]
    await browser.find("#chat-panels > *")
    anna = await nabij.staff("anna")
    theirs = await nabij.visitor()
    assert (await theirs.call("chat:request", {"audience": "relative"}))["ok"]
    assigned = await anna.next("chat:assigned")
    note = {"conversation_id": assigned["conversation_id"], "note": "meekijken graag"}
    assert (await anna.call("alert:raise", note))["ok"]
    await browser.find("#alert-list li")


async def _available(nabij: Nabij, username: str) -> None:
    """Wait until the live store has ``username`` available (bounded)."""
    chat = nabij.app[chat_key]
    async with nabij.app[db_key]() as session:
        user = await get_staff_by_username(session, username)
    assert user is not None
    user_id = user.id

    async def available() -> bool:
        [state] = await chat.store.expert_states([user_id])
        return bool(state.available and state.connections)

    await eventually(available, what=f"{username} to be available", timeout=SETTLE_S)


async def test_every_staff_page_in_both_languages_in_a_browser(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    # The coordinator's console comes back to its own chat after visiting the other pages.
    nabij = await nabij_factory(reconnect_grace_s=60)
    import datetime as dt

    from tests.texts_pages import AMSTERDAM

    samples = await staff_with_data(nabij)
    await sign_in(browser, nabij, "root")
    await console_with_chats(nabij, browser)
    tomorrow = (dt.datetime.now(AMSTERDAM).date() + dt.timedelta(days=1)).isoformat()
    (SCREENSHOTS / "texts").mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    for lang in ("nl", "en"):
        for path in page_paths(nabij.app, samples):
            if path in DUTCH_ONLY_PAGES and lang == "en":
                continue
            texts = await page_texts(browser, f"{nabij.url}{path}?lang={lang}", path, tomorrow)
            _assert_shows(texts, EXPECTED.get(path, {}).get(lang, []), f"{lang} {path}")
            shown = path.replace(samples["token"], "token")
            await browser.screenshot(f"texts/{lang}-{_slug(shown)}")
            if problems := untranslated(texts, lang):
                found[f"{lang} {path}"] = problems
    assert found == {}, "\n".join(f"{page}: {p}" for page, ps in found.items() for p in ps)


def _assert_shows(texts: list[str], wanted: list[str], page: str) -> None:
    joined: Any = "\n".join(texts)
    missing = [w for w in wanted if w not in joined]
    assert not missing, f"{page} never showed {missing}"


def _slug(path: str) -> str:
    return re.sub(r"\W+", "-", path).strip("-")[:40] or "index"
