"""URL map and template set-up."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from chatserver.http import auth, pages, registrations, shifts, status
from chatserver.http.widget_assets import setup_widget_routes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def setup_templates(app: web.Application) -> None:
    """Jinja2 with autoescaping on for every template."""
    aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape()
    )


def setup_routes(app: web.Application) -> None:
    """Every HTTP route of the service."""
    app.router.add_get("/", pages.index)
    app.router.add_get("/api/status", status.status)
    app.router.add_post("/api/auth/login", auth.login)
    app.router.add_post("/api/auth/logout", auth.logout)
    app.router.add_get("/api/me", auth.me)
    app.router.add_get("/api/registrations", registrations.list_handler)
    app.router.add_post("/api/registrations", registrations.create_handler)
    app.router.add_get("/api/registrations/{registration_id}", registrations.get_handler)
    app.router.add_put("/api/registrations/{registration_id}", registrations.update_handler)
    app.router.add_get("/api/shifts", shifts.list_handler)
    app.router.add_post("/api/shifts", shifts.create_handler)
    app.router.add_delete("/api/shifts/{shift_id}", shifts.delete_handler)
    setup_widget_routes(app)
