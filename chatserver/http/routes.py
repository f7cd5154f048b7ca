"""URL map and template set-up."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from chatserver.http import (
    auth,
    console,
    loginpages,
    pages,
    quickreplies,
    registrations,
    shifts,
    staffapi,
    status,
)

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
    setup_console_routes(app)


def setup_console_routes(app: web.Application) -> None:
    """The staff console: sign-in pages, the console, its API and its static files."""
    app.router.add_get("/login", loginpages.login_page)
    app.router.add_post("/login", loginpages.login_submit)
    app.router.add_post("/logout", loginpages.logout_submit)
    app.router.add_get("/password", loginpages.password_page)
    app.router.add_post("/password", loginpages.password_submit)
    app.router.add_get("/console", console.console_page)
    app.router.add_get("/console/quick-replies", console.quick_replies_page)
    app.router.add_post("/console/quick-replies", console.quick_reply_add)
    app.router.add_post("/console/quick-replies/{reply_id}/delete", console.quick_reply_delete)
    app.router.add_get("/api/quick-replies", quickreplies.list_handler)
    app.router.add_post("/api/quick-replies", quickreplies.create_handler)
    app.router.add_delete("/api/quick-replies/{reply_id}", quickreplies.delete_handler)
    app.router.add_get("/api/staff/online", staffapi.online_handler)
    app.router.add_get("/static/vendor/socket.io.min.js", console.socketio_client)
    app.router.add_static("/static/console/", console.STATIC / "console")
