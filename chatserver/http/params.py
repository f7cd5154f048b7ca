"""Ids in paths and query strings: ASCII digits naming a row that can exist, or nothing.

``str.isdigit`` is true for ``²`` (which ``int`` refuses) and for ``٣`` (which ``int``
reads as 3: a coordinator once deactivated user 3 through ``/api/team/٣/deactivate``),
and twenty digits overflow SQLite's and PostgreSQL's integers. Every route that takes an
id from its path or query reads it here.
"""

from __future__ import annotations

from aiohttp import web

from chatserver.http.jsonapi import APIError

#: The largest id a row can have: PostgreSQL's ``integer`` (SQLite's is wider).
MAX_ID = 2**31 - 1
_MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(raw: str | None) -> int | None:
    """The id ``raw`` names (ASCII digits, 1..MAX_ID), or None."""
    if raw is None or not 0 < len(raw) <= _MAX_ID_DIGITS:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def path_id(request: web.Request, name: str, not_found: str) -> int:
    """The id in path segment ``name``; a 404 ``not_found`` with ``not_found`` when none."""
    value = parse_id(request.match_info[name])
    if value is None:
        raise APIError(404, "not_found", not_found)
    return value
