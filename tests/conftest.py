"""Shared fixtures: databases (SQLite and PostgreSQL) and live stores (memory and Redis)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

import chatserver.messagebox.models  # noqa: F401 - registers tables
import registration.models  # noqa: F401 - registers tables
import staffing.models  # noqa: F401 - registers tables
from chatserver.live.memory import MemoryLiveStore
from chatserver.live.redis import RedisLiveStore
from chatserver.live.store import LiveStore
from nabij.db import Base, create_engine, make_sessionmaker
from staffing import passwords
from tests.livestore import drop_prefix
from tests.services import POSTGRES_ADMIN_URL, REDIS_URL, require

pytest_plugins = ["tests.harness", "tests.browser"]

TEST_DB_NAME = f"nabij_test_{os.getpid()}"


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the real ones take half a second per hash on this machine.

    Tests marked ``real_hashing`` keep the production hasher.
    """
    if request.node.get_closest_marker("real_hashing") is None:
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        monkeypatch.setattr(passwords, "_HASHER", cheap)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of this run's own PostgreSQL database (created once, schema made once)."""
    return str(make_url(POSTGRES_ADMIN_URL).set(database=TEST_DB_NAME))


async def _create_postgres_database(url: str) -> None:
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{TEST_DB_NAME}"'))
    await admin.dispose()
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()


_postgres_ready: list[bool] = []


async def _postgres_database(postgres_url: str) -> str:
    require("postgres")
    if not _postgres_ready:
        await _create_postgres_database(postgres_url)
        _postgres_ready.append(True)
    engine = create_async_engine(postgres_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    return postgres_url


async def _sqlite_database(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nabij.sqlite3'}"
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    """Which database a test runs on; tests using it run on both."""
    return str(request.param)


@pytest.fixture
async def database_url(db_backend: str, tmp_path: Path, postgres_url: str) -> str:
    """A fresh, empty database with the current schema."""
    if db_backend == "postgres":
        return await _postgres_database(postgres_url)
    return await _sqlite_database(tmp_path)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the fresh database."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[Any]:
    """Sessions on the fresh database; one ``async with maker.begin()`` per unit of work."""
    return make_sessionmaker(engine)


@pytest.fixture
def redis_url() -> str:
    """Redis for tests (database 15); keys are isolated by ``redis_prefix``."""
    require("redis")
    return REDIS_URL


@pytest.fixture
def redis_prefix() -> str:
    """A random key prefix per test, so tests never see each other's keys."""
    return f"nabij-test:{secrets.token_hex(6)}:"


@pytest.fixture(params=["sqlite+memory", "postgres+redis"])
async def stack(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str
) -> dict[str, str | None]:
    """The two supported combinations: the embedded default and the production one."""
    if request.param == "postgres+redis":
        require("redis")
        return {"database_url": await _postgres_database(postgres_url), "redis_url": REDIS_URL}
    return {"database_url": await _sqlite_database(tmp_path), "redis_url": None}


@pytest.fixture
def cli_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """For the command line: zero configuration but a SQLite file, run in a fresh folder."""
    for name in list(os.environ):
        if name.startswith("NABIJ_"):
            monkeypatch.delenv(name)
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("NABIJ_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[LiveStore]:
    """A fresh, empty live store of each kind."""
    if request.param == "memory":
        yield MemoryLiveStore()
        return
    url: str = request.getfixturevalue("redis_url")
    prefix: str = request.getfixturevalue("redis_prefix")
    redis_store = RedisLiveStore.from_url(url, prefix)
    try:
        yield redis_store
    finally:
        await drop_prefix(url, prefix)
        await redis_store.close()
