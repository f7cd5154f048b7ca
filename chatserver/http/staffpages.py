"""What every staff page shares: the refusal (a redirect to sign in), language, CSRF token."""

from __future__ import annotations

from typing import Any, NoReturn

from aiohttp import web

from chatserver import keys
from chatserver.console.i18n import pick_language, texts
from chatserver.http.csrf import csrf_token_for
from chatserver.staffauth import SESSION_COOKIE, user_for_token
from nabij.vocab import role_at_least
from staffing.models import StaffUser


def language(request: web.Request) -> str:
    """The page language: ``?lang=``, else Accept-Language, else Dutch."""
    return pick_language(request.query.get("lang"), request.headers.get("Accept-Language"))


def with_lang(request: web.Request, path: str) -> str:
    """``path`` carrying the ``?lang=`` of this request, if one was given."""
    lang = request.query.get("lang")
    return f"{path}?lang={lang}" if lang in ("nl", "en") else path


def refuse_page(request: web.Request, status: int, _level: str) -> NoReturn:
    """A staff page's refusal (a route's ``refusal``): sign in first, or 403 for a low role."""
    if status == 401:
        raise web.HTTPSeeOther(with_lang(request, "/login"))
    # Every role above "expert" that a page asks for is "coordinator" (or admin).
    raise web.HTTPForbidden(text=f"403: {texts(language(request))['page.forbidden']}\n")


async def signed_in_user(request: web.Request) -> StaffUser | None:
    """The signed-in staff user of this request, if any (for public pages that greet them)."""
    return await user_for_token(request.app[keys.db_key], request.cookies.get(SESSION_COOKIE))


def page_context(request: web.Request, user: StaffUser | None, **extra: Any) -> dict[str, Any]:
    """Template variables every staff page uses."""
    lang = language(request)
    return {
        "lang": lang,
        "t": texts(lang),
        "user": user,
        "is_coordinator": user is not None and role_at_least(user.role, "coordinator"),
        "csrf_token": csrf_token_for(request),
        "lang_query": f"?lang={lang}" if request.query.get("lang") else "",
        **extra,
    }


def staff_page_headers(response: web.StreamResponse) -> web.StreamResponse:
    """Staff pages are never cached (they show who is signed in).

    ``Referrer-Policy: same-origin`` instead of the global ``no-referrer``: under
    ``no-referrer`` a browser sends ``Origin: null`` with same-origin form posts and fetch
    calls, which the Origin check (middleware.py) would refuse.
    """
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
