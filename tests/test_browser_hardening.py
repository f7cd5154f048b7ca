"""Browser hardening of every response, and escaping of everything staff or visitors typed.

Also guarded elsewhere: the widget runs on a strict-CSP host site
(tests/test_widget_browser.py::test_a_whole_chat_on_a_strict_csp_host_site); sockets from
other origins are refused (tests/test_protocol_safety.py::
test_a_visitor_socket_from_a_foreign_origin_is_refused, tests/test_http_api.py); the
console has no inline script or style (tests/test_console_api.py::
test_the_console_page_has_no_inline_script_or_style); the browser tests render the XSS
corpus as text (tests/test_widget_browser.py, tests/test_console_browser*.py).
"""

from __future__ import annotations

import aiohttp

from chatserver.authz import http_routes
from chatserver.keys import db_key
from staffing.experts import create_staff_user
from staffing.quickreplies import add_quick_reply
from tests.authz_helpers import concrete
from tests.harness import PASSWORD, Nabij

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_error_pages_carry_the_security_headers_too(nabij: Nabij) -> None:
    """A 404 page (raised, not returned) is a page a browser renders."""
    async with aiohttp.ClientSession() as http, http.get(nabij.url + "/no/such/page") as response:
        assert response.status == 404
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


async def test_every_page_and_api_answer_carries_the_security_headers(nabij: Nabij) -> None:
    """As an admin, every GET route: a strict CSP (no unsafe-*), no framing, no sniffing."""
    await nabij.add_expert("hdradmin", role="admin")
    async with nabij.http(await nabij.login("hdradmin")) as http:
        for route in http_routes(nabij.app):
            method, path = concrete(route)
            if method != "GET" or path.startswith("/socket.io/"):
                continue
            async with http.get(nabij.url + path, allow_redirects=False) as response:
                headers = response.headers
                csp = headers.get("Content-Security-Policy", "")
                assert "frame-ancestors 'none'" in csp and "unsafe" not in csp, route
                assert "script-src 'self'" in csp and "default-src 'self'" in csp, route
                assert headers["X-Frame-Options"] == "DENY", route
                assert headers["X-Content-Type-Options"] == "nosniff", route
                if path.startswith("/api/"):
                    assert headers["Cache-Control"] == "no-store", route


async def test_typed_text_is_escaped_in_every_staff_page(nabij: Nabij) -> None:
    """Jinja autoescape: a display name and a quick reply full of markup come out as text."""
    async with nabij.app[db_key].begin() as session:
        user = await create_staff_user(
            session, username="xss", display_name=XSS[:60], password=PASSWORD, role="coordinator"
        )
        await add_quick_reply(session, title=XSS[:60], body=XSS, created_by=user.id)
    async with nabij.http(await nabij.login("xss")) as http:
        for path in ("/console", "/console/quick-replies", "/password"):
            async with http.get(nabij.url + path) as response:
                html = await response.text()
                assert response.status == 200, path
                assert "<script>alert" not in html and "<img src=x" not in html, path
        async with http.get(nabij.url + "/console/quick-replies") as response:
            assert "&lt;script&gt;alert" in await response.text()
        async with http.get(nabij.url + "/api/quick-replies") as response:
            assert response.content_type == "application/json"  # with nosniff: never HTML
