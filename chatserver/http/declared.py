"""One declaration per HTTP route, and the router built only from those declarations.

A ``Route`` says everything the service promises about a route: method, path, the weakest
access that may call it, the typed body and query it takes, why it needs no CSRF token,
and what the access level means beyond the role. ``install`` adds each declared route to
the router behind a wrapper that enforces that promise, in the order that keeps an
outsider blind: (the Origin and CSRF middlewares first, then) 401 for no session, 403 for
a low role, and only then the query and the body, so an anonymous caller learns nothing
about a schema. The handler gets the signed-in ``user`` and the decoded ``query`` and
``body`` as keyword arguments; ``install`` refuses a handler whose parameters do not
match its declaration, and ``undeclared`` (checked at start-up) a route added by hand.

docs/authorization.md and tests/test_authz.py read the same table (chatserver/authz.py).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Final, Literal, NoReturn, TypeVar

import msgspec
from aiohttp import web
from msgspec import Meta

from chatserver import keys
from chatserver.http.jsonapi import APIError, read_json_object
from chatserver.schema import (
    MAX_ROW_ID,
    UNKNOWN_FIELD,
    Payload,
    SchemaError,
    decode,
    field_errors,
    fields_of,
)
from chatserver.staffauth import SESSION_COOKIE, user_for_token
from nabij.vocab import role_at_least

#: The weakest access a route allows, weakest first: ``public`` (anyone), ``token`` (the
#: holder of a secret in the path; no session checked), then a staff session with at
#: least that role.
Access = Literal["public", "token", "expert", "coordinator", "admin"]
STAFF_LEVELS: Final = ("expert", "coordinator", "admin")

Handler = Callable[..., Awaitable[web.StreamResponse]]
#: How a refused caller is answered: ``(request, 401 or 403, the level it needed)``.
Refusal = Callable[[web.Request, int, str], web.StreamResponse]

#: A path variable with its pattern, ``{name:regex}``: the router's canonical name drops it.
_PATTERN: Final = re.compile(r"\{(\w+):[^}]*\}")

#: The message of a 400 for a body or query that does not fit its declaration.
INVALID: Final = "Some fields need a correction."


class Body(Payload):
    """A JSON body or query string of the HTTP API.

    ``refusal`` is the 400's message, ``unknown_field`` what it says of a field that is not
    declared (both as the pages that show them know them).
    """

    refusal: ClassVar[str] = INVALID
    unknown_field: ClassVar[str] = UNKNOWN_FIELD


B = TypeVar("B", bound=Body)

#: A row id a client may name (typed for mypy, unlike ``schema.RowId``).
Id = Annotated[int, Meta(ge=1, le=MAX_ROW_ID)]


def refuse_json(_request: web.Request, status: int, level: str) -> NoReturn:
    """The API's refusal: 401 ``unauthorized`` or 403 ``forbidden``, as JSON."""
    if status == 401:
        raise APIError(401, "unauthorized", "Sign in first.")
    raise APIError(403, "forbidden", f"This needs the {level} role.")


@dataclass(frozen=True)
class Route:
    """One HTTP route, declared once: the router, the access check and the docs read it."""

    method: str
    path: str
    access: Access
    #: None for routes the service does not answer itself (``mount``, ``library``).
    handler: Handler | None
    body: type[Body] | None = None
    query: type[Body] | None = None
    #: Why a state-changing route takes no CSRF token (empty: it needs one).
    csrf_exempt: str = ""
    #: What the access means beyond the role, for docs/authorization.md.
    note: str = ""
    refusal: Refusal = refuse_json
    #: A check of the caller before the body is read, as the access check is (it raises
    #: APIError): the message box's host-site origin.
    admit: Callable[[web.Request], None] | None = None
    #: The ``OPTIONS`` handler of a route that host sites call cross-origin with JSON.
    preflight: Handler | None = None
    #: A directory served as static files under ``path``'s prefix.
    mount: Path | None = None
    #: The library that adds this route itself (the Socket.IO transport).
    library: str = ""

    @property
    def key(self) -> str:
        """``METHOD /path``, as the router and docs/authorization.md name it (no regex)."""
        path = _PATTERN.sub(r"{\1}", self.path)
        return f"{self.method} {path}"

    def parameters(self) -> set[str]:
        """The keyword arguments the handler gets besides the request."""
        wanted = {"user"} if self.access in STAFF_LEVELS else set()
        wanted |= {"query"} if self.query is not None else set()
        return wanted | ({"body"} if self.body is not None else set())


def endpoint(route: Route) -> Handler:
    """The handler of ``route`` behind its access check and its payload decoding."""
    handler = route.handler
    assert handler is not None, route.key

    async def handle(request: web.Request) -> web.StreamResponse:
        arguments: dict[str, Any] = {}
        if route.access in STAFF_LEVELS:
            db, token = request.app[keys.db_key], request.cookies.get(SESSION_COOKIE)
            user = await user_for_token(db, token)
            if user is None:
                return route.refusal(request, 401, route.access)
            if not role_at_least(user.role, route.access):
                return route.refusal(request, 403, route.access)
            arguments["user"] = user
        if route.admit is not None:
            route.admit(request)
        if route.query is not None:
            arguments["query"] = decode_query(request.query, route.query)
        if route.body is not None:
            arguments["body"] = decode_body(await read_json_object(request), route.body)
        return await handler(request, **arguments)

    handle.__doc__, handle.__name__ = handler.__doc__, handler.__name__
    return handle


def decode_body(data: dict[str, Any], body_type: type[B]) -> B:
    """``data`` as ``body_type``, or a 400 ``invalid`` naming every field at fault."""
    try:
        return decode(data, body_type)
    except SchemaError as exc:
        fields = field_errors(data, body_type) or ({exc.field: exc.message} if exc.field else {})
        for name, message in fields.items():
            if message == UNKNOWN_FIELD:
                fields[name] = body_type.unknown_field
        raise APIError(400, "invalid", body_type.refusal, fields or None) from None


#: A whole number in a query string: ASCII digits, no sign, no leading zero, ten at most
#: (``int`` would read ``٣`` as 3, and twenty digits overflow the database's integers).
_QUERY_NUMBER: Final = frozenset("0123456789")


def decode_query(query: Mapping[str, str], query_type: type[B]) -> B:
    """The query string as ``query_type`` (the first value of each name), or a 400.

    Every value is text; a field declared as a whole number takes ASCII digits only.
    """
    numbers = {f.encode_name for f in fields_of(query_type) if _is_number(f.type)}
    data: dict[str, Any] = {}
    for name in query:
        value = data[name] = query.get(name, "")
        if name in numbers and _digits(value):
            data[name] = int(value)
    return decode_body(data, query_type)


def _digits(value: str) -> bool:
    return 0 < len(value) <= 10 and set(value) <= _QUERY_NUMBER and value[0] != "0"


def _is_number(info: msgspec.inspect.Type) -> bool:
    if isinstance(info, msgspec.inspect.Metadata):
        return _is_number(info.type)
    if isinstance(info, msgspec.inspect.UnionType):
        return any(_is_number(kind) for kind in info.types)
    return isinstance(info, msgspec.inspect.IntType)


#: The declarations the app was built from, for the start-up check.
declared_routes_key: web.AppKey[tuple[Route, ...]] = web.AppKey("declared_routes")


def install(app: web.Application, routes: Sequence[Route]) -> None:
    """Add every declared route to the router (and nothing else); check them at start-up."""
    for route in routes:
        if route.library:
            continue  # added by the library itself; ``undeclared`` still checks it
        if route.mount is not None:
            app.router.add_static(route.path.split("{", 1)[0], route.mount, name="static")
            continue
        check_handler(route)
        if route.preflight is not None:  # OPTIONS routes are not listed (router_routes)
            app.router.add_route("OPTIONS", route.path, route.preflight)
        if route.method == "GET":  # with HEAD, as aiohttp's add_get does
            app.router.add_get(route.path, endpoint(route))
        else:
            app.router.add_route(route.method, route.path, endpoint(route))
    app[declared_routes_key] = tuple(routes)
    app.on_startup.append(refuse_undeclared)


def check_handler(route: Route) -> None:
    """TypeError unless the handler takes the request and exactly what its route gives."""
    assert route.handler is not None, route.key
    parameters = list(inspect.signature(route.handler).parameters)
    if parameters[0].lstrip("_") != "request" or set(parameters[1:]) != route.parameters():
        raise TypeError(
            f"{route.key}: {route.handler.__qualname__} takes {parameters}; its declaration "
            f"gives request and {sorted(route.parameters())}"
        )


def router_routes(app: web.Application) -> list[str]:
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


def undeclared(app: web.Application, routes: Sequence[Route]) -> list[str]:
    """Routes of the router without a declaration, then declarations without a route."""
    present, declared = set(router_routes(app)), {route.key for route in routes}
    problems = [f"route without a declaration: {key}" for key in sorted(present - declared)]
    return problems + [f"declaration without a route: {key}" for key in sorted(declared - present)]


async def refuse_undeclared(app: web.Application) -> None:
    """At start-up (the router is final then): RuntimeError naming any undeclared route."""
    routes: tuple[Route, ...] = app[declared_routes_key]
    if problems := undeclared(app, routes):
        raise RuntimeError("; ".join(problems))
