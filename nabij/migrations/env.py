"""Alembic environment of Nabij (there is no ``alembic.ini``; see ``nabij.migrate``).

Two ways in:

- ``nabij.migrate.upgrade_database`` shares its connection through
  ``config.attributes["connection"]`` (the cookbook's "Programmatic API use (connection
  sharing) with asyncio"); the caller owns the transaction.
- ``python -m nabij.migrate ...`` gives only ``sqlalchemy.url``; this module then makes its
  own async engine, as Alembic's ``async`` template does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlalchemy.engine.url import make_url

import chatserver.messagebox.models  # noqa: F401 - registers tables
import registration.models  # noqa: F401 - registers tables
import staffing.models  # noqa: F401 - registers tables
from nabij.db import Base, UTCDateTime, create_engine

config = context.config
target_metadata = Base.metadata


def _configure_logging() -> None:
    """On the command line, show Alembic's progress as the ini template's logging would.

    A program that calls ``upgrade_database`` owns its logging (Alembic reports on the
    ``alembic`` logger at INFO), just as the template leaves logging alone without an ini
    file. No ``fileConfig``: it would also disable every logger that already exists.
    """
    if config.cmd_opts is None or logging.getLogger().handlers:
        return
    logging.basicConfig(format="%(levelname)-5.5s [%(name)s] %(message)s", level=logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.INFO)


def _render_item(type_: str, obj: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    """Render UTCDateTime as the plain DateTime it stores, so revisions need no app imports."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _options(dialect_name: str) -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        # SQLite can alter little in place; batch operations copy the table instead.
        "render_as_batch": dialect_name == "sqlite",
        "render_item": _render_item,
    }


def _configured_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url: use nabij.migrate")
    return url


def run_migrations_offline() -> None:
    """Write the SQL to stdout instead of running it (``--sql``)."""
    url = _configured_url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_options(make_url(url).get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations through ``connection``."""
    context.configure(connection=connection, **_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations(url: str) -> None:
    """Connect to ``url`` with the application's engine settings and run the migrations."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run the migrations on the shared connection, or on a connection of our own."""
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    asyncio.run(run_async_migrations(_configured_url()))


_configure_logging()
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
