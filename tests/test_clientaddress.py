"""Which hop Nabij trusts to name the client: one rule for the sign-in and the socket limits."""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from unittest import mock

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from chatserver import keys
from chatserver.clientaddress import address_key, client_address
from chatserver.http.auth import request_address_key
from chatserver.realtime import visitor
from nabij.settings import Secret, Settings

#: What nginx sends (deploy/nginx.conf): one address, the one it settled on. A header
#: with more entries reached Nabij some other way; only the last was written by the peer.
FORWARDED = "203.0.113.66, 198.51.100.4"


def test_behind_the_trusted_proxy_the_last_entry_counts_and_nothing_else() -> None:
    assert client_address("127.0.0.1", FORWARDED, trusted_proxy=True) == "198.51.100.4"
    assert client_address("127.0.0.1", " 198.51.100.4 ", trusted_proxy=True) == "198.51.100.4"
    assert client_address("127.0.0.1", "", trusted_proxy=True) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.66, ", trusted_proxy=True) == "127.0.0.1"
    assert client_address("192.0.2.8", FORWARDED, trusted_proxy=False) == "192.0.2.8"
    assert client_address(None, None, trusted_proxy=False) == ""


def test_the_sign_in_throttle_and_the_visitor_sockets_count_the_same_address() -> None:
    settings = Settings(secret_key=Secret(secrets.token_urlsafe(48)), trusted_proxy=True)
    app = web.Application()
    app[keys.settings_key] = settings
    request = make_mocked_request(
        "POST",
        "/api/auth/login",
        headers={"X-Forwarded-For": FORWARDED},
        app=app,
        transport=mock.Mock(get_extra_info=mock.Mock(return_value=("127.0.0.1", 5555))),
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "aiohttp.request": SimpleNamespace(remote="127.0.0.1"),
        "HTTP_X_FORWARDED_FOR": FORWARDED,
    }
    expected = address_key(settings.secret_key.reveal().encode(), "198.51.100.4")
    assert request_address_key(request) == expected
    address = visitor.client_address(environ, settings.trusted_proxy)
    assert address_key(settings.secret_key.reveal().encode(), address) == expected


def test_the_visitor_address_comes_from_the_peer_or_the_proxy_it_trusts() -> None:
    environ = {
        "REMOTE_ADDR": "127.0.0.1",  # Engine.IO's aiohttp adapter always says this
        "aiohttp.request": SimpleNamespace(remote="203.0.113.7"),
        "HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.4",
    }
    assert visitor.client_address(environ, trusted_proxy=False) == "203.0.113.7"
    assert visitor.client_address(environ, trusted_proxy=True) == "198.51.100.4"
