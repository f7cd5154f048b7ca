"""Settings: read once from NABIJ_*, errors name the variable, secrets never print."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

import pytest

from chatserver.runtime import new_event_loop
from nabij.settings import Secret, Settings, SettingsError, load_settings

KEY = "k" * 40


def test_defaults_are_the_embedded_service() -> None:
    settings = load_settings({"NABIJ_SECRET_KEY": KEY})
    assert settings.database_url.startswith("sqlite+aiosqlite:///var/")
    assert settings.redis_url is None
    assert settings.redis_pool_size == 32
    assert str(settings.timezone) == "Europe/Amsterdam"
    assert (settings.host, settings.port, settings.default_capacity) == ("127.0.0.1", 8080, 2)
    assert settings.cookie_secure is False  # plain-HTTP localhost development only


def test_values_are_cast_and_origins_listed() -> None:
    settings = load_settings(
        {
            "NABIJ_SECRET_KEY": KEY,
            "NABIJ_DATABASE_URL": "postgresql+asyncpg://nabij@db/nabij",
            "NABIJ_REDIS_URL": "redis://cache:6379/0",
            "NABIJ_WIDGET_ORIGINS": "https://team.example, https://www.team.example/",
            "NABIJ_PUBLIC_URL": "https://chat.team.example",
            "NABIJ_PORT": "9000",
            "NABIJ_RECONNECT_GRACE_S": "90",
            "NABIJ_REDIS_POOL_SIZE": "64",
            "NABIJ_DEADLINE_LEASE_S": "12.5",
        }
    )
    assert settings.redis_pool_size == 64
    assert settings.deadline_lease_s == 12.5
    assert settings.widget_origins == ("https://team.example", "https://www.team.example")
    assert settings.allowed_origins[0] == "https://chat.team.example"
    assert (settings.port, settings.reconnect_grace_s) == (9000, 90.0)
    assert settings.cookie_secure is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NABIJ_SECRET_KEY", ""),
        ("NABIJ_SECRET_KEY", "short"),
        ("NABIJ_PORT", "eighty"),
        ("NABIJ_PORT", "70000"),
        ("NABIJ_DEFAULT_CAPACITY", "0"),
        ("NABIJ_DATABASE_URL", "mysql://db/nabij"),
        ("NABIJ_REDIS_URL", "http://cache"),
        ("NABIJ_REDIS_POOL_SIZE", "0"),
        ("NABIJ_WIDGET_ORIGINS", "*"),
        ("NABIJ_WIDGET_ORIGINS", "team.example"),
        ("NABIJ_TIMEZONE", "Mars/Olympus_Mons"),
        ("NABIJ_RECONNECT_GRACE_S", "-1"),
        ("NABIJ_DEADLINE_LEASE_S", "0"),
        ("NABIJ_DEADLINE_LEASE_S", "nan"),
        ("NABIJ_TRUSTED_PROXY", "maybe"),
        ("NABIJ_EVENT_LOOP", "trio"),
    ],
)
def test_a_missing_or_invalid_value_names_the_variable(name: str, value: str) -> None:
    env = {"NABIJ_SECRET_KEY": KEY, name: value}
    with pytest.raises(SettingsError, match=name):
        load_settings(env)


def test_secrets_never_print() -> None:
    settings = load_settings({"NABIJ_SECRET_KEY": KEY})
    assert KEY not in repr(settings) and KEY not in str(settings.secret_key)
    assert settings.secret_key.reveal() == KEY
    assert Secret(KEY) == settings.secret_key


def test_a_loopback_public_url_accepts_both_spellings_of_its_origin() -> None:
    local = Settings(secret_key=Secret("k" * 40), public_url="http://localhost:8081")
    assert local.own_origins == ["http://localhost:8081", "http://127.0.0.1:8081"]
    assert local.allowed_origins[:2] == local.own_origins
    public = Settings(secret_key=Secret("k" * 40), public_url="https://chat.example.org")
    assert public.own_origins == ["https://chat.example.org"]
    plain = Settings(secret_key=Secret("k" * 40), public_url="http://chat.example.org:8080")
    assert plain.own_origins == ["http://chat.example.org:8080"]


def test_the_event_loop_is_uvloop_when_installed_unless_asyncio_is_asked_for() -> None:
    installed = importlib.util.find_spec("uvloop") is not None
    for kind, uvloop_expected in [("auto", installed), ("asyncio", False)]:
        assert load_settings({"NABIJ_SECRET_KEY": KEY, "NABIJ_EVENT_LOOP": kind}).event_loop == kind
        loop = new_event_loop(kind)
        try:
            assert type(loop).__module__.startswith("uvloop") is uvloop_expected, kind
            assert loop.run_until_complete(asyncio.sleep(0, "ran")) == "ran"
        finally:
            loop.close()


def test_asking_for_uvloop_without_it_installed_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *_: None)
    with pytest.raises(SettingsError, match="NABIJ_EVENT_LOOP is invalid: uvloop is not installed"):
        load_settings({"NABIJ_SECRET_KEY": KEY, "NABIJ_EVENT_LOOP": "uvloop"})
    with pytest.raises(ImportError):
        new_event_loop("uvloop")
    loop = new_event_loop("auto")
    try:
        assert not type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
