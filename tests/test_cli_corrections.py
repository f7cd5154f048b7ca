"""``nabij shift remove`` and ``nabij user deactivate``: the console's effects from a shell.

The deactivation runs against a live server (both stacks): the account is inactive, its
sessions are gone and the audit log has the entry. With Redis the command reaches the
server's sockets as the console does (the console is told and refused, the chat goes back
to the queue); with the live state in memory it cannot, and says so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from chatserver.cli import main
from chatserver.keys import db_key, settings_key
from staffing.audit import list_changes
from staffing.experts import get_staff_by_username
from staffing.sessions import login_session_hashes
from staffing.shifts import list_shifts
from tests.clihelp import ADD_ANNA, PASSWORD, in_db, run
from tests.harness import Nabij, unused_port
from tests.processes import stamp_schema
from tests.staffchanges import WITHIN_S, closed


def test_shift_remove_deletes_it_and_logs_it(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD + "\n") == 0
    day = dt.datetime.now(dt.UTC).astimezone().date().isoformat()
    add = ["shift", "add", "--user", "anna", "--start", f"{day}T19:00", "--end", f"{day}T22:00"]
    assert run(monkeypatch, *add) == 0
    [shift] = in_db(cli_database_url, _all_shifts)
    capsys.readouterr()

    assert run(monkeypatch, "shift", "remove", str(shift.id)) == 0
    assert "Removed shift" in capsys.readouterr().out
    assert in_db(cli_database_url, _all_shifts) == []
    [(entry, _actor), *_] = in_db(cli_database_url, lambda s: list_changes(s))
    assert (entry.action, entry.subject) == ("shift.delete", f"shift:{shift.id}")


def test_shift_remove_of_an_unknown_id_changes_nothing_and_says_where_ids_are(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, "shift", "remove", "4711") == 1
    err = capsys.readouterr().err
    assert "There is no shift 4711" in err and "shift list shows their ids" in err
    assert in_db(cli_database_url, lambda s: list_changes(s)) == []


def test_user_deactivate_again_repeats_it_and_an_unknown_name_is_refused(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD + "\n") == 0
    assert run(monkeypatch, "user", "deactivate", "anna") == 0
    assert run(monkeypatch, "user", "deactivate", "anna") == 0  # a failed live part: again
    assert "Already deactivated" in capsys.readouterr().out
    entries = in_db(cli_database_url, lambda s: list_changes(s))
    assert [e.action for e, _ in entries] == ["user.deactivate", "user.add"]  # logged once
    assert run(monkeypatch, "user", "deactivate", "nobody") == 1
    assert "user list shows them" in capsys.readouterr().err


async def _all_shifts(session: Any) -> list[Any]:
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return await list_shifts(session, start, start + dt.timedelta(days=365 * 100))


def _cli_env(nabij: Nabij, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The command's environment: the running server's database and live store."""
    settings = nabij.app[settings_key]
    for name in list(os.environ):
        if name.startswith("NABIJ_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NABIJ_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("NABIJ_SECRET_KEY", settings.secret_key.reveal())
    if settings.redis_url:
        monkeypatch.setenv("NABIJ_REDIS_URL", settings.redis_url)
        monkeypatch.setenv("NABIJ_REDIS_PREFIX", settings.redis_prefix)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


async def test_user_deactivate_as_the_console_does(
    nabij: Nabij, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    await nabij.add_expert("anna", capacity=1)
    console = await nabij.staff("anna")
    visitor = await nabij.visitor()
    assert (await visitor.call("chat:request", {"audience": "victim"}))["ok"]
    await console.next("chat:assigned")
    _cli_env(nabij, monkeypatch, tmp_path)
    await stamp_schema(nabij.app[settings_key].database_url)  # made by the fixture, not Alembic

    assert await asyncio.to_thread(main, ["user", "deactivate", "anna"]) == 0

    out = capsys.readouterr().out
    async with nabij.app[db_key]() as session:
        anna = await get_staff_by_username(session, "anna")
        assert anna is not None and not anna.active
        assert await login_session_hashes(session, anna.id) == []
        [(entry, actor), *_] = await list_changes(session)
    assert (entry.action, entry.subject, actor) == ("user.deactivate", f"user:{anna.id}", None)
    # With Redis the command reaches the servers; in memory the server finds it itself.
    assert (await console.next("session:ended", WITHIN_S))["reason"] == "deactivated"
    await closed(console)
    assert (await visitor.next("chat:queued", WITHIN_S))["position"] == 1
    memory_note = "the server itself signs this account's open consoles out"
    assert (memory_note in out) is not bool(nabij.app[settings_key].redis_url)


def test_user_deactivate_with_redis_down_says_so_and_can_be_repeated(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD + "\n") == 0
    monkeypatch.setenv("NABIJ_REDIS_URL", f"redis://127.0.0.1:{unused_port()}/0")
    assert run(monkeypatch, "user", "deactivate", "anna") == 1
    err = capsys.readouterr().err
    assert "is deactivated, but the live state" in err and "run this command again" in err
    assert "Traceback" not in err
    anna = in_db(cli_database_url, lambda s: get_staff_by_username(s, "anna"))
    assert anna is not None and not anna.active
