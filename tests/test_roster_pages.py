"""Who may open the roster pages, what the colleagues list shows, the password-link page."""

from __future__ import annotations

import re

import aiohttp
import pytest

from chatserver.console.roster_texts import ROSTER_EN, ROSTER_NL, page_texts
from tests.harness import Nabij

COORDINATOR_PAGES = ("/roster", "/team", "/audit", "/reports")


async def test_pages_need_a_session_and_coordinator_pages_a_coordinator(nabij: Nabij) -> None:
    await nabij.add_expert("anna", on_shift=False)
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    async with aiohttp.ClientSession() as anonymous:
        for path in (*COORDINATOR_PAGES[:3], "/my-shifts"):
            response = await anonymous.get(f"{nabij.url}{path}", allow_redirects=False)
            assert response.status == 303, path
            assert response.headers["Location"] == "/login"
    async with nabij.http(await nabij.login("anna")) as expert:
        for path in COORDINATOR_PAGES:
            assert (await expert.get(f"{nabij.url}{path}")).status == 403, path
        page = await expert.get(f"{nabij.url}/my-shifts")
        assert page.status == 200
        html = await page.text()
        assert 'href="/my-shifts"' in html and 'href="/roster"' not in html
    async with nabij.http(await nabij.login("coco")) as coordinator:
        for path in (*COORDINATOR_PAGES, "/my-shifts"):
            page = await coordinator.get(f"{nabij.url}{path}?lang=en")
            assert page.status == 200, path
            assert page.headers["Cache-Control"] == "no-store"
        html = await page.text()
        assert all(f'href="{p}?lang=en"' in html for p in COORDINATOR_PAGES)
        assert "My shifts" in html


async def test_the_colleagues_list_holds_active_ids_and_display_names_only(nabij: Nabij) -> None:
    await nabij.add_expert("anna", on_shift=False)
    bram = await nabij.add_expert("bram", on_shift=False)
    async with nabij.http(await nabij.login("anna")) as expert:
        staff = (await (await expert.get(f"{nabij.url}/api/staff")).json())["staff"]
        assert {"id": bram, "display_name": "Bram"} in staff
        assert all(set(entry) == {"id", "display_name"} for entry in staff)
    async with aiohttp.ClientSession() as anonymous:
        assert (await anonymous.get(f"{nabij.url}/api/staff")).status == 401


@pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)
async def test_the_password_link_page_sets_the_password_once(nabij: Nabij) -> None:
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    async with nabij.http(await nabij.login("coco")) as coordinator:
        answer = await (
            await coordinator.post(
                f"{nabij.url}/api/team", json={"username": "daan", "display_name": "Daan"}
            )
        ).json()
    path = "/" + answer["password_link"].split("/", 3)[3]
    async with aiohttp.ClientSession(headers={"Origin": nabij.url}) as newcomer:
        page = await newcomer.get(f"{nabij.url}{path}")
        assert page.status == 200 and "daan" in await page.text()
        short = await newcomer.post(f"{nabij.url}{path}", data={"password": "kort"})
        assert short.status == 400
        assert re.search(r'aria-invalid="true"', await short.text())
        done = await newcomer.post(f"{nabij.url}{path}", data={"password": "lang genoeg nu echt"})
        assert done.status == 200 and 'id="link-done"' in await done.text()
        again = await newcomer.post(f"{nabij.url}{path}", data={"password": "nog een keer zo"})
        assert again.status == 404
        assert (await newcomer.get(f"{nabij.url}/password/unknown")).status == 404
    await nabij.login("daan", "lang genoeg nu echt")


def test_the_roster_pages_have_every_text_in_both_languages() -> None:
    assert set(ROSTER_NL) == set(ROSTER_EN)
    assert all(page_texts("en", ROSTER_EN)[k] for k in page_texts("en", ROSTER_EN))
    assert page_texts("nl", ROSTER_NL)["api:Choose an expert."] == "Kies een expert."
