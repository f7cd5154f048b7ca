"""The installed package holds every file the server serves (the image installs it with
``pip install .``, not from the source tree): templates, static files, Lua scripts.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_data_file_of_chatserver_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["chatserver"]
    package = ROOT / "chatserver"
    data = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    missing = [name for name in data if not any(fnmatch.fnmatch(name, g) for g in globs)]
    assert data and missing == [], missing
