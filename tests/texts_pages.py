"""What the language tests share: the staff pages (from the router), the data that makes
their warnings and errors appear, and the texts people see in a page's HTML.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from chatserver.keys import db_key
from staffing.models import Shift
from tests.harness import PASSWORD, Nabij

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: Routes that are no page for people (their answers are JSON, CSV, files or calendars).
NOT_PAGES = (
    "/api/", "/static/", "/widget/", "/calendar/", "/socket.io/", "/healthz", "/readyz", "/metrics",
)  # fmt: skip
#: The demo host page is a team's Dutch website (the widget's own texts follow data-lang).
DUTCH_ONLY_PAGES = ("/",)
#: JSON data blocks that hold texts (their values are shown by the pages' scripts).
TEXT_BLOCKS = ("page-texts", "console-texts", "console-labels")
#: Attributes whose values people read or hear.
TEXT_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def page_paths(app: web.Application, samples: dict[str, str]) -> list[str]:
    """Every GET route that may be a page, ``{name}`` parts filled from ``samples``."""
    paths = []
    for resource in app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter")
        if not path or path.startswith(NOT_PAGES) or path == "/favicon.ico":
            continue
        if not any(route.method == "GET" for route in resource):
            continue
        paths.append(re.sub(r"\{(\w+)\}", lambda m: samples.get(m.group(1), "1"), path))
    return sorted(set(paths))


class _Texts(HTMLParser):
    """Collects the text nodes, text attributes and text blocks of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0
        self._block: str | None = None
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag in ("script", "style"):
            self._skip += 1
            if values.get("id") in TEXT_BLOCKS:
                self._block = ""
        self.texts += [v for k, v in attrs if k in TEXT_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
            if self._block is not None:
                self.texts += list(_strings(json.loads(self._block)))
                self._block = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block += data
        elif not self._skip and data.strip():
            self.texts.append(data)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def html_texts(html: str) -> tuple[str, list[str]]:
    """The page's ``<html lang>`` and every text a person meets on it (JSON texts too)."""
    parser = _Texts()
    parser.feed(html)
    return parser.lang, parser.texts


async def staff_with_data(nabij: Nabij) -> dict[str, str]:
    """A team whose pages show every kind of text: warnings, gaps, requests, links.

    Answers the samples for the router's ``{name}`` parts (a live password-link token).
    """
    await nabij.add_expert("root", role="admin", on_shift=True)
    anna = await nabij.add_expert("anna", on_shift=True)
    async with nabij.http(await nabij.login("root")) as admin:
        created = await (
            await admin.post(
                f"{nabij.url}/api/team", json={"username": "bram", "display_name": "Bram"}
            )
        ).json()
        bram = created["member"]["id"]
        link = created["password_link"]
        tomorrow = dt.datetime.now(AMSTERDAM).date() + dt.timedelta(days=1)
        evening = dt.datetime.combine(tomorrow, dt.time(18), AMSTERDAM)
        long_shift = {"user_id": bram, "starts_at": evening.isoformat()}
        long_shift["ends_at"] = (evening + dt.timedelta(hours=8)).isoformat()
        assert (await admin.post(f"{nabij.url}/api/shifts", json=long_shift)).status == 201
        hours = {"hours": [{"weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}]}
        hours["hours"][0].update(start="09:00", end="10:00")
        assert (await admin.put(f"{nabij.url}/api/roster/chat-hours", json=hours)).status == 200
        reply = {"title": "Welkom", "body": "Hallo!"}
        assert (await admin.post(f"{nabij.url}/api/quick-replies", json=reply)).status == 201
    await _overlapping_shift(nabij, anna, evening)
    await _shift_request(nabij, anna)
    token = link.rsplit("/", 1)[1]
    return {"token": token}


async def _overlapping_shift(nabij: Nabij, user_id: int, start: dt.datetime) -> None:
    """Two overlapping shifts of one expert (older data can hold them; the API refuses)."""
    async with nabij.app[db_key].begin() as session:
        for hours in (0, 1):
            begin = start + dt.timedelta(hours=hours)
            session.add(
                Shift(user_id=user_id, starts_at=begin, ends_at=begin + dt.timedelta(hours=2))
            )


async def _shift_request(nabij: Nabij, user_id: int) -> None:
    """Anna asks to drop her first upcoming shift."""
    async with nabij.http(await nabij.login("anna", PASSWORD)) as anna:
        start = dt.datetime.now(AMSTERDAM).date()
        end = start + dt.timedelta(days=5)
        shifts = await (
            await anna.get(f"{nabij.url}/api/shifts?from={start}T00:00&to={end}T00:00")
        ).json()
        mine = [
            s
            for s in shifts["shifts"]
            if s["user_id"] == user_id and s["starts_at"] > dt.datetime.now(dt.UTC).isoformat()
        ]
        body = {"shift_id": mine[0]["id"], "kind": "drop", "note": "ziek"}
        assert (await anna.post(f"{nabij.url}/api/shift-requests", json=body)).status == 201
