"""The site icon: ``/favicon.ico`` answers an icon, and every page links it (CSP allows it)."""

from __future__ import annotations

import re

import aiohttp
import pytest

from tests.harness import Nabij

pytestmark = pytest.mark.parametrize("stack", ["sqlite+memory"], indirect=True)

#: The first bytes of an ICO file: reserved 0, type 1 (icon).
ICO_MAGIC = b"\x00\x00\x01\x00"


async def test_favicon_is_an_icon_the_csp_allows(nabij: Nabij) -> None:
    async with aiohttp.ClientSession() as http:
        icon = await http.get(f"{nabij.url}/favicon.ico")
        assert icon.status == 200
        assert icon.content_type == "image/x-icon"
        assert (await icon.read()).startswith(ICO_MAGIC)
        svg = await http.get(f"{nabij.url}/static/favicon.svg")
        assert svg.status == 200
        assert svg.content_type == "image/svg+xml"
        page = await http.get(f"{nabij.url}/login")
        assert "img-src 'self'" in page.headers["Content-Security-Policy"]


async def test_every_page_links_the_icon(nabij: Nabij) -> None:
    await nabij.add_expert("coco", role="coordinator", on_shift=False)
    async with nabij.http(await nabij.login("coco")) as coordinator:
        for path in ("/", "/login", "/console", "/roster", "/reports", "/audit"):
            html = await (await coordinator.get(f"{nabij.url}{path}")).text()
            assert re.search(r'<link rel="icon" href="/favicon.ico"', html), path
