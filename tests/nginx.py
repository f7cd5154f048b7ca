"""Debian's nginx for the chain test: deploy/nginx.conf rendered with a test's own values.

``render_site_conf`` replaces only the lines of deploy/nginx.conf marked ``# site:NAME``
(and fails when a marker went missing), so the file the test runs is the file we ship, not
a copy that can drift. ``NginxProcess`` runs one nginx as a non-daemon child in its own
directory: own pid file, error log and temporary paths, on a free port, killed at the end.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.harness import unused_port
from tests.processes import START_TIMEOUT_S
from tests.waiting import eventually

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = ROOT / "deploy" / "nginx.conf"
SITE_TLS_CONF = ROOT / "deploy" / "nginx-tls.conf"
#: What every installation sets for itself (deploy/nginx.conf's header names them); the
#: test fills in each, so a new one must be added here.
SITE_MARKERS = ("listen", "trusted-proxies", "replicas")
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

#: The TLS proxy in front of our nginx (a host nginx or load balancer in production): it
#: appends the address it saw to X-Forwarded-For, as proxies do.
TLS_PROXY_CONF = """\
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    error_log stderr alert;
    map $http_upgrade $connection_upgrade { default upgrade; "" close; }
    server {
        listen 127.0.0.1:%(port)d ssl;
        ssl_certificate %(cert)s;
        ssl_certificate_key %(key)s;
        location / {
            proxy_pass http://127.0.0.1:%(upstream)d;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering off;
        }
    }
}
"""


def _replace_marked(conf: str, name: str, lines: list[str]) -> str:
    """Put ``lines`` where the lines marked ``# site:name`` were (at least one must be)."""
    marker, out, done = f"# site:{name}", [], False
    for line in conf.splitlines(keepends=True):
        if not line.rstrip().endswith(marker):
            out.append(line)
        elif not done:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(f"{indent}{new}\n" for new in lines)
            done = True
    assert done, f"deploy/nginx.conf has no line marked '{marker}'"
    return "".join(out)


def render_site_conf(
    conf: str, *, port: int, replicas: list[int], trusted: list[str] | None, temp_dir: Path
) -> str:
    """deploy/nginx.conf with this test's listen port, replicas and trusted proxies.

    ``trusted=None`` keeps the shipped ranges. The replicas keep the shipped server
    parameters (``max_fails``, ``fail_timeout``).
    The temporary paths are added inside ``http {``: Debian's defaults are the system
    nginx's /var/lib/nginx directories.
    """
    shipped = re.search(r"^ *server app:8080(.*);.*# site:replicas$", conf, re.M)
    assert shipped, "the replicas line of deploy/nginx.conf changed shape"
    conf = _replace_marked(conf, "listen", [f"listen 127.0.0.1:{port};"])
    if trusted is not None:
        lines = [f"set_real_ip_from {address};" for address in trusted]
        conf = _replace_marked(conf, "trusted-proxies", lines)
    servers = [f"server 127.0.0.1:{p}{shipped.group(1)};" for p in replicas]
    return with_temp_paths(_replace_marked(conf, "replicas", servers), temp_dir)


def with_temp_paths(conf: str, temp_dir: Path) -> str:
    """``conf`` with every temporary path of nginx's http modules under ``temp_dir``."""
    assert conf.count("\nhttp {\n") == 1
    temp = "".join(f"    {kind}_temp_path {temp_dir / kind};\n" for kind in TEMP_PATHS)
    return conf.replace("\nhttp {\n", "\nhttp {\n" + temp, 1)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl): (certificate, key)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    args = ["openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
    args += ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    args += ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 - fixed arguments
    return cert, key


class NginxProcess:
    """``nginx -g 'daemon off;'`` with its own prefix, pid file, error log and port."""

    def __init__(self, name: str) -> None:
        # Not under pytest's tmp_path: its parents are private to the user, and nginx's
        # workers (nobody, when the test runs as root) must reach the temporary paths.
        self.dir = Path(tempfile.mkdtemp(prefix=f"nabij-{name}-"))
        self.dir.chmod(0o755)
        self.port = unused_port()
        self.error_log = self.dir / "error.log"
        self.stderr = self.dir / "stderr.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def _args(self, conf: str) -> list[str]:
        path = self.dir / "nginx.conf"
        path.write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        args = [nginx, "-p", f"{self.dir}/", "-c", str(path), "-e", str(self.error_log)]
        return [*args, "-g", f"daemon off; pid {self.dir / 'nginx.pid'};"]

    def start(self, conf: str) -> None:
        """Write ``conf`` and run nginx on it in the foreground, as a child of the test."""
        with self.stderr.open("wb") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
                self._args(conf), stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )

    def check_conf(self, conf: str) -> subprocess.CompletedProcess[str]:
        """``nginx -t`` on ``conf``: does this nginx take it?"""
        return subprocess.run(  # noqa: S603 - fixed arguments
            [*self._args(conf), "-t"], capture_output=True, text=True, timeout=30, check=False
        )

    async def run(self, conf: str) -> None:
        """Start on ``conf`` and wait until it listens; stopped again if it does not."""
        try:
            self.start(conf)
            await self.listening()
        except BaseException:
            self.stop()
            raise

    async def listening(self) -> None:
        """Wait until it accepts connections on its port."""

        async def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.logs()
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                return False
            writer.close()
            return True

        await eventually(up, what=f"nginx on port {self.port}", timeout=START_TIMEOUT_S)

    def logs(self) -> str:
        """Everything this nginx wrote: its error log and its stderr."""
        files = (self.error_log, self.stderr)
        return "".join(p.read_text(errors="replace") for p in files if p.exists())

    def stop(self) -> None:
        """Stop it (its workers exit with the master), then remove its directory."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


def render_site_tls_conf(conf: str, *, port: int, cert: Path, key: Path) -> str:
    """deploy/nginx-tls.conf with this test's port and certificate."""
    conf = _replace_marked(conf, "tls-listen", [f"listen 127.0.0.1:{port} ssl;"])
    conf = _replace_marked(conf, "certificate", [f"ssl_certificate {cert};"])
    return _replace_marked(conf, "certificate-key", [f"ssl_certificate_key {key};"])


async def start_site_nginx(
    replicas: list[int], trusted: list[str], cert: Path, key: Path
) -> tuple[NginxProcess, int]:
    """Our nginx: deploy/nginx.conf in front of ``replicas``, trusting ``trusted``, and
    with deploy/nginx-tls.conf in place: (the process, its TLS port)."""
    nginx, tls_port = NginxProcess("site"), unused_port()
    tls = render_site_tls_conf(SITE_TLS_CONF.read_text(), port=tls_port, cert=cert, key=key)
    (nginx.dir / "nabij-tls.conf").write_text(tls)
    site = render_site_conf(
        SITE_CONF.read_text(),
        port=nginx.port,
        replicas=replicas,
        trusted=trusted,
        temp_dir=nginx.dir,
    )
    await nginx.run(site)
    return nginx, tls_port


async def start_tls_proxy(upstream: int, cert: Path, key: Path) -> NginxProcess:
    """A TLS-terminating nginx on 127.0.0.1 in front of ``upstream``."""
    nginx = NginxProcess("tls")
    conf = TLS_PROXY_CONF % {"port": nginx.port, "cert": cert, "key": key, "upstream": upstream}
    await nginx.run(with_temp_paths(conf, nginx.dir))
    return nginx
