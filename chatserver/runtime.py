"""Running the server process: logging without personal data, GC tuning, ``run_app``."""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import time
from collections.abc import Callable

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
    install_log_privacy()


#: Loggers of the libraries whose records can carry what a client sent: aiohttp's server
#: logs "Error handling request from <address>" with the offending bytes (a request line,
#: a header with the user agent or the session cookie); the others attach exceptions
#: whose text can quote a payload. Their records keep the message and lose the rest.
SCRUBBED_LOGGERS = (
    "aiohttp.server",
    "aiohttp.web",
    "aiohttp.websocket",
    "aiohttp.internal",
    "engineio.server",
    "socketio.server",
    "socketio",
)
#: aiohttp's access log writes every address and user agent: never a line of it.
DROPPED_LOGGERS = ("aiohttp.access",)


_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*[0-9*]*(?:\.[0-9*]+)?[a-zA-Z%]")


class ScrubClientData(logging.Filter):
    """Reduce a library's record to what it says happened, without what the client sent.

    The arguments go (for aiohttp.server the one argument is the client's address) and so
    does the traceback, whose exception text quotes the request; the exception's type stays,
    as ``error=Type``, so the line still tells what went wrong.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place; always keep it."""
        message = str(record.msg)
        if record.args:
            message = _PLACEHOLDER.sub("-", message.replace(" from %s", ""))
        if record.exc_info and record.exc_info[0] is not None:
            message = f"{message} error={record.exc_info[0].__name__}"
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class DropRecords(logging.Filter):
    """Keep no record of this logger at all."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Never keep ``record``."""
        return False


def install_log_privacy() -> None:
    """Put ScrubClientData and DropRecords on their loggers (idempotent)."""
    for name, kind in [
        *((name, ScrubClientData) for name in SCRUBBED_LOGGERS),
        *((name, DropRecords) for name in DROPPED_LOGGERS),
    ]:
        target = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in target.filters):
            target.addFilter(kind())


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


def serve(
    settings: Settings, host: str, port: int, on_listening: Callable[[str], None] | None = None
) -> None:
    """Run the service until interrupted; ``on_listening`` once the port is bound.

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
        print=on_listening,
        access_log=None,
        shutdown_timeout=SHUTDOWN_TIMEOUT_S,
        loop=loop,
    )
