"""Running the server process: logging without personal data, GC tuning, ``run_app``."""

from __future__ import annotations

import gc
import logging

from aiohttp import web

from chatserver.app import create_app
from nabij.settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: Young-generation threshold: fewer, larger collections than CPython's 700 (see DESIGN.md,
#: "Garbage collection is the main latency risk").
GC_THRESHOLDS = (50_000, 20, 100)


def configure_logging(level: int = logging.INFO) -> None:
    """Log our own identifiers and outcomes; keep the Socket.IO libraries quiet."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    for noisy in ("engineio", "socketio", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _freeze_after_startup(_app: web.Application) -> None:
    """Move everything alive after start-up out of the collector's sight (gc.freeze)."""
    gc.collect()
    gc.freeze()


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the service until interrupted.

    ``access_log=None``: aiohttp's access log would write every visitor's IP address and
    user agent, which DESIGN.md forbids.
    """
    configure_logging()
    gc.set_threshold(*GC_THRESHOLDS)
    app = create_app(settings)
    app.on_startup.append(_freeze_after_startup)
    web.run_app(app, host=host, port=port, print=None, access_log=None)
