"""Where the tests find PostgreSQL, Redis, Chromium and nginx, and what happens without them.

Locally a missing service skips the tests that need it; with CI=true it fails them, so a
green CI run always means both store/database combinations really ran.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "NABIJ_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("NABIJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def require(service: str) -> None:
    """Skip (locally) or fail (CI=true) when ``service`` ('postgres' or 'redis') is down."""
    url, port = (POSTGRES_ADMIN_URL, 5432) if service == "postgres" else (REDIS_URL, 6379)
    if _reachable(url, port):
        return
    _missing(f"{service} is not reachable at {urlsplit(url).netloc}")


def require_browser() -> None:
    """Skip (locally) or fail (CI=true) without Debian's chromium and chromedriver."""
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    if missing:
        names = " and ".join(missing)
        _missing(f"{names} not installed (apt-get install chromium chromium-driver)")


def require_nginx() -> None:
    """Skip (locally) or fail (CI=true) without nginx (scripts/test installs Debian's)."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").is_file():
        _missing("nginx not installed (apt-get install nginx)")


def require_node() -> None:
    """Skip (locally) or fail (CI=true) without Node and the widget's node_modules."""
    root = Path(__file__).resolve().parent.parent
    if shutil.which("node") is None or not (root / "widget" / "node_modules" / "ws").is_dir():
        _missing("needs node and widget/node_modules (npm ci in widget/)")


def _missing(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI needs it (.ci/run provides it)")
    pytest.skip(message)
