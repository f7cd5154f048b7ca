"""Database migrations with Alembic, and no ``alembic.ini`` to keep next to the database.

The server calls :func:`upgrade_database` at start-up. Developers run any ``alembic``
command through this module, on ``NABIJ_DATABASE_URL`` (default: the embedded SQLite file)::

    .venv/bin/python -m nabij.migrate current
    .venv/bin/python -m nabij.migrate revision --autogenerate -m "add shift notes"

New revision files are formatted and fixed with ruff, as CI checks them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import CommandLine, Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from nabij.db import create_engine
from nabij.settings import DEFAULT_DATABASE_URL, ENV_PREFIX

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Several server processes may start at once on one PostgreSQL database; this transaction
# lock makes their upgrades take turns, so the later ones find the schema current. Any
# constant of our own works as the key ("nabj" in ASCII).
_UPGRADE_LOCK_KEY = 0x6E61626A


async def upgrade_database(database_url: str) -> None:
    """Bring the database to the newest schema; a no-op when it is already current.

    The whole upgrade is one transaction on PostgreSQL: it applies completely or not at all.
    """
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade)
    finally:
        await engine.dispose()


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY})
    command.upgrade(alembic_config(connection), "head")


def alembic_config(connection: Connection | None = None) -> Config:
    """Return the Alembic configuration of this package.

    Args:
        connection: Migrate through this connection (Alembic's "connection sharing"; the
            caller owns its transaction). Without it, ``env.py`` connects to the config's
            ``sqlalchemy.url`` itself.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def main(argv: Sequence[str] | None = None) -> None:
    """Run an ``alembic`` command line with this package's configuration.

    Alembic's own ``-c``/``-n`` options have no effect: there is no ini file to choose.
    """
    cli = CommandLine(prog="python -m nabij.migrate")
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    cfg = alembic_config()
    cfg.cmd_opts = options
    url = os.environ.get(f"{ENV_PREFIX}DATABASE_URL") or DEFAULT_DATABASE_URL
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser interpolates %
    _add_ruff_hooks(cfg)
    cli.run_cmd(cfg, options)


def _add_ruff_hooks(cfg: Config) -> None:
    hooks = {
        "ruff_fix": "check --fix --quiet REVISION_SCRIPT_FILENAME",
        "ruff_format": "format --quiet REVISION_SCRIPT_FILENAME",
    }
    cfg.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
    for name, options in hooks.items():
        cfg.set_section_option("post_write_hooks", f"{name}.type", "module")
        cfg.set_section_option("post_write_hooks", f"{name}.module", "ruff")
        cfg.set_section_option("post_write_hooks", f"{name}.options", options)


if __name__ == "__main__":
    main()
