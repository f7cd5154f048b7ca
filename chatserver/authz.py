"""The authorization matrix: who may call each HTTP route and each socket event.

The HTTP rows are the route declarations (chatserver/http/endpoints.py): the router is
built from them and their access is enforced there, so they cannot drift from the code.
The socket rows are ``SOCKET_ACCESS`` for now; ``socket_rows`` is where an event table
plugs in. tests/test_authz.py checks every row against the running service, role by
role, and fails when a route or event has no declaration (or a declaration names
nothing). ``python -m chatserver.authz`` (re)writes docs/authorization.md from the same
rows: a test fails when the committed file differs.

Access levels, weakest first: ``public`` (anyone, no session), ``token`` (anyone holding a
secret from a link: a calendar feed or one-time password link; no session checked),
``visitor`` (a ``/visitor`` socket that holds a conversation), ``expert``, ``coordinator``,
``admin`` (a staff session with at least that role).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from chatserver.http.declared import router_routes, undeclared
from chatserver.realtime.events import EVENTS, socket_access

#: The actors the matrix is checked for; a visitor has no HTTP session, only a chat token.
ROLES = ("anonymous", "visitor", "expert", "coordinator", "admin")
STAFF_ROLES = ("expert", "coordinator", "admin")

#: ``namespace event`` → the weakest access that is allowed: read from the one declaration
#: of each socket event, which the namespaces enforce (chatserver/realtime/events.py).
#: ``/visitor`` sockets are anonymous until ``chat:request`` (or a resume token) gives
#: them a conversation.
SOCKET_ACCESS: dict[str, str] = socket_access()

#: What a socket event's level means beyond the role check, for the document.
SOCKET_NOTES: dict[str, str] = {
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


@dataclass(frozen=True)
class AccessRow:
    """One row of the matrix: a route or event, its weakest access, and what to note."""

    key: str
    level: str
    note: str = ""
    #: Why a state-changing route takes no CSRF token (empty: it needs one).
    csrf_exempt: str = ""


def http_rows() -> list[AccessRow]:
    """The matrix rows of the HTTP routes: read from their declarations (http/endpoints.py)."""
    from chatserver.http.endpoints import ROUTES

    rows = [AccessRow(r.key, r.access, r.note, r.csrf_exempt) for r in ROUTES]
    return sorted(rows, key=lambda row: row.key)


def socket_rows() -> list[AccessRow]:
    """The matrix rows of the socket events (SOCKET_ACCESS, SOCKET_NOTES).

    The hook for an event table: once the namespaces dispatch from declarations, build
    these rows from them, as ``http_rows`` does from the routes; nothing else changes.
    """
    return [
        AccessRow(key, SOCKET_ACCESS[key], SOCKET_NOTES.get(key, ""))
        for key in socket_events()
        if key in SOCKET_ACCESS
    ]


def access_of(key: str) -> str:
    """The declared level of ``METHOD /path`` or ``namespace event`` ("MISSING" if none)."""
    levels = {row.key: row.level for row in (*http_rows(), *socket_rows())}
    return levels.get(key, "MISSING")


def http_routes(app: web.Application) -> list[str]:
    """Every ``METHOD /path`` of the router (HEAD, added with each GET, left out)."""
    return router_routes(app)


def socket_events() -> list[str]:
    """Every ``namespace event`` the namespaces dispatch (their declarations)."""
    return sorted(e.key for e in EVENTS)


def missing_rows(app: web.Application) -> list[str]:
    """Routes and events without a declaration, then declarations naming nothing."""
    from chatserver.http.endpoints import ROUTES

    events = set(socket_events())
    problems = undeclared(app, ROUTES)
    problems += [f"no SOCKET_ACCESS row: {e}" for e in sorted(events - set(SOCKET_ACCESS))]
    problems += [
        f"SOCKET_ACCESS row for no event: {e}" for e in sorted(set(SOCKET_ACCESS) - events)
    ]
    return problems


def _rows(rows: Iterable[AccessRow]) -> Iterator[str]:
    for row in rows:
        marks = " | ".join("yes" if allowed(row.level, role) else "—" for role in ROLES)
        note = row.note
        if row.csrf_exempt:
            note = (note + "; " if note else "") + f"no CSRF token: {row.csrf_exempt}"
        yield f"| `{row.key}` | {row.level} | {marks} | {note} |"


def render(app: web.Application) -> str:
    """docs/authorization.md, generated from the route declarations and the socket matrix.

    ``app`` is unused but kept: the document is of a built app, whose router
    ``missing_rows`` checks against the declarations.
    """
    del app
    header = "| Route | Needs | " + " | ".join(ROLES) + " | Notes |"
    rule = "|" + "---|" * (len(ROLES) + 3)
    lines = [
        "# Authorization matrix",
        "",
        "Generated by `python -m chatserver.authz` from the route declarations",
        "(`chatserver/http/endpoints.py`, which the router is built from and whose access the",
        "service enforces) and the socket events' access in `chatserver/authz.py`; do not",
        "edit by hand.",
        "`tests/test_authz.py` checks every row for every role against the running service",
        "(allowed: not 401/403 or a redirect to sign-in; refused: 401/403, a redirect to",
        "sign-in for pages, `unauthorized`/`forbidden` on sockets) and that this file is",
        "current. Every state-changing route needs the CSRF token unless noted.",
        "",
        "## HTTP routes",
        "",
        header,
        rule,
        *_rows(http_rows()),
        "",
        "## Socket events",
        "",
        header.replace("Route", "Event"),
        rule,
        *_rows(socket_rows()),
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
