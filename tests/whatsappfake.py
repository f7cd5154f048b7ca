"""A local fake of Meta's Graph API for the WhatsApp channel's tests (loopback only).

It answers ``POST /{version}/{phone_number_id}/messages`` as the Cloud API does: a bearer
token is required, each accepted message gets a ``wamid.`` id and is recorded, and a test
can script the next answers (a 429 with ``Retry-After``, a 500, Meta's error 131047 for a
closed 24-hour window). It also builds signed webhook deliveries from the fixtures in
tests/fixtures/whatsapp/, which follow Meta's documented payload shapes.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from chatserver.whatsapp.signature import signature_of

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
VERSION = "v21.0"
PHONE_NUMBER_ID = "106540352242922"
ACCESS_TOKEN = "fake-access-token-0123456789"
APP_SECRET = "fake-app-secret-0123456789"


def fixture(name: str) -> dict[str, Any]:
    """One of the documented delivery shapes, as a dict to adapt."""
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


def signed(delivery: dict[str, Any], app_secret: str = APP_SECRET) -> tuple[bytes, str]:
    """The raw body and its ``X-Hub-Signature-256``, as Meta would post them."""
    body = json.dumps(delivery).encode()
    return body, signature_of(app_secret, body)


@dataclass
class Scripted:
    """One scripted answer: an HTTP status, Meta's error code, and headers."""

    status: int
    code: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeGraph:
    """The Graph API's messages endpoint on a loopback port."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.script: list[Scripted] = []
        self.calls = 0
        self.open_now = 0
        self.most_open = 0
        #: Seconds each answer waits, so concurrency shows (the pool test sets it).
        self.delay_s = 0.0
        self._server: TestServer | None = None

    @property
    def url(self) -> str:
        """The base URL to give as NABIJ_WHATSAPP_GRAPH_URL."""
        assert self._server is not None
        return str(self._server.make_url(f"/{VERSION}")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(f"/{VERSION}/{{phone_number_id}}/messages", self._messages)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _messages(self, request: web.Request) -> web.Response:
        self.calls += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            await asyncio.sleep(self.delay_s)
            return await self._answer(request)
        finally:
            self.open_now -= 1

    async def _answer(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return _error(401, 190, "Invalid OAuth access token.")
        if request.match_info["phone_number_id"] != PHONE_NUMBER_ID:
            return _error(400, 100, "Unsupported post request.")
        if self.script:
            step = self.script.pop(0)
            return _error(step.status, step.code, "Scripted refusal.", step.headers)
        payload = await request.json()
        if payload.get("messaging_product") != "whatsapp" or "to" not in payload:
            return _error(400, 100, "Invalid parameter.")
        message_id = f"wamid.{secrets.token_hex(12)}"
        self.sent.append({**payload, "id": message_id})
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                "messages": [{"id": message_id}],
            }
        )


def _error(
    status: int, code: int | None, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEfGh"}}  # fmt: skip
    return web.json_response(body, status=status, headers=headers)
