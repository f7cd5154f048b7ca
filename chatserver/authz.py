"""The authorization matrix: who may call each HTTP route and each socket event.

``HTTP_ACCESS`` and ``SOCKET_ACCESS`` are the one declaration of expected access;
tests/test_authz.py checks every row against the running service, role by role, and fails
when a route or event has no row (or a row names nothing). ``python -m chatserver.authz``
(re)writes docs/authorization.md from the router and the namespaces, so the document never
drifts from the code: a test fails when the committed file differs.

Access levels, weakest first: ``public`` (anyone, no session), ``token`` (anyone holding a
secret from a link: a calendar feed or one-time password link; no session checked),
``visitor`` (a ``/visitor`` socket that holds a conversation), ``expert``, ``coordinator``,
``admin`` (a staff session with at least that role).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

from aiohttp import web

#: The actors the matrix is checked for; a visitor has no HTTP session, only a chat token.
ROLES = ("anonymous", "visitor", "expert", "coordinator", "admin")
STAFF_ROLES = ("expert", "coordinator", "admin")

#: ``METHOD /path`` → the weakest access that is allowed.
HTTP_ACCESS: dict[str, str] = {
    "GET /": "public",
    "GET /favicon.ico": "public",
    "GET /api/status": "public",
    # Operations: /metrics answers a loopback caller or NABIJ_METRICS_TOKEN only
    # (tests/test_ops.py); the matrix runs from the loopback, where it is public.
    "GET /healthz": "public",
    "GET /readyz": "public",
    "GET /metrics": "public",
    "POST /api/auth/login": "public",
    "POST /api/auth/logout": "public",
    "GET /api/me": "expert",
    "GET /api/registrations": "expert",
    "POST /api/registrations": "expert",
    "GET /api/registrations/{registration_id}": "expert",
    "PUT /api/registrations/{registration_id}": "expert",
    "GET /api/shifts": "expert",
    "POST /api/shifts": "coordinator",
    "PUT /api/shifts/{shift_id}": "coordinator",
    "DELETE /api/shifts/{shift_id}": "coordinator",
    # The console and its sign-in pages.
    "GET /login": "public",
    "POST /login": "public",
    "POST /logout": "public",
    "GET /password": "expert",
    "POST /password": "expert",
    "GET /console": "expert",
    "GET /console/quick-replies": "coordinator",
    "POST /console/quick-replies": "coordinator",
    "POST /console/quick-replies/{reply_id}/delete": "coordinator",
    "GET /api/quick-replies": "expert",
    "POST /api/quick-replies": "coordinator",
    "DELETE /api/quick-replies/{reply_id}": "coordinator",
    "GET /api/staff/online": "expert",
    # The message box: visitors leave a message (public) and read it with its pickup code.
    "POST /api/messages": "public",
    "POST /api/messages/thread": "token",
    "POST /api/messages/reply": "token",
    "POST /api/messages/close": "token",
    "GET /api/staff/messages": "expert",
    "GET /api/staff/messages/{thread_id}": "expert",
    "POST /api/staff/messages/{thread_id}/claim": "expert",
    "POST /api/staff/messages/{thread_id}/answer": "expert",
    "GET /api/staff": "expert",
    # The roster, team, audit and own-shift pages, and the one-time password link page.
    "GET /roster": "coordinator",
    "GET /team": "coordinator",
    "GET /audit": "coordinator",
    "GET /my-shifts": "expert",
    "GET /password/{token}": "token",
    "POST /password/{token}": "token",
    "GET /static/vendor/socket.io.min.js": "public",
    # The roster.
    "GET /api/roster/patterns": "expert",
    "POST /api/roster/patterns": "coordinator",
    "POST /api/roster/patterns/{pattern_id}/skip": "coordinator",
    "POST /api/roster/patterns/{pattern_id}/end": "coordinator",
    "GET /api/roster/chat-hours": "expert",
    "PUT /api/roster/chat-hours": "coordinator",
    "GET /api/roster/coverage": "coordinator",
    "GET /api/audit": "coordinator",
    "POST /api/me/calendar": "expert",
    "DELETE /api/me/calendar": "expert",
    "GET /calendar/{token}.ics": "token",
    "GET /api/shift-requests": "expert",
    "POST /api/shift-requests": "expert",
    "POST /api/shift-requests/{request_id}/approve": "coordinator",
    "POST /api/shift-requests/{request_id}/refuse": "coordinator",
    # The team.
    "GET /api/team": "coordinator",
    "POST /api/team": "coordinator",
    "PUT /api/team/{user_id}": "coordinator",
    "POST /api/team/{user_id}/deactivate": "coordinator",
    "POST /api/team/{user_id}/activate": "coordinator",
    "POST /api/team/{user_id}/password-link": "coordinator",
    "POST /api/auth/password": "token",
    # Reports, the widget-open counter, static files and the widget.
    "GET /reports": "coordinator",
    "GET /api/reports/contacts": "coordinator",
    "GET /api/reports/chat": "coordinator",
    "GET /api/reports/export.csv": "coordinator",
    "GET /api/reports/breakdown.csv": "coordinator",
    "GET /api/reports/codebook.csv": "coordinator",
    "POST /api/events/widget-open": "public",
    "GET /static/{filename}": "public",
    "GET /widget/widget.js": "public",
    "GET /widget/{name}": "public",
    # The Socket.IO transport; what it carries is in SOCKET_ACCESS.
    "GET /socket.io/": "public",
    "POST /socket.io/": "public",
}

#: State-changing routes that take no CSRF token, and why.
CSRF_EXEMPT: dict[str, str] = {
    "POST /api/auth/login": "creates the session the token would be bound to",
    "POST /api/events/widget-open": "cookie-free counter posted by host sites (origin-checked)",
    "POST /api/messages": "cookie-free message box of the widget (origin-checked)",
    "POST /api/messages/thread": "cookie-free, the pickup code is the credential",
    "POST /api/messages/reply": "cookie-free, the pickup code is the credential",
    "POST /api/messages/close": "cookie-free, the pickup code is the credential",
    "POST /socket.io/": "the socket transport; sockets check Origin and the session at connect",
}

#: ``namespace event`` → the weakest access that is allowed. ``/visitor`` sockets are
#: anonymous until ``chat:request`` (or a resume token) gives them a conversation.
SOCKET_ACCESS: dict[str, str] = {
    "/visitor chat:request": "public",
    "/visitor message:send": "visitor",
    "/visitor typing": "visitor",
    "/visitor chat:end": "visitor",
    "/visitor feedback:send": "visitor",
    "/staff presence:set": "expert",
    "/staff chats:sync": "expert",
    "/staff chat:accept": "expert",
    "/staff message:send": "expert",
    "/staff typing": "expert",
    "/staff chat:end": "expert",
    "/staff chat:transfer": "expert",
    "/staff alert:raise": "expert",
    "/staff alert:ack": "coordinator",
    "/staff visitor:block": "expert",
    "/staff chat:watch": "coordinator",
    "/staff chat:unwatch": "expert",
    "/staff chat:takeover": "coordinator",
    "/staff chats:overview": "coordinator",
}

#: What a level means beyond the role check, for the document.
NOTES: dict[str, str] = {
    "/staff message:send": "only in a chat the expert holds",
    "/staff typing": "only in a chat the expert holds",
    "/staff chat:end": "only a chat the expert holds",
    "/staff chat:transfer": "only a chat the expert holds",
    "/staff alert:raise": "only a chat the expert holds",
    "/staff alert:ack": "any open alert of the team",
    "/staff visitor:block": "the expert holding (or, once ended, last holding) it; coordinators",
    "/visitor message:send": "only the socket's own conversation (never named in a payload)",
    "/visitor typing": "only the socket's own conversation",
    "/visitor chat:end": "only the socket's own conversation",
    "GET /calendar/{token}.ics": "the feed's secret token is the credential",
    "POST /api/auth/password": "the one-time link's secret token is the credential",
    "POST /logout": "ends the caller's own session, if any",
    "POST /api/auth/logout": "ends the caller's own session, if any",
    "POST /login": "CSRF token bound to a pre-login cookie",
    "GET /api/shift-requests": "experts see their own requests, coordinators all",
}


def allowed(level: str, role: str) -> bool:
    """Whether ``role`` passes ``level``: staff roles are ordered, a visitor is not staff."""
    if level in ("public", "token"):
        return True
    if level == "visitor":
        return role == "visitor"
    if level not in STAFF_ROLES:
        return False  # an unknown level (a missing row) allows no one
    return role in STAFF_ROLES and STAFF_ROLES.index(role) >= STAFF_ROLES.index(level)


def http_routes(app: web.Application) -> list[str]:
    """Every ``METHOD /path`` of the router (HEAD, added with each GET, left out)."""
    found = set()
    for route in app.router.routes():
        if route.method in ("HEAD", "OPTIONS") or route.resource is None:
            continue
        path = route.resource.canonical
        if isinstance(route.resource, web.StaticResource):
            path = path.rstrip("/") + "/{filename}"
        found.add(f"{route.method} {path}")
    return sorted(found)


def socket_events() -> list[str]:
    """Every ``namespace event`` handled by the two namespaces (their ``on_*`` methods)."""
    from chatserver.realtime.staff import StaffNamespace
    from chatserver.realtime.visitor import VisitorNamespace

    events = []
    for namespace, cls in (("/visitor", VisitorNamespace), ("/staff", StaffNamespace)):
        for name, _ in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("on_") and name not in ("on_connect", "on_disconnect"):
                events.append(f"{namespace} {name[3:].replace('_', ':')}")
    return sorted(events)


def missing_rows(app: web.Application) -> list[str]:
    """Routes and events without a row, then rows naming nothing (for a clear failure)."""
    routes, events = set(http_routes(app)), set(socket_events())
    problems = [f"no HTTP_ACCESS row: {r}" for r in sorted(routes - set(HTTP_ACCESS))]
    problems += [f"no SOCKET_ACCESS row: {e}" for e in sorted(events - set(SOCKET_ACCESS))]
    problems += [f"HTTP_ACCESS row for no route: {r}" for r in sorted(set(HTTP_ACCESS) - routes)]
    problems += [
        f"SOCKET_ACCESS row for no event: {e}" for e in sorted(set(SOCKET_ACCESS) - events)
    ]
    return problems


def _rows(keys: list[str], access: dict[str, str]) -> Iterator[str]:
    for key in keys:
        level = access.get(key, "MISSING")
        marks = " | ".join("yes" if allowed(level, role) else "—" for role in ROLES)
        note = NOTES.get(key, "")
        if key in CSRF_EXEMPT:
            note = (note + "; " if note else "") + f"no CSRF token: {CSRF_EXEMPT[key]}"
        yield f"| `{key}` | {level} | {marks} | {note} |"


def render(app: web.Application) -> str:
    """docs/authorization.md, generated from the router, the namespaces and the matrix."""
    header = "| Route | Needs | " + " | ".join(ROLES) + " | Notes |"
    rule = "|" + "---|" * (len(ROLES) + 3)
    lines = [
        "# Authorization matrix",
        "",
        "Generated by `python -m chatserver.authz` from the router, the socket namespaces",
        "and the declared access in `chatserver/authz.py`; do not edit by hand.",
        "`tests/test_authz.py` checks every row for every role against the running service",
        "(allowed: not 401/403 or a redirect to sign-in; refused: 401/403, a redirect to",
        "sign-in for pages, `unauthorized`/`forbidden` on sockets) and that this file is",
        "current. Every state-changing route needs the CSRF token unless noted.",
        "",
        "## HTTP routes",
        "",
        header,
        rule,
        *_rows(http_routes(app), HTTP_ACCESS),
        "",
        "## Socket events",
        "",
        header.replace("Route", "Event"),
        rule,
        *_rows(socket_events(), SOCKET_ACCESS),
        "",
    ]
    return "\n".join(lines)


def document_app() -> web.Application:
    """An app built only to read its router (nothing connects until it starts)."""
    from chatserver.app import create_app
    from nabij.settings import Secret, Settings

    return create_app(Settings(secret_key=Secret("authz-document-only")))


DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "authorization.md"


def main() -> int:
    """Write docs/authorization.md; exit 1 (naming them) when rows are missing."""
    app = document_app()
    DOCUMENT.write_text(render(app), encoding="utf-8")
    problems = missing_rows(app)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
