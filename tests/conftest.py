"""Shared fixtures: databases (SQLite and PostgreSQL) and live stores (memory and Redis)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

import chatserver.messagebox.models  # noqa: F401 - registers tables
import registration.models  # noqa: F401 - registers tables
import staffing.models  # noqa: F401 - registers tables
from chatserver.live.memory import MemoryLiveStore
from chatserver.live.redis import RedisLiveStore
from chatserver.live.store import LiveStore
from nabij.db import create_engine, make_sessionmaker
from staffing import passwords
from tests.databases import (
    SqliteTemplate,
    create_postgres_database,
    drop_made,
    empty_postgres_database,
)
from tests.livestore import drop_prefix
from tests.services import POSTGRES_ADMIN_URL, REDIS_URL, require

pytest_plugins = ["tests.harness", "tests.browser"]

TEST_DB_NAME = f"nabij_test_{os.getpid()}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist the ``faults`` tests run one after another on a single worker.

    They kill and restart processes of their own and bound how soon a death is noticed;
    two of them at once on two cores would test the machine rather than the code. The
    group needs ``--dist loadgroup`` (pyproject.toml's addopts); without xdist it is inert.
    """
    for item in items:
        if item.get_closest_marker("faults") is not None:
            item.add_marker(pytest.mark.xdist_group("faults"))


def pytest_sessionfinish() -> None:
    """Drop the PostgreSQL databases this run (this xdist worker) made.

    Here rather than in a fixture: ``DROP DATABASE`` waits for a checkpoint, slow when the
    server is busy, and no test's timeout should pay for it.
    """
    drop_made()


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
    """URL of this run's own PostgreSQL database (created once, schema made once).

    Under pytest-xdist each worker is its own process, so each has its own database. It is
    dropped when the run ends (``pytest_sessionfinish``).
    """
    return str(make_url(POSTGRES_ADMIN_URL).set(database=TEST_DB_NAME))


_postgres_ready: list[bool] = []
_sqlite_template = SqliteTemplate()


@pytest.fixture(scope="session", autouse=True)
def _remove_sqlite_template() -> Iterator[None]:
    """The SQLite template lives for the run (one per xdist worker)."""
    yield
    _sqlite_template.close()


async def _postgres_database(postgres_url: str) -> str:
    require("postgres")
    if not _postgres_ready:
        await create_postgres_database(POSTGRES_ADMIN_URL, postgres_url)
        _postgres_ready.append(True)
    else:
        await empty_postgres_database(postgres_url)
    return postgres_url


async def _sqlite_database(tmp_path: Path) -> str:
    return await _sqlite_template.copy_to(tmp_path / "nabij.sqlite3")


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
