"""Running the ``nabij`` command line in-process, for the command line test modules."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.cli import main
from nabij.db import create_engine, make_sessionmaker

T = TypeVar("T")
PASSWORD = "a long enough password"
ADD_ANNA = ["user", "add", "--username", "anna", "--display-name", "Anna", "--role", "expert"]


def run(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    """Run ``nabij argv`` with ``stdin`` as a pipe."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(list(argv))


def in_db(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction on ``url``."""

    async def go() -> T:
        engine = create_engine(url)
        try:
            async with make_sessionmaker(engine).begin() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())
