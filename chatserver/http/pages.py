"""HTML pages (the widget demo and the console arrive with their own issues)."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web


@aiohttp_jinja2.template("index.html")
async def index(request: web.Request) -> dict[str, Any]:
    """The landing page: where the pieces are."""
    return {}
