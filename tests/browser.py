"""Headless Chromium for UI tests, driven from async tests without blocking the server.

The server under test runs on the test's own event loop, so every WebDriver call (which
blocks until the browser answers) runs in a worker thread through ``Browser.run``. The
helpers wait for what they need (an element, a text) instead of sleeping.

Debian's chromium and chromedriver are used as installed (no browser downloads here).
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.wait import WebDriverWait

from tests.services import require_browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "test-screenshots"
AXE_SCRIPT = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
WAIT_S = 8.0

T = TypeVar("T")

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--window-size=1280,900",
)


def _launch(user_data_dir: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


#: How often ``Browser.text`` finds an element again that a re-render replaced.
STALE_RETRIES = 5


class Browser:
    """One Chromium window (its own profile: cookies, storage) with async helpers."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.driver = driver

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """Run a blocking WebDriver ``call`` in a worker thread."""
        return await asyncio.to_thread(call, *args)

    async def open(self, url: str) -> None:
        """Load ``url`` and wait for the document."""
        await self.run(self.driver.get, url)

    async def find(self, css: str, timeout: float = WAIT_S) -> WebElement:
        """The first visible element matching ``css`` (waiting for it)."""
        return await self._wait(ec.visibility_of_element_located((By.CSS_SELECTOR, css)), timeout)

    async def find_all(self, css: str) -> list[WebElement]:
        """Every element matching ``css`` now (no waiting)."""
        return await self.run(self.driver.find_elements, By.CSS_SELECTOR, css)

    async def absent(self, css: str, timeout: float = WAIT_S) -> None:
        """Wait until no visible element matches ``css``."""
        await self._wait(ec.invisibility_of_element_located((By.CSS_SELECTOR, css)), timeout)

    async def click(self, css: str) -> None:
        """Click the element matching ``css`` once it is clickable."""
        element = await self._wait(ec.element_to_be_clickable((By.CSS_SELECTOR, css)), WAIT_S)
        await self.run(element.click)

    async def type(self, css: str, text: str, *, clear: bool = False) -> None:
        """Type ``text`` into the element matching ``css`` (keys, as a person would)."""
        element = await self.find(css)
        if clear:
            await self.run(element.clear)
        await self.run(element.send_keys, text)

    async def keys(self, *keys: str) -> None:
        """Press ``keys`` on whatever has the focus."""
        active = await self.run(lambda: self.driver.switch_to.active_element)
        await self.run(active.send_keys, *keys)

    async def text(self, css: str) -> str:
        """The visible text of the element matching ``css``.

        Lists that re-render (the coordinator's overview on every ``queue:update``) can
        replace the element between finding and reading it: then it is found again.
        """
        for _ in range(STALE_RETRIES):
            element = await self.find(css)
            try:
                return await self.run(_text_of, element)
            except StaleElementReferenceException:
                continue
        raise AssertionError(f"{css!r} kept being replaced while it was read")

    async def wait_text(self, css: str, pattern: str, timeout: float = WAIT_S) -> str:
        """Wait until an element matching ``css`` shows text matching regex ``pattern``."""

        def matching(driver: webdriver.Chrome) -> str | bool:
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                text = element.text
                if re.search(pattern, text):
                    return text
            return False

        return await self._wait(matching, timeout, f"{css!r} never showed {pattern!r}")

    async def until(self, js: str, timeout: float = WAIT_S) -> Any:
        """Wait until the JavaScript expression ``js`` is truthy; return its value."""
        return await self._wait(
            lambda driver: driver.execute_script(f"return ({js});"), timeout, f"never true: {js}"
        )

    async def script(self, js: str, *args: Any) -> Any:
        """Run ``js`` (a function body; ``arguments`` holds ``args``) and return its value."""
        return await self.run(self.driver.execute_script, js, *args)

    async def focused(self) -> dict[str, Any]:
        """Tag, id, class and accessible label of the focused element."""
        result: dict[str, Any] = await self.script(
            "const e = document.activeElement; return {tag: e.tagName.toLowerCase(), id: e.id,"
            " cls: e.className, label: e.getAttribute('aria-label') || e.textContent.trim()};"
        )
        return result

    async def console_messages(self) -> list[str]:
        """What the page wrote to the browser console since the last call."""
        entries = await self.run(self.driver.get_log, "browser")
        return [str(entry.get("message", "")) for entry in entries]

    async def screenshot(self, name: str) -> Path:
        """Save a PNG of the window under var/test-screenshots/ (kept by the run)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        await self.run(self.driver.save_screenshot, str(path))
        return path

    async def axe(self, context: str = "document") -> list[dict[str, Any]]:
        """axe-core's WCAG 2.1 A/AA violations on the page (``context``: a JS expression)."""
        if not await self.script("return typeof window.axe === 'object';"):
            await self.script(AXE_SCRIPT.read_text(encoding="utf-8"))
        raw = await self.run(
            self.driver.execute_async_script,
            "const done = arguments[arguments.length - 1];"
            f"axe.run({context}, {{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify("
            "[{id: 'axe-error', help: String(e), nodes: []}])));",
        )
        violations: list[dict[str, Any]] = json.loads(raw)
        return violations

    async def _wait(
        self, condition: Callable[[Any], Any], timeout: float, message: str = ""
    ) -> Any:
        wait = WebDriverWait(
            self.driver,
            timeout,
            poll_frequency=0.05,
            ignored_exceptions=[StaleElementReferenceException],
        )
        try:
            return await self.run(wait.until, condition, message)
        except TimeoutException:
            await self.screenshot("timeout-" + re.sub(r"\W+", "-", message or "wait")[:60])
            raise

    async def close(self) -> None:
        """Quit the browser."""
        await self.run(self.driver.quit)


def _text_of(element: WebElement) -> str:
    return str(element.text)


BrowserFactory = Callable[[], Awaitable[Browser]]


def describe(violations: list[dict[str, Any]]) -> str:
    """axe violations in a line each, for assertion messages."""
    return "\n".join(
        f"{v['id']}: {v.get('help', '')} ({len(v.get('nodes', []))} nodes) "
        + "; ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
        for v in violations
    )


@pytest.fixture
async def browser_factory() -> AsyncIterator[BrowserFactory]:
    """Open as many separate browsers (separate profiles) as a test needs."""
    require_browser()
    opened: list[Browser] = []
    profiles: list[tempfile.TemporaryDirectory[str]] = []

    async def open_browser() -> Browser:
        profile = tempfile.TemporaryDirectory(prefix="nabij-chromium-")
        profiles.append(profile)
        browser = Browser(await asyncio.to_thread(_launch, profile.name))
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        await browser.close()
    for profile in profiles:
        profile.cleanup()


@pytest.fixture
async def browser(browser_factory: BrowserFactory) -> Browser:
    """One headless Chromium window."""
    return await browser_factory()
