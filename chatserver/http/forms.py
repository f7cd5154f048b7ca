"""The one reader of HTML form bodies: a body that is not a readable form is a 400.

aiohttp decodes each multipart field strictly, so a field that is not UTF-8 raised
``UnicodeDecodeError`` from ``request.post()``: a 500 from any form route (and from the
CSRF check, which reads the form before the handler does). URL-encoded fields replace
bad bytes, so no form value ever holds a lone surrogate.
"""

from __future__ import annotations

from aiohttp import web
from multidict import MultiDictProxy


async def read_form(
    request: web.Request,
) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The request's form fields, or ``HTTPBadRequest`` when the body cannot be read as one."""
    try:
        return await request.post()
    except ValueError:  # UnicodeDecodeError, and malformed multipart
        raise web.HTTPBadRequest(text="The form could not be read; send it again.") from None
