"""Fresh, empty test databases, made cheaply: each test gets one, hundreds of times a run.

SQLite: the schema is made once per run (``create_all`` costs about 0.2 s, more under load)
into a template file; each test gets a byte copy of it, which is the same empty database.

PostgreSQL: one database per run (per pytest-xdist worker: the name carries the process id),
schema made once; before each test it is emptied again. ``TRUNCATE`` of every table costs
60 ms or more (each table gets new files), several times what a test itself often takes, so
only the tables that hold rows are emptied, with ``DELETE`` (children before parents), and
only the sequences that were used are restarted. One round trip finds both.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from nabij.db import Base, create_engine

#: The sequences a test used (``nextval`` was called): those a reset restarts.
_USED_SEQUENCES = (
    "SELECT 'sequence', format('%I.%I', schemaname, sequencename) FROM pg_sequences"
    " WHERE last_value IS NOT NULL"
)


def _dirty_query() -> str:
    """One statement naming each table that holds a row and each used sequence."""
    holds_rows = "SELECT 'table', '{0}' WHERE EXISTS (SELECT FROM \"{0}\")"
    tables = [holds_rows.format(table.name) for table in Base.metadata.sorted_tables]
    return " UNION ALL ".join([*tables, _USED_SEQUENCES])


def _reset_statements(dirty: list[tuple[str, str]]) -> list[str]:
    """DELETE the tables that hold rows (dependants first), restart the used sequences."""
    tables = {name for kind, name in dirty if kind == "table"}
    deletes = [
        f'DELETE FROM "{table.name}"'  # noqa: S608 - our own table names
        for table in reversed(Base.metadata.sorted_tables)
        if table.name in tables
    ]
    restarts = [f"ALTER SEQUENCE {name} RESTART" for kind, name in dirty if kind == "sequence"]
    return deletes + restarts


#: The databases this process made, dropped once when the run ends (``drop_made``).
_made: list[tuple[str, str]] = []


async def _admin(admin_url: str, *statements: str) -> None:
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def create_empty_postgres_database(admin_url: str, url: str) -> None:
    """(Re)create the database ``url`` names, without any table; dropped at the run's end."""
    name = make_url(url).database
    await _admin(
        admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    _made.append((admin_url, url))


async def create_postgres_database(admin_url: str, url: str) -> None:
    """(Re)create the database ``url`` names, with the models' schema."""
    await create_empty_postgres_database(admin_url, url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
    finally:
        await engine.dispose()


async def empty_postgres_database(url: str) -> None:
    """Delete every row and restart every sequence, touching only what a test used."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        dirty = [(row[0], row[1]) for row in await conn.fetch(_dirty_query())]
        if dirty:
            async with conn.transaction():
                for statement in _reset_statements(dirty):
                    await conn.execute(statement)
    finally:
        await conn.close()


async def drop_schema(url: str) -> None:
    """Empty the database ``url`` names of every table, type and sequence, as new.

    Cheaper than dropping the database: ``DROP DATABASE`` waits for a checkpoint, which
    takes seconds (over a minute seen) when other jobs write to the same server.
    """
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def drop_made() -> None:
    """Drop every database this process made (at the end of the run, outside any test)."""

    async def drop() -> None:
        for admin_url, url in _made:
            name = make_url(url).database
            await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _made.clear()

    if _made:
        asyncio.run(drop())


class SqliteTemplate:
    """An empty SQLite database with the schema, made on first use and copied per test."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    async def copy_to(self, path: Path) -> str:
        """Put a fresh empty database at ``path``; return its URL."""
        shutil.copyfile(await self._template(), path)
        return f"sqlite+aiosqlite:///{path}"

    async def _template(self) -> Path:
        if self._folder is None:
            folder = tempfile.TemporaryDirectory(prefix="nabij-sqlite-template-")
            template = Path(folder.name) / "template.sqlite3"
            engine = create_engine(f"sqlite+aiosqlite:///{template}")
            try:
                async with engine.begin() as conn:
                    await conn.run_sync(Base.metadata.create_all)
            finally:
                await engine.dispose()  # the last connection folds the WAL into the file
            assert not template.with_name(template.name + "-wal").exists(), "WAL left over"
            self._folder = folder
        return Path(self._folder.name) / "template.sqlite3"

    def close(self) -> None:
        """Remove the template (end of the run)."""
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
