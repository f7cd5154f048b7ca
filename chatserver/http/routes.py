"""URL map and template set-up."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from chatserver.http import (
    auth,
    calendar,
    console,
    events,
    loginpages,
    messages,
    ops,
    pages,
    passwordlink,
    quickreplies,
    registrations,
    reportpage,
    reports,
    roster,
    rosterpages,
    shiftrequests,
    shifts,
    staffapi,
    status,
    team,
)
from chatserver.http.widget_assets import setup_widget_routes

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
    app.router.add_get("/favicon.ico", pages.favicon)
    app[status.status_body_key] = status.StatusBody()
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
    app.router.add_put("/api/shifts/{shift_id}", shifts.update_handler)
    app.router.add_delete("/api/shifts/{shift_id}", shifts.delete_handler)
    setup_console_routes(app)
    setup_roster_routes(app)
    setup_team_routes(app)
    setup_report_routes(app)
    setup_roster_page_routes(app)
    setup_widget_routes(app)
    setup_ops_routes(app)
    setup_message_routes(app)


def setup_message_routes(app: web.Application) -> None:
    """The message box: the visitor's routes (cross-origin for host sites) and the staff's."""
    for path, handler in (
        ("/api/messages", messages.leave_handler),
        ("/api/messages/thread", messages.thread_handler),
        ("/api/messages/reply", messages.reply_handler),
        ("/api/messages/close", messages.close_handler),
    ):
        app.router.add_post(path, handler)
        app.router.add_route("OPTIONS", path, messages.preflight)
    app.router.add_get("/api/staff/messages", messages.staff_list_handler)
    app.router.add_get("/api/staff/messages/{thread_id}", messages.staff_thread_handler)
    app.router.add_post("/api/staff/messages/{thread_id}/claim", messages.staff_claim_handler)
    app.router.add_post("/api/staff/messages/{thread_id}/answer", messages.staff_answer_handler)


def setup_ops_routes(app: web.Application) -> None:
    """Health checks and metrics for the load balancer and Prometheus (http/ops.py)."""
    app.router.add_get("/healthz", ops.healthz)
    app.router.add_get("/readyz", ops.readyz)
    app.router.add_get("/metrics", ops.metrics)


def setup_roster_routes(app: web.Application) -> None:
    """Recurring shifts, chat hours, coverage and the audit log."""
    app.router.add_get("/api/roster/patterns", roster.list_patterns_handler)
    app.router.add_post("/api/roster/patterns", roster.create_pattern_handler)
    app.router.add_post("/api/roster/patterns/{pattern_id}/skip", roster.skip_days_handler)
    app.router.add_post("/api/roster/patterns/{pattern_id}/end", roster.end_pattern_handler)
    app.router.add_get("/api/roster/chat-hours", roster.get_chat_hours_handler)
    app.router.add_put("/api/roster/chat-hours", roster.put_chat_hours_handler)
    app.router.add_get("/api/roster/coverage", roster.coverage_handler)
    app.router.add_get("/api/audit", roster.audit_handler)
    app.router.add_post("/api/me/calendar", calendar.issue_handler)
    app.router.add_delete("/api/me/calendar", calendar.revoke_handler)
    app.router.add_get("/calendar/{token}.ics", calendar.feed_handler)
    app.router.add_get("/api/shift-requests", shiftrequests.list_handler)
    app.router.add_post("/api/shift-requests", shiftrequests.create_handler)
    app.router.add_post("/api/shift-requests/{request_id}/approve", shiftrequests.approve_handler)
    app.router.add_post("/api/shift-requests/{request_id}/refuse", shiftrequests.refuse_handler)


def setup_roster_page_routes(app: web.Application) -> None:
    """The roster, team, my-shifts and audit pages, the password-link page, the colleagues."""
    app.router.add_get("/roster", rosterpages.roster_page)
    app.router.add_get("/team", rosterpages.team_page)
    app.router.add_get("/my-shifts", rosterpages.my_shifts_page)
    app.router.add_get("/audit", rosterpages.audit_page)
    app.router.add_get("/api/staff", rosterpages.colleagues_handler)
    app.router.add_get("/password/{token}", passwordlink.link_page)
    app.router.add_post("/password/{token}", passwordlink.link_submit)


def setup_team_routes(app: web.Application) -> None:
    """Accounts, deactivation and one-time password links."""
    app.router.add_get("/api/team", team.list_handler)
    app.router.add_post("/api/team", team.create_handler)
    app.router.add_put("/api/team/{user_id}", team.update_handler)
    app.router.add_post("/api/team/{user_id}/deactivate", team.deactivate_handler)
    app.router.add_post("/api/team/{user_id}/activate", team.activate_handler)
    app.router.add_post("/api/team/{user_id}/password-link", team.password_link_handler)
    app.router.add_post("/api/auth/password", team.use_link_handler)


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
