"""No text of the wrong language on any staff page, in Dutch and in English (server side).

Method (tests/languages.py): every text a person meets in a page's HTML (text nodes,
aria-label/title/placeholder/alt, button values, the JSON text blocks the pages' scripts
show) is split into words; a Dutch page may hold no English-only word and an English page
no Dutch-only word. The pages are enumerated from the router (every GET route that is not
an API, file or feed), rendered as an admin with data that makes warnings, gaps, requests
and form errors appear, in both languages. Form posts that answer with errors are
rendered too, and the API messages the pages' scripts translate are checked through the
same translation the scripts use. The scripts' own texts are checked in a browser by
tests/test_texts_browser.py.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from chatserver.console.api_texts import api_message
from chatserver.console.i18n import EN, NL
from tests.harness import Nabij
from tests.languages import untranslated
from tests.texts_pages import DUTCH_ONLY_PAGES, html_texts, page_paths, staff_with_data

ONE_STACK = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

#: Pages people use; the router must still list each (else the enumeration broke).
KNOWN_PAGES = {
    "/login", "/password", "/console", "/console/quick-replies", "/roster", "/team",
    "/my-shifts", "/audit", "/reports",
}  # fmt: skip
#: Texts that are the same in both languages (names, loanwords, symbols).
SAME_IN_BOTH = {
    "Nabij", "Console", "Expert", "Professional", "Professionals", "Team", "Week",
    "Accounts", "Downloads", "n", "{label} (min:sec)",
    "{n} min", "{n} d", "{mark} (2018\u20132020, n = {n}); {mark_2020} in 2020",
}  # fmt: skip


def test_both_catalogues_hold_every_text_and_translate_it() -> None:
    assert set(NL) == set(EN)
    same = {key for key in NL if NL[key] == EN[key]}
    assert {NL[key] for key in same} <= SAME_IN_BOTH, {k: NL[k] for k in same}
    assert untranslated(list(NL.values()), "nl") == []
    assert untranslated(list(EN.values()), "en") == []


async def _page_problems(http: Any, url: str, lang: str) -> list[str]:
    response = await http.get(url)
    assert response.status < 500, url
    if response.content_type == "text/plain":  # a refusal: one short sentence
        return untranslated([await response.text()], lang)
    if response.content_type != "text/html":
        return []
    page_lang, texts = html_texts(await response.text())
    problems = [] if page_lang == lang else [f"<html lang={page_lang!r}>"]
    return problems + untranslated(texts, lang)


@ONE_STACK
async def test_every_staff_page_speaks_one_language(nabij: Nabij) -> None:
    samples = await staff_with_data(nabij)
    paths = page_paths(nabij.app, samples)
    assert set(paths) >= KNOWN_PAGES, KNOWN_PAGES - set(paths)
    extra = [
        "/reports?kind=custom&from=2026-13-01&to=x",
        "/reports?kind=bogus",
        "/reports?kind=month&number=13",
        "/password/not-a-token",
    ]
    found: dict[str, list[str]] = {}
    async with nabij.http(await nabij.login("root")) as admin:
        for lang in ("nl", "en"):
            for path in [*paths, *extra]:
                if path in DUTCH_ONLY_PAGES and lang == "en":
                    continue
                joiner = "&" if "?" in path else "?"
                url = f"{nabij.url}{path}{joiner}lang={lang}"
                if problems := await _page_problems(admin, url, lang):
                    found[f"{lang} {path}"] = problems
    async with aiohttp.ClientSession() as anonymous:  # the pages before signing in
        for lang in ("nl", "en"):
            for path in ("/login", f"/password/{samples['token']}", "/reports", "/roster"):
                url = f"{nabij.url}{path}?lang={lang}"
                if problems := await _page_problems(anonymous, url, lang):
                    found[f"{lang} {path} (signed out)"] = problems
    assert found == {}, "\n".join(f"{page}: {p}" for page, ps in found.items() for p in ps)


@ONE_STACK
async def test_form_posts_answer_errors_in_the_page_language(nabij: Nabij) -> None:
    await staff_with_data(nabij)
    found: dict[str, list[str]] = {}
    token = await nabij.login("root")
    async with nabij.http(token) as admin:
        for lang in ("nl", "en"):
            posts = {
                "/password": {"current_password": "wrong one", "new_password": "kort"},
                "/console/quick-replies": {"title": "", "body": ""},
            }
            for path, form in posts.items():
                csrf = {"csrf_token": nabij.csrf(token)}
                response = await admin.post(f"{nabij.url}{path}?lang={lang}", data={**form, **csrf})
                assert response.status == 400, (path, await response.text())
                _lang, texts = html_texts(await response.text())
                if problems := untranslated(texts, lang):
                    found[f"{lang} POST {path}"] = problems
    async with aiohttp.ClientSession() as anonymous:
        for lang in ("nl", "en"):
            response = await anonymous.post(
                f"{nabij.url}/login?lang={lang}", data={"username": "root", "password": "no"}
            )
            _lang, texts = html_texts(await response.text())
            if problems := untranslated(texts, lang):
                found[f"{lang} POST /login"] = problems
    assert found == {}, "\n".join(f"{page}: {p}" for page, ps in found.items() for p in ps)


@ONE_STACK
async def test_api_messages_the_pages_show_are_translated(nabij: Nabij) -> None:
    """The roster and team API answer in English; the Dutch pages show them translated."""
    await staff_with_data(nabij)
    async with nabij.http(await nabij.login("root")) as admin:
        team = (await (await admin.get(f"{nabij.url}/api/team")).json())["members"]
        ids = {m["username"]: m["id"] for m in team}
        calls: list[tuple[str, str, Any]] = [
            ("POST", "/api/shifts", {"user_id": ids["anna"], "starts_at": "2030-01-01T20:00",
                                     "ends_at": "2030-01-01T19:00"}),
            ("POST", "/api/roster/patterns", {"user_id": ids["anna"], "weekdays": ["mon"],
                "start": "25:00", "end": "x", "starts_on": "2020-01-01"}),
            ("POST", "/api/roster/patterns", _overlapping_pattern(ids["bram"])),
            ("POST", "/api/team", {"username": "Not valid!", "display_name": " ", "capacity": 0}),
            ("POST", f"/api/team/{ids['root']}/deactivate", None),
        ]  # fmt: skip
        messages = []
        for method, path, body in calls:
            answer = await (await admin.request(method, f"{nabij.url}{path}", json=body)).json()
            assert not answer["ok"], (path, answer)
            error = answer["error"]
            messages += [*error.get("fields", {}).values(), error["message"]]
    assert any(m.startswith("Overlaps other shifts of this person on") for m in messages)
    dutch = [api_message("nl", message) for message in messages]
    assert untranslated(dutch, "nl") == [], dutch


def _overlapping_pattern(user_id: int) -> dict[str, Any]:
    """Every evening from tomorrow, over Bram's long shift of tomorrow evening."""
    import datetime as dt

    from tests.texts_pages import AMSTERDAM

    tomorrow = dt.datetime.now(AMSTERDAM).date() + dt.timedelta(days=1)
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return {"user_id": user_id, "weekdays": days, "start": "19:00", "end": "21:00",
            "starts_on": tomorrow.isoformat()}  # fmt: skip
