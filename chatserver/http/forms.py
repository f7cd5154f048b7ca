"""The one reader of HTML form bodies: a body that is not a readable form is a 400.

aiohttp decodes each multipart field strictly, so a field that is not UTF-8 raised
``UnicodeDecodeError`` from ``request.post()``: a 500 from any form route (and from the
CSRF check, which reads the form before the handler does). URL-encoded fields replace
bad bytes, so no form value ever holds a lone surrogate.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from multidict import MultiDictProxy

#: The longest form field kept: longer than any field a page offers.
MAX_FORM_FIELD = 64 * 1024


async def read_form(
    request: web.Request,
) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The request's form fields, or ``HTTPBadRequest`` when the body cannot be read as one."""
    try:
        return await request.post()
    except ValueError:  # UnicodeDecodeError, and malformed multipart
        raise web.HTTPBadRequest(text="The form could not be read; send it again.") from None


def form_text(form: Mapping[str, object], name: str, limit: int = MAX_FORM_FIELD) -> str:
    """The text of field ``name`` (at most ``limit`` characters); "" when absent or a file."""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""
