"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL.

Other tests make their schema with ``metadata.create_all``; these start from an empty
database, as a new install does, so a model change without a migration fails here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.engine.url import make_url

import chatserver.messagebox.models  # noqa: F401 - registers tables
import registration.models  # noqa: F401 - registers tables
from nabij.db import Base, create_engine
from nabij.migrate import alembic_config, upgrade_database
from staffing.models import StaffUser
from tests.databases import create_empty_postgres_database, drop_schema
from tests.services import POSTGRES_ADMIN_URL, require

MIGRATION_DB_NAME = f"nabij_migr_{os.getpid()}"
T = TypeVar("T")


_migration_database_made: list[bool] = []


@pytest.fixture
async def empty_database_url(db_backend: str, tmp_path: Path) -> str:
    """A database without a single table.

    PostgreSQL: the run's own migration database, made once (dropped when the run ends)
    and emptied for each test by dropping its schema; ``DROP DATABASE`` per test would
    wait for a checkpoint each time.
    """
    if db_backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'migrations.sqlite3'}"
    require("postgres")
    url = str(make_url(POSTGRES_ADMIN_URL).set(database=MIGRATION_DB_NAME))
    if _migration_database_made:
        await drop_schema(url)
    else:
        await create_empty_postgres_database(POSTGRES_ADMIN_URL, url)
        _migration_database_made.append(True)
    return url


async def _inspect(url: str, fn: Callable[[Connection], T]) -> T:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(fn)
    finally:
        await engine.dispose()


def _differences(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _constraint_names(conn: Connection) -> dict[str, set[str | None]]:
    inspector = inspect(conn)
    return {
        table: {
            inspector.get_pk_constraint(table)["name"],
            *(fk["name"] for fk in inspector.get_foreign_keys(table)),
            *(uq["name"] for uq in inspector.get_unique_constraints(table)),
            *(ix["name"] for ix in inspector.get_indexes(table)),
        }
        for table in Base.metadata.tables
    }


def _model_constraint_names() -> dict[str, set[str | None]]:
    return {
        name: {
            *(str(constraint.name) for constraint in table.constraints),
            *(str(index.name) for index in table.indexes),
        }
        for name, table in Base.metadata.tables.items()
    }


async def test_upgrade_builds_exactly_the_models_schema(empty_database_url: str) -> None:
    await upgrade_database(empty_database_url)

    assert await _inspect(empty_database_url, _differences) == []
    tables = await _inspect(empty_database_url, _table_names)
    assert tables == {"alembic_version", *Base.metadata.tables}
    assert {"staff_users", "shifts", "conversation_records", "registrations"} <= tables
    assert await _inspect(empty_database_url, _revision) == _head()


async def test_constraints_are_named_by_the_naming_convention(empty_database_url: str) -> None:
    await upgrade_database(empty_database_url)

    assert await _inspect(empty_database_url, _constraint_names) == _model_constraint_names()


async def test_upgrading_twice_changes_nothing_and_keeps_data(empty_database_url: str) -> None:
    await upgrade_database(empty_database_url)
    await _add_staff_user(empty_database_url)

    await upgrade_database(empty_database_url)

    assert await _inspect(empty_database_url, _differences) == []
    assert await _inspect(empty_database_url, _revision) == _head()
    assert await _staff_usernames(empty_database_url) == ["anna"]


async def test_downgrade_to_base_and_back(empty_database_url: str) -> None:
    await upgrade_database(empty_database_url)

    await _inspect(empty_database_url, _downgrade_to_base)
    assert await _inspect(empty_database_url, _table_names) == {"alembic_version"}

    await upgrade_database(empty_database_url)
    assert await _inspect(empty_database_url, _differences) == []


@pytest.mark.parametrize("db_backend", ["postgres"])
async def test_concurrent_upgrades_take_turns(empty_database_url: str) -> None:
    # Several server processes starting at once each run the upgrade on start-up.
    await asyncio.gather(*(upgrade_database(empty_database_url) for _ in range(3)))

    assert await _inspect(empty_database_url, _differences) == []


def _downgrade_to_base(conn: Connection) -> None:
    command.downgrade(alembic_config(conn), "base")
    conn.commit()


async def _add_staff_user(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(StaffUser).values(
                    username="anna",
                    display_name="Anna",
                    password_hash="x",
                    role="expert",
                    focus="victim",
                    capacity=2,
                    cooldown_s=0,
                    active=True,
                    created_at=dt.datetime.now(dt.UTC),
                )
            )
    finally:
        await engine.dispose()


async def _staff_usernames(url: str) -> list[str]:
    def usernames(conn: Connection) -> list[str]:
        return list(conn.execute(select(StaffUser.username)).scalars())

    return await _inspect(url, usernames)
