"""The relay logic both baselines share: least-loaded assignment, partner lookup, seq."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from aiohttp import web

#: The shape and size of Nabij's ``GET /api/status`` answer (a week of opening hours).
STATUS_BODY = {
    "ok": True,
    "open": True,
    "next_opening": "2026-11-24T08:00:00+00:00",
    "opening_hours": [
        {"starts_at": f"2026-11-{day}T08:00:00+00:00", "ends_at": f"2026-11-{day}T22:00:00+00:00"}
        for day in range(23, 30)
    ],
    "alternatives": [
        {"name": "Alarmnummer", "phone": "112", "when": "In direct gevaar"},
        {"name": "Veilig Thuis", "phone": "0800-2000", "when": "24/7, gratis, kan anoniem"},
    ],
}


async def status(_request: web.Request) -> web.Response:
    """The least an aiohttp handler does for ``GET /api/status``: JSON of a fixed answer."""
    response = web.json_response(STATUS_BODY)
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass
class Relay:
    """Who talks to whom; no storage, no checks beyond the minimum."""

    expert_load: dict[int, int] = field(default_factory=dict)
    conversations: dict[str, int] = field(default_factory=dict)  # conversation -> expert
    seq: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def assign(self) -> tuple[str, int] | None:
        """A new conversation with the least-loaded expert, or None when there is none."""
        if not self.expert_load:
            return None
        expert = min(self.expert_load, key=self.expert_load.__getitem__)
        self.expert_load[expert] += 1
        conversation = f"c{next(self._ids)}"
        self.conversations[conversation] = expert
        self.seq[conversation] = 0
        return conversation, expert

    def next_seq(self, conversation: str) -> int:
        """The next message number in ``conversation``."""
        self.seq[conversation] += 1
        return self.seq[conversation]


def port_from_argv(argv: list[str]) -> int:
    """``--port N``."""
    return int(argv[argv.index("--port") + 1])
