"""``nabij serve`` on a port that is taken: a plain sentence and a command that works.

The walkthrough started ``scripts/run`` twice on one port and got
``nabij: [Errno 98] error while attempting to bind on address ('127.0.0.1', 8097):
address already in use``. Run as a person does: the real ``.venv/bin/nabij`` from the
repository root, with the hint's command copied into a shell.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

from tests.harness import unused_port
from tests.test_cli_hints import ROOT, START_TIMEOUT_S, env

__all__ = ["env"]


def _serve(port: int, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a fixed program
        [".venv/bin/nabij", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_taken_port_says_so_and_offers_a_command_that_works(
    env: dict[str, str],
) -> None:
    port = unused_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = _serve(port, env)
    assert result.returncode == 1
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert f"nabij: 127.0.0.1:{port} is already in use" in result.stderr, result.stderr
    command = result.stderr.strip().splitlines()[-1].strip()
    assert command == f".venv/bin/nabij serve --port {port + 1}", result.stderr
    assert _serves(command, env, port + 1)


def _serves(command: str, env: dict[str, str], port: int) -> bool:
    """Paste ``command`` into bash; True once ``GET /api/status`` answers on ``port``."""
    server = subprocess.Popen(  # noqa: S603 - bash with the hint we printed
        ["/bin/bash", "-c", f"exec {command}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2) as r:
                    return bool(r.status == 200)
            except OSError:
                time.sleep(0.2)
        return False
    finally:
        server.terminate()
        server.wait(timeout=10)
