"""Running the server process: logging without personal data, GC tuning, ``run_app``."""

from __future__ import annotations

import asyncio
import gc
import logging
import time

from aiohttp import web

from chatserver import keys
from chatserver.app import create_app
from chatserver.metrics import GcTimer
from nabij.settings import Settings

logger = logging.getLogger(__name__)

#: How long SIGTERM's shutdown waits for open requests after the sockets were closed.
SHUTDOWN_TIMEOUT_S = 10.0


class KeyValueFormatter(logging.Formatter):
    """One line per record, ``key=value`` (logfmt): ``ts= level= logger= msg="..." k=v``.

    Our messages are written as ``words key=value ...``: the leading words become ``msg``,
    the pairs stay as they are. Messages never carry content, IPs, user agents or tokens
    (the callers log ids and codes only); a traceback goes in one quoted ``exc`` field.
    """

    converter = time.gmtime  # type: ignore[assignment]  # UTC timestamps, as the DB keeps

    def format(self, record: logging.LogRecord) -> str:
        words = record.getMessage().split(" ")
        split = next((i for i, word in enumerate(words) if "=" in word), len(words))
        fields = [
            f"ts={self.formatTime(record, '%Y-%m-%dT%H:%M:%SZ')}",
            f"level={record.levelname.lower()}",
            f"logger={record.name}",
            f"msg={_quote(' '.join(words[:split]))}",
            *words[split:],
        ]
        if record.exc_info:
            fields.append(f"exc={_quote(self.formatException(record.exc_info))}")
        return " ".join(fields)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


#: Young-generation threshold: fewer, larger collections than CPython's 700 (see DESIGN.md,
#: "Garbage collection is the main latency risk").
GC_THRESHOLDS = (50_000, 20, 100)


def configure_logging(level: int = logging.INFO) -> None:
    """Log our own identifiers and outcomes; keep the Socket.IO libraries quiet."""
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter())
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("engineio", "socketio", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _freeze_after_startup(_app: web.Application) -> None:
    """Move everything alive after start-up out of the collector's sight (gc.freeze)."""
    gc.collect()
    gc.freeze()


async def _time_gc(app: web.Application) -> None:
    """Export garbage collection pauses (``nabij_gc_pause_seconds``)."""
    GcTimer(app[keys.chat_key].metrics.gc_pause).install()


def new_event_loop(kind: str) -> asyncio.AbstractEventLoop:
    """The loop ``serve`` runs on: uvloop for ``uvloop``, and for ``auto`` when installed.

    uvloop's loop and transports are written in C, meant to cost less CPU per relayed
    message (measurements: docs/performance.md). Without it asyncio's own loop serves the
    same.
    """
    if kind != "asyncio":
        try:
            import uvloop
        except ImportError:
            if kind == "uvloop":
                raise
        else:
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the service until interrupted.

    ``access_log=None``: aiohttp's access log would write every visitor's IP address and
    user agent, which DESIGN.md forbids. SIGTERM (and Ctrl-C) drain: see
    ``lifecycle.begin_drain``; the whole exit is bounded by about
    ACK_DRAIN_TIMEOUT_S + SOCKET_CLOSE_TIMEOUT_S + SHUTDOWN_TIMEOUT_S + SWEEP_STOP_TIMEOUT_S.
    """
    configure_logging()
    gc.set_threshold(*GC_THRESHOLDS)
    app = create_app(settings)
    app.on_startup.extend([_freeze_after_startup, _time_gc])
    loop = new_event_loop(settings.event_loop)
    logger.info("serving loop=%s", type(loop).__module__.split(".")[0])
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        access_log=None,
        shutdown_timeout=SHUTDOWN_TIMEOUT_S,
        loop=loop,
    )
