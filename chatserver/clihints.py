"""Hints the ``nabij`` command prints: each one works when copied as printed.

A hint names the program the way it was started (``.venv/bin/nabij`` from ``scripts/run``,
``nabij`` when that is on PATH), so copying it from the terminal runs it again.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

PORT_IN_USE_HINT = (
    "{address} is already in use (is Nabij running there already?). Stop that server, or"
    " serve on another port:\n  {nabij} serve --port {other}"
)

FIRST_COORDINATOR_HINT = (
    "No staff accounts yet. Create the first coordinator in another terminal, from this"
    " directory (the password is asked twice):\n"
    "  {nabij} user add --username anna --display-name Anna --role coordinator"
)


def invocation(argv0: str | None = None) -> str:
    """How to run this same program again from the current directory, as it was started.

    ``nabij`` when that name on PATH is this program; otherwise the path it was started
    by (``.venv/bin/nabij`` from ``scripts/run``), or ``python -m chatserver``. Hints
    printed with it work when copied as printed.
    """
    started = argv0 if argv0 is not None else (sys.argv[0] if sys.argv else "nabij")
    if Path(started).name == "__main__.py":
        return f"{_shown_path(sys.executable)} -m chatserver"
    on_path = shutil.which(Path(started).name)
    if on_path and Path(on_path).resolve() == Path(started).resolve():
        return Path(started).name
    return _shown_path(started)


def _shown_path(path: str) -> str:
    """``path`` relative to the current directory when below it, quoted for a shell."""
    resolved = Path(path).absolute()
    try:
        shown = str(resolved.relative_to(Path.cwd()))
    except ValueError:
        shown = str(resolved)
    return shlex.quote(shown)


def first_coordinator_hint() -> str:
    """What to do when there is no account yet, with a command that works as printed."""
    return FIRST_COORDINATOR_HINT.format(nabij=invocation())


def port_in_use_hint(address: str, port: int) -> str:
    """The port is taken: say so plainly, with a command for a free-looking port."""
    return PORT_IN_USE_HINT.format(address=address, nabij=invocation(), other=port + 1)
