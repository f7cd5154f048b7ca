"""The widget's build, its sources' safety rules, and how the service serves it."""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import aiohttp
import pytest

import widget
from tests.harness import Nabij

SIZE_BUDGET = 35 * 1024
SOURCES = widget.DIST.parent / "src"
#: Never in the widget: markup from strings, persistent storage, cookies, console output.
FORBIDDEN = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|localStorage|indexedDB"
    r"|document\.cookie|console\.|eval\("
)


def built() -> tuple[str, bytes]:
    """The hashed widget file named by dist/manifest.json, and its bytes."""
    manifest = widget.DIST / "manifest.json"
    if not manifest.exists():
        pytest.fail("widget/dist is not built: run scripts/test (it builds the widget)")
    name = json.loads(manifest.read_text(encoding="utf-8"))["widget.js"]
    return name, (widget.DIST / name).read_bytes()


def test_the_widget_with_its_css_and_socketio_fits_the_size_budget() -> None:
    name, body = built()
    assert re.fullmatch(r"widget\.[0-9a-f]{12}\.js", name)
    size = len(gzip.compress(body, 9))
    assert size <= SIZE_BUDGET, f"{name}: {size} bytes gzipped > {SIZE_BUDGET}"
    assert b"nabij-panel" in body and b".launcher" in body  # the stylesheet is inlined


def test_sources_and_build_never_use_markup_strings_storage_cookies_or_the_console() -> None:
    sources = sorted(SOURCES.rglob("*.js"))
    assert len(sources) >= 10
    offending = {
        str(path.relative_to(SOURCES)): FORBIDDEN.findall(path.read_text(encoding="utf-8"))
        for path in sources
    }
    assert {k: v for k, v in offending.items() if v} == {}
    _, body = built()
    bundle_rule = rb"innerHTML|localStorage|indexedDB|document\.cookie|console\.log"
    assert re.findall(bundle_rule, body) == []


def test_both_catalogues_have_the_same_texts() -> None:
    script = (
        "const [nl, en] = await Promise.all(['nl', 'en'].map("
        "l => import(`./src/i18n/${l}.js`).then(m => m.default)));"
        "const keys = c => Object.entries(c).map(([k, v]) =>"
        " typeof v === 'object' ? k + ':' + Object.keys(v).sort() : k + ':' + typeof v).sort();"
        "console.log(JSON.stringify([keys(nl), keys(en)]));"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command, our own script
        ["node", "--input-type=module", "-e", script],  # noqa: S607 - node builds the widget
        cwd=widget.DIST.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    nl, en = json.loads(result.stdout)
    assert nl == en
    assert "audiences:perpetrator,professional,relative,unknown,victim" in nl


async def test_stable_url_is_short_cached_and_the_hashed_one_immutable(nabij: Nabij) -> None:
    name, body = built()
    async with aiohttp.ClientSession(auto_decompress=True) as http:
        stable = await http.get(f"{nabij.url}/widget/widget.js")
        assert stable.status == 200 and await stable.read() == body
        assert stable.headers["Cache-Control"] == "public, max-age=300"
        assert stable.headers["Content-Encoding"] == "gzip"
        assert stable.headers["Content-Type"].startswith("text/javascript")
        assert stable.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        etag = stable.headers["ETag"]
        again = await http.get(f"{nabij.url}/widget/widget.js", headers={"If-None-Match": etag})
        assert again.status == 304
        hashed = await http.get(f"{nabij.url}/widget/{name}")
        assert await hashed.read() == body
        assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        vendor = await http.get(f"{nabij.url}/widget/vendor/socket.io.min.js")
        assert vendor.status == 200 and b"io" in await vendor.read()
        for missing in ("widget.000000000000.js", "manifest.json", "vendor/x.js", "..%2Fapp.py"):
            assert (await http.get(f"{nabij.url}/widget/{missing}")).status == 404


async def test_demo_page_embeds_the_widget_like_a_host_with_its_socket_in_the_csp(
    nabij: Nabij,
) -> None:
    async with aiohttp.ClientSession() as http:
        page = await http.get(f"{nabij.url}/")
        html = await page.text()
        css = await http.get(f"{nabij.url}/widget/demo/site.css")
    assert '<script src="/widget/widget.js" defer' in html
    assert 'data-lang="nl"' in html and 'href="/console"' in html
    csp = page.headers["Content-Security-Policy"]
    ws_origin = nabij.url.replace("http://", "ws://")
    assert f"connect-src 'self' {ws_origin};" in csp and "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
