"""Outbound messages through the Graph API: ``POST {graph_url}/{phone_number_id}/messages``.

One aiohttp session per process with a bounded pool of connections, so a burst of replies
waits for a connection instead of opening hundreds. A 429, a 5xx or a broken connection is
retried with exponential backoff and jitter (honouring ``Retry-After``), a bounded number
of times; anything else is final. Meta's error 131047 means the 24-hour customer-service
window is closed: only a template may be sent (``GraphError.outside_window``).

Nothing of a message is logged: no number, no text; only statuses and Meta's error codes.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, Final

import aiohttp

from nabij.whatsapp_settings import WhatsAppSettings

logger = logging.getLogger(__name__)

#: Meta's code for "more than 24 hours since the customer last wrote".
OUTSIDE_WINDOW_CODE: Final = 131047
#: Meta's throughput codes: the business's, and one recipient's.
RATE_LIMIT_CODES: Final = frozenset({130429, 131056})
RETRIABLE_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
#: A list message holds at most ten rows of at most 24 characters (Meta's limits).
MAX_ROWS: Final = 10
MAX_ROW_TITLE: Final = 24


class GraphError(Exception):
    """A send that did not go out; ``retriable`` when trying later may still work."""

    def __init__(self, status: int, code: int | None, retriable: bool) -> None:
        super().__init__(f"Graph API refused the message: HTTP {status}, code {code}")
        self.status = status
        self.code = code
        self.retriable = retriable

    @property
    def outside_window(self) -> bool:
        """Whether only a template may be sent now (the visitor has not written for 24 h)."""
        return self.code == OUTSIDE_WINDOW_CODE


class GraphClient:
    """Sends text, list and template messages; start() before use, close() after."""

    def __init__(
        self,
        settings: WhatsAppSettings,
        *,
        pool_size: int = 8,
        attempts: int = 4,
        base_delay_s: float = 0.5,
        timeout_s: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._url = f"{settings.graph_url}/{settings.phone_number_id}/messages"
        self._token = settings.access_token
        self._pool_size = pool_size
        self._attempts = attempts
        self._base_delay_s = base_delay_s
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Open the connection pool."""
        connector = aiohttp.TCPConnector(limit=self._pool_size)
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)

    async def close(self) -> None:
        """Close the connection pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send_text(self, to: str, body: str) -> str:
        """Send a free-form text; return Meta's message id (``wamid.…``)."""
        return await self._send(to, {"type": "text", "text": {"body": body, "preview_url": False}})

    async def send_list(self, to: str, body: str, button: str, rows: list[tuple[str, str]]) -> str:
        """Send a one-tap choice: ``rows`` of (id, title), shown behind ``button``."""
        sections = [
            {"rows": [{"id": row_id, "title": title[:MAX_ROW_TITLE]} for row_id, title in rows]}
        ]
        interactive = {
            "type": "list",
            "body": {"text": body},
            "action": {"button": button[:20], "sections": sections},
        }
        assert len(rows) <= MAX_ROWS, "Meta shows at most ten rows"
        return await self._send(to, {"type": "interactive", "interactive": interactive})

    async def send_template(self, to: str, name: str, language: str) -> str:
        """Send an approved template (the only kind allowed outside the 24-hour window)."""
        template = {"name": name, "language": {"code": language}}
        return await self._send(to, {"type": "template", "template": template})

    async def _send(self, to: str, content: dict[str, Any]) -> str:
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        payload.update(content)
        for attempt in range(self._attempts):
            try:
                return await self._post(payload)
            except GraphError as exc:
                if not exc.retriable or attempt == self._attempts - 1:
                    raise
                delay = exc.retry_after if isinstance(exc, _Throttled) else None
                await self._sleep(delay or self._backoff(attempt))
            except (aiohttp.ClientError, TimeoutError) as exc:
                logger.warning("graph api unreachable error=%s", type(exc).__name__)
                if attempt == self._attempts - 1:
                    raise GraphError(0, None, retriable=True) from None
                await self._sleep(self._backoff(attempt))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        """0.5 s, 1 s, 2 s, ... each with up to half of itself added at random."""
        delay: float = self._base_delay_s * 2.0**attempt
        return delay + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not a secret

    async def _post(self, payload: dict[str, Any]) -> str:
        assert self._session is not None, "start() the client first"
        headers = {"Authorization": f"Bearer {self._token.reveal()}"}
        async with self._session.post(self._url, json=payload, headers=headers) as response:
            answer = await _json_or_empty(response)
            if response.status == 200:
                return _message_id(answer)
            raise _refusal(response, answer)


async def _json_or_empty(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        answer = await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        return {}
    return answer if isinstance(answer, dict) else {}


def _message_id(answer: dict[str, Any]) -> str:
    messages = answer.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        message_id = messages[0].get("id")
        if isinstance(message_id, str):
            return message_id
    raise GraphError(200, None, retriable=False)


class _Throttled(GraphError):
    """A 429 (or a throughput code), with the wait Meta asked for, if any."""

    def __init__(self, status: int, code: int | None, retry_after: float | None) -> None:
        super().__init__(status, code, retriable=True)
        self.retry_after = retry_after


def _refusal(response: aiohttp.ClientResponse, answer: dict[str, Any]) -> GraphError:
    error = answer.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    logger.warning("graph api refused status=%d code=%s", response.status, code)
    if response.status == 429 or code in RATE_LIMIT_CODES:
        return _Throttled(response.status, code, _retry_after(response))
    return GraphError(response.status, code, retriable=response.status in RETRIABLE_STATUSES)


def _retry_after(response: aiohttp.ClientResponse) -> float | None:
    raw = response.headers.get("Retry-After", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 4:
        return min(float(raw), 60.0)
    return None
