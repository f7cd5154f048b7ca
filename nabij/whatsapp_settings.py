"""The WhatsApp channel's settings (``NABIJ_WHATSAPP_*``): all unset is off, half set stops.

Meta's Cloud API needs four secrets and ids together (the app secret that signs webhook
deliveries, the verify token of the subscription handshake, the access token and the
phone-number id of outbound calls). Any of them without the others is a mistake that would
show only when the first visitor writes, so start-up refuses it, naming what is missing.
Secrets are ``Secret``: never in a ``repr``, a log line or an error message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from nabij.settingtypes import Secret, SettingsError

PREFIX: Final = "NABIJ_WHATSAPP_"
REQUIRED: Final = ("APP_SECRET", "VERIFY_TOKEN", "ACCESS_TOKEN", "PHONE_NUMBER_ID")
OPTIONAL: Final = ("GRAPH_URL", "TEMPLATE_REPLY", "TEMPLATE_LANGUAGE")
#: Meta's Graph API, at the version Nabij was built and tested against.
DEFAULT_GRAPH_URL: Final = "https://graph.facebook.com/v21.0"
LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class WhatsAppSettings:
    """What the WhatsApp channel needs; None on Settings when the channel is off."""

    app_secret: Secret
    verify_token: Secret
    access_token: Secret
    phone_number_id: str
    graph_url: str = DEFAULT_GRAPH_URL
    #: The approved template an expert may send outside the 24-hour window; None: none.
    reply_template: str | None = None
    template_language: str = "nl"


def load_whatsapp(env: Mapping[str, str]) -> WhatsAppSettings | None:
    """The channel's settings from ``env``; None when none is set; SettingsError when half."""
    given = {name: env[PREFIX + name] for name in (*REQUIRED, *OPTIONAL) if env.get(PREFIX + name)}
    if not given:
        return None
    missing = [name for name in REQUIRED if name not in given]
    if missing:
        raise SettingsError(
            f"{PREFIX}{missing[0]} is missing: the WhatsApp channel needs "
            + ", ".join(PREFIX + name for name in REQUIRED)
            + " together (or none of them to keep it off)"
        )
    return WhatsAppSettings(
        app_secret=_secret(given, "APP_SECRET", 16),
        verify_token=_secret(given, "VERIFY_TOKEN", 16),
        access_token=_secret(given, "ACCESS_TOKEN", 16),
        phone_number_id=_digits(given["PHONE_NUMBER_ID"]),
        graph_url=_graph_url(given.get("GRAPH_URL", DEFAULT_GRAPH_URL)),
        reply_template=given.get("TEMPLATE_REPLY"),
        template_language=given.get("TEMPLATE_LANGUAGE", "nl"),
    )


def _secret(given: Mapping[str, str], name: str, least: int) -> Secret:
    if len(given[name]) < least:
        raise SettingsError(f"{PREFIX}{name} is invalid: use at least {least} characters")
    return Secret(given[name])


def _digits(raw: str) -> str:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 32:
        raise SettingsError(f"{PREFIX}PHONE_NUMBER_ID is invalid: Meta's id is digits only")
    return raw


def _graph_url(raw: str) -> str:
    parts = urlsplit(raw)
    plain_local = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    if (parts.scheme != "https" and not plain_local) or not parts.netloc:
        raise SettingsError(
            f"{PREFIX}GRAPH_URL is invalid: use https:// (plain http only on the loopback)"
        )
    return raw.rstrip("/")
