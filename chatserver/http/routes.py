"""Template set-up, and the router built from the route declarations (http/endpoints.py)."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from chatserver.http import declared, status
from chatserver.http.endpoints import ROUTES
from chatserver.http.widget_assets import setup_widget_assets

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def setup_templates(app: web.Application) -> None:
    """Jinja2 with autoescaping on for every template."""
    aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape()
    )


def setup_routes(app: web.Application) -> None:
    """Every HTTP route of the service: exactly the declared ones, nothing by hand."""
    app[status.status_body_key] = status.StatusBody()
    setup_widget_assets(app)
    declared.install(app, ROUTES)
