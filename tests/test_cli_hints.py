"""Every command Nabij tells a person to type works when copied as printed, from the repo root.

Run as a person does: the real ``.venv/bin/nabij`` (what ``scripts/run`` starts) in a
subprocess from the repository root, its printed hint copied into ``bash -c``; and the
README's "First steps" block pasted line by line into a shell on the day the test runs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from chatserver.clihints import invocation
from tests.harness import unused_port

ROOT = Path(__file__).resolve().parent.parent
NABIJ = ROOT / ".venv" / "bin" / "nabij"
PASSWORD = "a long enough password"
START_TIMEOUT_S = 30.0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A shell environment of our own: a fresh database, this worktree's code."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NABIJ_")}
    return {
        **clean,
        "PYTHONPATH": str(ROOT),
        "NABIJ_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hint.sqlite3'}",
        "NABIJ_SECRET_KEY": secrets.token_urlsafe(48),
    }


def shell(command: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``command`` pasted into bash in the repository root."""
    return subprocess.run(  # noqa: S603 - a fixed program, the command is ours or the README's
        ["/bin/bash", "-c", command],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def first_hint(env: dict[str, str]) -> str:
    """Start the server as scripts/run does and return the command its hint prints."""
    server: subprocess.Popen[str] = subprocess.Popen(  # noqa: S603
        [".venv/bin/nabij", "serve", "--port", str(unused_port())],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,  # read below, closed in finally
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            if "user add" in line:
                return line.strip()
        raise AssertionError("the server printed no first-coordinator hint")
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


def test_the_first_coordinator_hint_of_serve_works_as_printed(env: dict[str, str]) -> None:
    command = first_hint(env)
    assert command.startswith(".venv/bin/nabij user add"), command
    done = shell(command, env, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "Created coordinator 'anna'" in done.stdout


def test_a_missing_user_names_a_list_command_that_works(env: dict[str, str]) -> None:
    day = dt.datetime.now(dt.UTC).astimezone().date().isoformat()
    add = f".venv/bin/nabij shift add --user bob --start {day}T19:00 --end {day}T20:00"
    refused = shell(add, env)
    assert refused.returncode == 1
    [hint] = re.findall(r"; (\S+ user list) shows them", refused.stderr)
    assert shell(hint, env).returncode == 0


def readme_first_steps() -> list[str]:
    """The commands of the README's "First steps" block, comments left out."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## First steps", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readmes_first_steps_work_today(env: dict[str, str]) -> None:
    commands = readme_first_steps()
    assert any("shift add" in command for command in commands)
    for command in commands:
        done = shell(command, env, stdin=PASSWORD + "\n")
        assert done.returncode == 0, (command, done.stderr)
    listed = shell(".venv/bin/nabij shift list", env).stdout
    today = dt.datetime.now(dt.UTC).astimezone().date()
    assert f"{today:%a %Y-%m-%d} 19:00 - 22:00  anna (Anna)" in listed, listed


def test_invocation_names_the_program_as_it_was_started() -> None:
    assert invocation(str(NABIJ)).endswith(".venv/bin/nabij")
    assert invocation("/x/chatserver/__main__.py").endswith(" -m chatserver")


# ``nabij serve`` on a port that is taken: a plain sentence and a command that works.
# The walkthrough started ``scripts/run`` twice on one port and got a raw
# ``[Errno 98] … address already in use``.
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


def _free_with_the_next() -> int:
    """A free port whose next one is free too: the hint offers ``port + 1``, which another
    process (another test worker's server or client) may hold."""
    while True:
        port = unused_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def test_a_taken_port_says_so_and_offers_a_command_that_works(
    env: dict[str, str],
) -> None:
    port = _free_with_the_next()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = _serve(port, env)
    assert result.returncode == 1
    assert "is running" not in result.stdout, "it said so before it had the port"
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
