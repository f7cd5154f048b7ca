"""Settings: one frozen, typed object read once from ``NABIJ_*`` environment variables.

Nothing here imports web code, so the CLI, migrations and the domain packages can use it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nabij.settingtypes import Secret as Secret
from nabij.settingtypes import SettingsError as SettingsError
from nabij.whatsapp_settings import WhatsAppSettings, load_whatsapp

#: Host names of a plain-HTTP development address on this machine.
LOOPBACK_NAMES = ("localhost", "127.0.0.1")

ENV_PREFIX = "NABIJ_"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/nabij.sqlite3"

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """Every knob of the service; tests build it directly."""

    secret_key: Secret
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    redis_prefix: str = "nabij:"
    #: Connections in each of a process's two Redis pools (live store, Socket.IO); a call
    #: beyond them waits for a free one instead of failing.
    redis_pool_size: int = 32
    widget_origins: tuple[str, ...] = ()
    public_url: str = "http://localhost:8080"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Amsterdam"))
    host: str = "127.0.0.1"
    port: int = 8080
    default_capacity: int = 2
    reconnect_grace_s: float = 60.0
    #: Seconds a claimed deadline (erase, visitor_gone, ...) stays with the process that
    #: claimed it; unconfirmed by then, it is due again for any process (chat/deadlines.py).
    deadline_lease_s: float = 30.0
    session_max_age_s: int = 12 * 3600
    sweep_interval_s: float = 1.0
    chat_requests_per_hour: int = 10
    trusted_proxy: bool = False
    #: Open visitor sockets allowed per (hashed) address, per instance.
    visitor_sockets_per_address: int = 20
    #: Conversation records older than this many months are deleted (registrations stay).
    record_retention_months: int = 24
    #: A message-box thread is deleted this many days after its last message at the latest.
    message_retention_days: int = 14
    #: In exports that leave the team, counts from 1 to below this show as "<5".
    small_cell_threshold: int = 5
    #: Bearer token for ``/metrics``; without one only loopback callers may scrape.
    metrics_token: Secret | None = None
    #: ``auto`` (uvloop when installed), ``uvloop`` or ``asyncio``: the loop ``serve`` runs on.
    event_loop: str = "auto"
    #: The WhatsApp channel (``NABIJ_WHATSAPP_*``); None: off.
    whatsapp: WhatsAppSettings | None = None

    @property
    def cookie_secure(self) -> bool:
        """Session cookies are Secure everywhere but plain-HTTP localhost development."""
        host = urlsplit(self.public_url).hostname or ""
        return not (self.public_url.startswith("http://") and host in LOOPBACK_NAMES)

    @property
    def public_origin(self) -> str:
        """The origin (scheme://host[:port]) of the staff console and the API."""
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def own_origins(self) -> list[str]:
        """The origins of Nabij's own pages: the public origin, and on a plain-HTTP loopback
        address both spellings of it, so a developer may open localhost or 127.0.0.1.
        """
        parts = urlsplit(self.public_url)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK_NAMES:
            return [self.public_origin]
        port = f":{parts.port}" if parts.port else ""
        return [f"http://{name}{port}" for name in LOOPBACK_NAMES]

    @property
    def allowed_origins(self) -> list[str]:
        """Origins allowed to open a socket: the service itself and the listed host sites."""
        return [*self.own_origins, *self.widget_origins]

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed (tests use this)."""
        return dataclasses.replace(self, **changes)


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(ENV_PREFIX + name, "").strip()
    if not value:
        raise SettingsError(f"{ENV_PREFIX}{name} is required but not set")
    return value


def _optional(env: Mapping[str, str], name: str, cast: Callable[[str], T], default: T) -> T:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return cast(raw.strip())
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise SettingsError(f"{ENV_PREFIX}{name} is invalid: {exc}") from None


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 < value < 65536:
        raise ValueError("must be a port number between 1 and 65535")
    return value


def _non_negative_float(raw: str) -> float:
    value = float(raw)
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not 0 < value < float("inf"):
        raise ValueError("must be a number above 0")
    return value


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if origin == "*":
            raise ValueError("'*' is not allowed: list each host site's origin")
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path:
            raise ValueError(f"{origin!r} is not an origin like https://example.org")
    return origins


def _url(schemes: set[str]) -> Callable[[str], str]:
    def cast(raw: str) -> str:
        scheme = urlsplit(raw).scheme
        if scheme not in schemes:
            raise ValueError(f"scheme {scheme!r} is not one of {sorted(schemes)}")
        return raw

    return cast


def _bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be true or false")


def _event_loop(raw: str) -> str:
    if raw not in EVENT_LOOPS:
        raise ValueError(f"must be one of {', '.join(EVENT_LOOPS)}")
    if raw == "uvloop" and importlib.util.find_spec("uvloop") is None:
        raise ValueError("uvloop is not installed")
    return raw


def _secret_key(env: Mapping[str, str]) -> Secret:
    value = _required(env, "SECRET_KEY")
    if len(value) < 32:
        raise SettingsError(f"{ENV_PREFIX}SECRET_KEY is invalid: use at least 32 characters")
    return Secret(value)


def _metrics_token(raw: str) -> Secret:
    if len(raw) < 16:
        raise ValueError("use at least 16 characters")
    return Secret(raw)


DATABASE_SCHEMES = {"sqlite+aiosqlite", "postgresql+asyncpg"}
EVENT_LOOPS = ("auto", "uvloop", "asyncio")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings once from the environment; raise SettingsError naming the variable."""
    env = os.environ if env is None else env
    return Settings(
        secret_key=_secret_key(env),
        database_url=_optional(env, "DATABASE_URL", _url(DATABASE_SCHEMES), DEFAULT_DATABASE_URL),
        redis_url=_optional(env, "REDIS_URL", _url({"redis", "rediss", "unix"}), None),
        redis_prefix=_optional(env, "REDIS_PREFIX", str, "nabij:"),
        redis_pool_size=_optional(env, "REDIS_POOL_SIZE", _positive_int, 32),
        widget_origins=_optional(env, "WIDGET_ORIGINS", _origins, ()),
        public_url=_optional(env, "PUBLIC_URL", _url({"http", "https"}), "http://localhost:8080"),
        timezone=_optional(env, "TIMEZONE", ZoneInfo, ZoneInfo("Europe/Amsterdam")),
        host=_optional(env, "HOST", str, "127.0.0.1"),
        port=_optional(env, "PORT", _port, 8080),
        default_capacity=_optional(env, "DEFAULT_CAPACITY", _positive_int, 2),
        reconnect_grace_s=_optional(env, "RECONNECT_GRACE_S", _non_negative_float, 60.0),
        deadline_lease_s=_optional(env, "DEADLINE_LEASE_S", _positive_float, 30.0),
        chat_requests_per_hour=_optional(env, "CHAT_REQUESTS_PER_HOUR", _positive_int, 10),
        trusted_proxy=_optional(env, "TRUSTED_PROXY", _bool, False),
        visitor_sockets_per_address=_optional(
            env, "VISITOR_SOCKETS_PER_ADDRESS", _positive_int, 20
        ),
        record_retention_months=_optional(env, "RECORD_RETENTION_MONTHS", _positive_int, 24),
        message_retention_days=_optional(env, "MESSAGE_RETENTION_DAYS", _positive_int, 14),
        small_cell_threshold=_optional(env, "SMALL_CELL_THRESHOLD", _positive_int, 5),
        metrics_token=_optional(env, "METRICS_TOKEN", _metrics_token, None),
        event_loop=_optional(env, "EVENT_LOOP", _event_loop, "auto"),
        whatsapp=load_whatsapp(env),
    )


def local_secret_key(var_dir: Path) -> str:
    """Return a per-install random key kept in ``var/``, for the embedded default only."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
