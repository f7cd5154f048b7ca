"""An expert's availability survives a reconnect within the grace, per staff user
(DESIGN.md, "Availability, as the visitor sees it"; issue 14, "Availability survives a
reload"), and ends once the grace runs out without a console."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.harness import Nabij, NabijFactory

GRACE_S = 3.0


async def _open(nabij: Nabij) -> bool:
    async with aiohttp.ClientSession() as http:
        body = await (await http.get(f"{nabij.url}/api/status")).json()
    is_open: bool = body["open"]
    return is_open


async def test_a_console_reloaded_within_the_grace_finds_the_expert_available(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(reconnect_grace_s=GRACE_S)
    await nabij.add_expert("anna")
    other_tab = await nabij.staff("anna", available=False)
    first = await nabij.staff("anna")  # both tabs show it
    assert (await other_tab.next("presence:changed"))["available"] is True
    assert (await other_tab.call("chats:sync"))["available"] is True
    await first.disconnect()
    await other_tab.disconnect()

    reloaded = await nabij.staff("anna", available=False)
    assert (await reloaded.call("chats:sync"))["available"] is True
    assert await _open(nabij)
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["position"] == 0
    assert (await reloaded.next("chat:assigned"))["audience"] == "victim"


async def test_without_a_console_the_site_is_closed_and_after_the_grace_unavailable(
    nabij_factory: NabijFactory,
) -> None:
    nabij = await nabij_factory(reconnect_grace_s=0.6)
    await nabij.add_expert("anna")
    console = await nabij.staff("anna")
    assert await _open(nabij)
    await console.disconnect()
    await asyncio.sleep(0.1)
    assert not await _open(nabij)  # nobody is connected: never routed to while away
    refused = await (await nabij.visitor()).call("chat:request", {"audience": "victim"})
    assert refused["error"]["code"] == "closed"
    await asyncio.sleep(0.6 + 0.3)
    back = await nabij.staff("anna", available=False)
    assert (await back.call("chats:sync"))["available"] is False
    assert not await _open(nabij)


@pytest.mark.parametrize("stack", ["postgres+redis"], indirect=True)
async def test_availability_is_kept_when_the_console_comes_back_on_another_process(
    nabij_factory: NabijFactory,
) -> None:
    one = await nabij_factory(reconnect_grace_s=GRACE_S)
    two = await nabij_factory(reconnect_grace_s=GRACE_S)
    await one.add_expert("anna")
    console = await one.staff("anna")
    await console.disconnect()
    back = await two.staff("anna", available=False)
    assert (await back.call("chats:sync"))["available"] is True
    assert await _open(one) and await _open(two)


async def test_a_server_with_no_word_from_the_expert_says_so(nabij: Nabij) -> None:
    """``available: null``: nobody said since the store started (a memory-store restart)."""
    await nabij.add_expert("anna")
    console = await nabij.staff("anna", available=False)
    assert (await console.call("chats:sync"))["available"] is None
    assert (await console.call("presence:set", {"available": False}))["ok"]
    assert (await console.call("chats:sync"))["available"] is False
