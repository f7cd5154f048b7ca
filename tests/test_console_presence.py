"""The console in headless Chromium: availability survives a reload and is said plainly,
the console says when the website shows the chat as closed, and a console signed out
elsewhere (deactivated, password reset) goes to the sign-in page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import Browser
from tests.consolehelp import script_errors, sign_in
from tests.harness import NabijFactory
from tests.staffchanges import password_link_token

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

#: A reload takes a moment; the grace is what the expert has for it (60 s by default).
GRACE_S = 20.0


async def test_availability_survives_a_reload_and_is_said_plainly(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    nabij = await nabij_factory(reconnect_grace_s=GRACE_S)
    await nabij.add_expert("anna")
    await sign_in(browser, nabij, "anna")
    await browser.wait_text("#presence-status", "Je bent niet beschikbaar")
    await browser.wait_text("#site-status", "De website zegt nu dat er niemand beschikbaar is")
    await browser.screenshot("console-presence-off")

    await browser.click("#available")
    await browser.wait_text("#presence-status", "Je bent beschikbaar")
    await browser.until("document.getElementById('site-status').hidden")

    await browser.open(f"{nabij.url}/console?lang=nl")  # a reload
    await browser.wait_text("#presence-status", "Je bent beschikbaar")
    assert await browser.script("return document.getElementById('available').checked")
    await browser.until("document.getElementById('site-status').hidden")
    await browser.screenshot("console-presence-after-reload")
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] == 0

    await browser.open(f"{nabij.url}/console?lang=en")
    await browser.wait_text("#presence-status", "You are available")
    assert script_errors(await browser.console_messages()) == []


@pytest.mark.parametrize("how", ["deactivated", "password_reset"])
async def test_a_console_signed_out_elsewhere_says_so_and_goes_to_the_sign_in_page(
    nabij_factory: NabijFactory, browser: Browser, how: str
) -> None:
    nabij = await nabij_factory()
    anna = await nabij.add_expert("anna")
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    await sign_in(browser, nabij, "anna")
    await browser.wait_text("#presence-status", "niet beschikbaar")

    if how == "deactivated":
        async with nabij.http(await nabij.login("carla")) as http:
            assert (await http.post(f"{nabij.url}/api/team/{anna}/deactivate")).status == 200
        await browser.wait_text("#notice", "Je account is uitgeschakeld")
    else:
        token = await password_link_token(nabij, "carla", anna)
        async with nabij.http(await nabij.login("carla")) as http:
            body = {"token": token, "password": "a brand new passphrase"}
            assert (await http.post(f"{nabij.url}/api/auth/password", json=body)).status == 200
        await browser.wait_text("#notice", "Je bent afgemeld")
    assert await browser.script("return document.getElementById('available').disabled")
    await browser.screenshot(f"console-signed-out-{how}")
    await browser.until("location.pathname === '/login'")
    await browser.find("#login-form")


async def test_a_demoted_coordinator_s_console_drops_the_coordinator_cards(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    nabij = await nabij_factory()
    coco = await nabij.add_expert("coco", role="coordinator")
    await nabij.add_expert("carla", role="coordinator", on_shift=False)
    await sign_in(browser, nabij, "coco")
    await browser.find("#overview-heading")
    await browser.wait_text("#presence-status", "niet beschikbaar")  # connected, synced
    async with nabij.http(await nabij.login("carla")) as http:
        change = {"role": "expert", "display_name": "Coco V."}
        demoted = await http.put(f"{nabij.url}/api/team/{coco}", json=change)
        assert demoted.status == 200
    await browser.wait_text("#notice", "Je rol is nu ervaringsdeskundige")
    await browser.absent(".coordinator-only")
    assert await browser.text("#who") == "Coco V."
    await browser.screenshot("console-demoted")
    assert script_errors(await browser.console_messages()) == []


async def test_the_status_bar_follows_a_shift_that_ends_while_the_console_is_open(
    nabij_factory: NabijFactory, browser: Browser
) -> None:
    nabij = await nabij_factory()
    anna = await nabij.add_expert("anna", on_shift=False)
    now = dt.datetime.now(dt.UTC)
    await nabij.add_shift(anna, now - dt.timedelta(hours=1), now + dt.timedelta(seconds=4))
    await sign_in(browser, nabij, "anna")
    assert await browser.text("#shift-status") == "Je hebt nu dienst."
    await browser.until(
        "document.getElementById('shift-status').textContent.startsWith('Je hebt nu geen dienst')",
        timeout=20,
    )
    assert await browser.script("return document.getElementById('available').disabled")
    assert script_errors(await browser.console_messages()) == []
