"""URL map and template set-up."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from chatserver.http import auth, events, pages, registrations, reportpage, reports, shifts, status

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"


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
    setup_report_routes(app)


def setup_report_routes(app: web.Application) -> None:
    """Reports (coordinators), the anonymous widget-open counter, and static files."""
    app.router.add_get("/reports", reportpage.report_page)
    app.router.add_get("/api/reports/contacts", reports.contacts_handler)
    app.router.add_get("/api/reports/chat", reports.chat_handler)
    app.router.add_get("/api/reports/export.csv", reports.export_handler)
    app.router.add_get("/api/reports/breakdown.csv", reports.breakdown_handler)
    app.router.add_get("/api/reports/codebook.csv", reports.codebook_handler)
    app.router.add_post("/api/events/widget-open", events.widget_open)
    app.router.add_static("/static/", STATIC, name="static")
