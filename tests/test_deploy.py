"""The deployment files hold together: compose services, real settings, nginx upgrades.

Docker does not run here; these checks catch what review would miss (a misspelt
``NABIJ_*`` variable is silently ignored by the app, a missing Upgrade header breaks every
websocket behind nginx).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from nabij.settings import ENV_PREFIX, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
#: Without these a replica cannot share state with the others.
REQUIRED = {"NABIJ_SECRET_KEY", "NABIJ_DATABASE_URL", "NABIJ_REDIS_URL"}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _app_env() -> dict[str, str]:
    env: dict[str, Any] = _compose()["services"]["app"]["environment"]
    return {key: str(value) for key, value in env.items()}


def _substitute(value: str) -> str:
    """Fill ``${VAR:?msg}`` / ``${VAR:-default}`` as compose would, with test values."""

    def fill(match: re.Match[str]) -> str:
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if op == ":-":
            return rest
        return "x" * 48 if "KEY" in name or "TOKEN" in name else "secret"

    return re.sub(r"\$\{(\w+)(:[?-])?([^}]*)\}", fill, value)


def test_compose_runs_two_app_replicas_with_health_checks() -> None:
    services = _compose()["services"]
    assert set(services) >= {"app", "nginx", "redis", "postgres"}
    assert services["app"]["deploy"]["replicas"] >= 2
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert "/readyz" in " ".join(services["app"]["healthcheck"]["test"])
    assert "ports" not in services["app"]  # only nginx is reachable from outside
    depends = services["app"]["depends_on"]
    assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"


def test_every_nabij_variable_is_a_real_setting_and_the_required_ones_are_set() -> None:
    env = _app_env()
    fields = {f.name for f in dataclasses.fields(Settings)}
    for name in env:
        assert name.startswith(ENV_PREFIX), name
        assert name.removeprefix(ENV_PREFIX).lower() in fields, f"{name} is not a setting"
    assert set(env) >= REQUIRED
    settings = load_settings({key: _substitute(value) for key, value in env.items()})
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.trusted_proxy and settings.metrics_token is not None


def test_nginx_upgrades_websockets_and_keeps_operations_endpoints_private() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert "proxy_http_version 1.1;" in conf
    assert "access_log off;" in conf
    assert re.search(r"hash \$remote_addr|ip_hash|sticky", conf)
    for path in ("/metrics", "/readyz", "/healthz"):
        assert f"location = {path} {{ return 404; }}" in conf.replace("  ", " ")
    volumes = _compose()["services"]["nginx"]["volumes"]
    assert any(volume.startswith("./deploy/nginx.conf:") for volume in volumes)


def test_the_image_builds_the_widget_and_runs_as_an_ordinary_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM node:\S+ AS widget$", dockerfile, re.M)
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert "COPY --from=widget" in dockerfile
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user and user[-1] not in {"root", "0"}
    assert re.search(r'^CMD \["nabij", "serve"\]$', dockerfile, re.M)  # exec form: gets SIGTERM


def test_nginx_takes_the_client_address_from_trusted_proxies_only() -> None:
    """realip: trusted ranges, recursion through a chain, one address passed on to Nabij."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    trusted = re.findall(r"^ *set_real_ip_from (\S+); +# site:trusted-proxies$", conf, re.M)
    assert trusted and "0.0.0.0/0" not in trusted
    assert "real_ip_header X-Forwarded-For;" in conf
    assert "real_ip_recursive on;" in conf
    # Replaced, not appended to: Nabij reads the last entry (chatserver/clientaddress.py).
    assert conf.count("proxy_set_header X-Forwarded-For $remote_addr;") == 2
    assert "$proxy_add_x_forwarded_for" not in conf
    assert _app_env()["NABIJ_TRUSTED_PROXY"] == "true"


def test_nginx_logs_no_request_lines_and_needs_no_newer_nginx_than_debians() -> None:
    """Request-level error lines name the client; `resolve` needs nginx 1.27.3."""
    conf, tls = (_directives(ROOT / "deploy" / name) for name in ("nginx.conf", "nginx-tls.conf"))
    assert re.findall(r"^\s*error_log (.*);", conf, re.M) == ["stderr alert"]
    for text in (conf, tls):
        assert not re.search(r"\bresolve\b|^\s*resolver\b|\bhttp2\b", text, re.M)
    assert "include nabij-tls*.conf;" in conf


def _directives(path: Path) -> str:
    """An nginx file without its comments."""
    return re.sub(r"#.*", "", path.read_text())


def test_the_test_renders_only_the_marked_lines_of_the_shipped_file() -> None:
    """tests/test_nginx_chain.py runs deploy/nginx.conf itself, not a copy that can drift."""
    from tests.nginx import SITE_CONF, SITE_MARKERS, render_site_conf

    shipped = SITE_CONF.read_text()
    assert set(re.findall(r"# site:(\S+)$", shipped, re.M)) == set(SITE_MARKERS)
    rendered = render_site_conf(
        shipped, port=1234, replicas=[5678, 5679], trusted=["127.0.0.1"], temp_dir=Path("/t")
    )
    kept = [line for line in shipped.splitlines() if not re.search(r"# site:\S+$", line)]
    added = [line for line in rendered.splitlines() if line not in kept]
    assert [line for line in rendered.splitlines() if line in kept] == kept
    assert "    listen 127.0.0.1:1234;" in "\n".join(added)
    assert sum("server 127.0.0.1:5678 max_fails=1" in line for line in added) == 1
    assert all("_temp_path /t/" in line or "127.0.0.1" in line for line in added), added


def test_the_systemd_replicas_listen_on_the_loopback_with_real_settings() -> None:
    """Shape 3: the units' and the env file's variables exist; only nginx reaches a replica."""
    unit = (ROOT / "deploy" / "systemd" / "nabij@.service").read_text()
    assert "Environment=NABIJ_HOST=127.0.0.1 NABIJ_PORT=%i" in unit
    assert re.search(r"^ExecStart=\S+/nabij serve$", unit, re.M)
    example = (ROOT / "deploy" / "systemd" / "nabij.env.example").read_text()
    env = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert {name.removeprefix(ENV_PREFIX).lower() for name in env} <= fields
    assert set(env) >= REQUIRED and env["NABIJ_TRUSTED_PROXY"] == "true"
    assert load_settings(env).trusted_proxy
