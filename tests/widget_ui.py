"""Drive the widget inside its (open) shadow root, and serve a host site on another origin.

tests/browser.py finds elements in the document; the widget lives in a shadow root, so these
helpers query ``#nabij-widget``'s shadowRoot from JavaScript and hand the WebElement back
to WebDriver, which clicks and types into shadow elements like any other.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from selenium.webdriver.remote.webelement import WebElement

from tests.browser import WAIT_S, Browser
from tests.harness import unused_port
from tests.waiting import eventually

ROOT_JS = "document.getElementById('nabij-widget').shadowRoot"
FIND_JS = (
    "const host = document.getElementById('nabij-widget');"
    "const el = host && host.shadowRoot.querySelector(arguments[0]);"
    "return el && el.checkVisibility() ? el : null;"
)
TEXTS_JS = (
    "const host = document.getElementById('nabij-widget');"
    "if (!host) return [];"
    "return Array.from(host.shadowRoot.querySelectorAll(arguments[0]),"
    " e => e.checkVisibility() ? e.innerText.replace(/\\n+/g, '\\n') : '');"
)
FOCUSED_JS = (
    "const host = document.getElementById('nabij-widget');"
    "const e = host && document.activeElement === host ? host.shadowRoot.activeElement"
    " : document.activeElement;"
    "return e ? {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className.baseVal === undefined"
    " ? e.className : '', inWidget: document.activeElement === host} : null;"
)


class WidgetUI:
    """The widget on the page ``browser`` shows."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    async def find(self, css: str, timeout: float = WAIT_S) -> WebElement:
        """The visible widget element matching ``css`` (waiting for it)."""
        try:
            element: WebElement = await eventually(
                lambda: self.browser.script(FIND_JS, css),
                what=f"widget element {css!r} to become visible",
                until=lambda found: found is not None,
                timeout=timeout,
            )
        except AssertionError:
            await self.browser.screenshot("widget-missing-" + re.sub(r"\W+", "-", css))
            raise
        return element

    async def visible(self, css: str) -> bool:
        """Whether a widget element matching ``css`` is visible now."""
        return await self.browser.script(FIND_JS, css) is not None

    async def click(self, css: str) -> None:
        """Click the widget element matching ``css``."""
        element = await self.find(css)
        await self.browser.run(element.click)

    async def type(self, css: str, text: str) -> None:
        """Type ``text`` into the widget element matching ``css``, key by key."""
        element = await self.find(css)
        await self.browser.run(element.send_keys, text)

    async def texts(self, css: str) -> list[str]:
        """The visible text of every widget element matching ``css``."""
        found: list[str] = await self.browser.script(TEXTS_JS, css)
        return found

    async def wait_text(self, css: str, pattern: str, timeout: float = WAIT_S) -> str:
        """Wait until a widget element matching ``css`` shows text matching ``pattern``."""

        async def matching() -> str | None:
            return next((text for text in await self.texts(css) if re.search(pattern, text)), None)

        try:
            found = await eventually(
                matching,
                what=f"{css!r} to show {pattern!r}",
                until=lambda text: text is not None,
                timeout=timeout,
            )
        except AssertionError:
            await self.browser.screenshot("widget-text-" + re.sub(r"\W+", "-", css))
            seen = await self.texts(css)
            raise AssertionError(f"{css!r} never showed {pattern!r}; saw {seen!r}") from None
        assert found is not None
        return found

    async def start_chat(self, audience: str = "unknown") -> None:
        """Open the widget and ask for a chat, as a visitor taps through it."""
        await self.click(".launcher")
        await self.click(f"label[for=nabij-audience-{audience}]")
        await self.tap_start()

    async def tap_start(self, safety: str | None = None) -> None:
        """Tap Start, then answer the safety check with ``safety`` (or skip it)."""
        await self.click(".start")
        await self.find(".view.safety")
        if safety is None:
            await self.click(".safety .skip")
        else:
            await self.click(f".safety [data-answer={safety}]")

    async def focused(self) -> dict[str, Any]:
        """The focused element, looking into the shadow root when the focus is there."""
        result: dict[str, Any] = await self.browser.script(FOCUSED_JS)
        return result

    async def count(self, css: str) -> int:
        """How many widget elements match ``css`` (visible or not)."""
        number: int = await self.browser.script(
            f"return {ROOT_JS}.querySelectorAll(arguments[0]).length;", css
        )
        return number


@dataclass
class HostSite:
    """Another origin embedding the widget under a strict CSP, with a neutral exit page."""

    origin: str
    port: int
    nabij_origin: str = ""

    def page_url(self, **params: str) -> str:
        """The embedding page; ``params`` become data attributes of the script tag."""
        return f"{self.origin}/?{urlencode(params)}"


def _host_page(site: HostSite, request: web.Request) -> web.Response:
    attributes = {"exit-url": f"{site.origin}/neutral", **request.query}
    data = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in attributes.items())
    body = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Gastsite</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        "<main><h1>Een gastsite</h1><p>Een pagina van een team dat de widget insluit.</p>"
        "</main>"
        f'<script src="{site.nabij_origin}/widget/widget.js" {data}></script></body></html>'
    )
    ws_origin = site.nabij_origin.replace("http://", "ws://")
    csp = (
        f"default-src 'self'; script-src 'self' {site.nabij_origin}; "
        f"connect-src {site.nabij_origin} {ws_origin}; style-src 'self'"
    )
    return web.Response(
        text=body, content_type="text/html", headers={"Content-Security-Policy": csp}
    )


def _neutral_page() -> web.Response:
    body = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Het weer</title>'
        "</head><body><main><h1>Het weer vandaag</h1></main></body></html>"
    )
    return web.Response(text=body, content_type="text/html")


@pytest.fixture
async def host_site() -> AsyncIterator[HostSite]:
    """A host website on its own port (another origin than Nabij)."""
    port = unused_port()
    site = HostSite(origin=f"http://127.0.0.1:{port}", port=port)

    async def page(request: web.Request) -> web.Response:
        return _host_page(site, request)

    async def neutral(request: web.Request) -> web.Response:
        return _neutral_page()

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/neutral", neutral)
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    yield site
    await server.close()
