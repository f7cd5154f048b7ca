"""Serve the built widget to host sites: one stable URL, and files named by their content.

Hosts embed ``/widget/widget.js``: it is always the current build, cached for five minutes
and revalidated by ETag, so a new release reaches every host quickly. The same bytes are
also served under their content-hashed name from ``widget/dist/manifest.json`` with a year's
immutable cache, for hosts that pin a release. ``/widget/vendor/`` holds
the Socket.IO browser client for the staff console. Everything is read once at start-up and
kept in memory, gzipped once; a missing build is logged and answered with 404.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

import widget

logger = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
DEMO = Path(widget.__file__).resolve().parent / "demo"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Asset:
    """One file: its bytes, its gzipped bytes, its type and its ETag."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str

    @classmethod
    def read(cls, path: Path) -> Asset:
        """Read and compress ``path`` (compressed once here, not per request)."""
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:20]
        return cls(body, gzip.compress(body, 9, mtime=0), TYPES[path.suffix], f'"{digest}"')

    def response(self, request: web.Request, cache_control: str) -> web.Response:
        """The file, gzipped when the client takes it; 304 when its ETag still matches."""
        headers = {
            "Cache-Control": cache_control,
            "ETag": self.etag,
            "Vary": "Accept-Encoding",
            "Cross-Origin-Resource-Policy": "cross-origin",
        }
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304, headers=headers)
        body = self.body
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            body, headers["Content-Encoding"] = self.gzipped, "gzip"
        headers["Content-Type"] = self.content_type
        return web.Response(body=body, headers=headers)


class WidgetAssets:
    """The widget build and the demo page's stylesheet, held in memory."""

    def __init__(self, dist: Path, demo: Path = DEMO) -> None:
        self.files: dict[str, Asset] = {}
        self.stable_name: str | None = None
        self._read_build(dist)
        for path in sorted(demo.glob("*.css")):
            self.files[f"demo/{path.name}"] = Asset.read(path)

    def _read_build(self, dist: Path) -> None:
        try:
            manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
            self.stable_name = str(manifest["widget.js"])
            self.files[self.stable_name] = Asset.read(dist / self.stable_name)
            vendor = dist / "vendor" / "socket.io.min.js"
            self.files["vendor/socket.io.min.js"] = Asset.read(vendor)
        except (OSError, ValueError, KeyError):
            logger.warning("widget build missing or incomplete in %s; run scripts/run", dist)

    async def stable(self, request: web.Request) -> web.Response:
        """``GET /widget/widget.js``: the current build, short cache."""
        if self.stable_name is None:
            raise web.HTTPNotFound()
        return self.files[self.stable_name].response(request, SHORT)

    async def named(self, request: web.Request) -> web.Response:
        """``GET /widget/{name}``: hashed builds for ever, vendor and demo files briefly."""
        name = request.match_info["name"]
        asset = self.files.get(name)
        if asset is None:
            raise web.HTTPNotFound()
        return asset.response(request, IMMUTABLE if name == self.stable_name else SHORT)


widget_assets_key = web.AppKey("widget_assets", WidgetAssets)


def setup_widget_assets(app: web.Application, dist: Path = widget.DIST) -> None:
    """Read the build once; the ``/widget/`` routes (http/endpoints.py) serve it."""
    app[widget_assets_key] = WidgetAssets(dist)


async def stable_widget(request: web.Request) -> web.Response:
    """``GET /widget/widget.js``: the current build, short cache."""
    return await request.app[widget_assets_key].stable(request)


async def widget_file(request: web.Request) -> web.Response:
    """``GET /widget/{name}``: hashed builds for ever, vendor and demo files briefly."""
    return await request.app[widget_assets_key].named(request)
