"""The ``nabij`` command line, run in-process on a temporary SQLite file."""

from __future__ import annotations

import datetime as dt
import io
import stat
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from chatserver.cli import main
from staffing.audit import list_changes
from staffing.experts import authenticate, count_staff, get_staff_by_username
from staffing.models import Shift
from staffing.shifts import list_shifts
from tests.clihelp import ADD_ANNA, PASSWORD, in_db, run

AMS = ZoneInfo("Europe/Amsterdam")


class TerminalStdin(io.StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def staff_count(url: str) -> int:
    """Return how many staff accounts exist."""
    return in_db(url, count_staff)


def shifts_of_2026(url: str) -> list[Shift]:
    """Return every shift in 2026."""
    start, end = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    return in_db(url, lambda session: list_shifts(session, start, end))


def test_db_upgrade_with_zero_configuration(
    cli_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, "db", "upgrade") == 0
    assert "up to date" in capsys.readouterr().out
    key_file = tmp_path / "var" / "secret_key"
    assert len(key_file.read_text().strip()) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert staff_count(cli_database_url) == 0
    assert run(monkeypatch, "db", "upgrade") == 0  # again: a no-op


def test_user_add_reads_one_line_of_stdin(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    argv = [*ADD_ANNA, "--focus", "victim,relative", "--capacity", "3", "--cooldown", "60"]
    argv += ["--languages", "en,nl"]
    assert run(monkeypatch, *argv, stdin=f"{PASSWORD}\nnot part of it\n") == 0
    assert "Created expert 'anna' (Anna)" in capsys.readouterr().out
    anna = in_db(cli_database_url, lambda session: authenticate(session, "anna", PASSWORD))
    assert anna is not None
    assert (anna.focus, anna.capacity, anna.cooldown_s) == ("victim,relative", 3, 60)
    assert anna.languages == "nl,en"
    changes = in_db(cli_database_url, list_changes)
    assert [(entry.action, actor) for entry, actor in changes] == [("user.add", None)]
    assert run(monkeypatch, "user", "list") == 0
    listing = capsys.readouterr().out
    assert "anna" in listing and "victim,relative" in listing
    assert PASSWORD not in listing


def test_capacity_defaults_to_the_setting(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NABIJ_DEFAULT_CAPACITY", "4")
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 0
    anna = in_db(cli_database_url, lambda session: get_staff_by_username(session, "anna"))
    assert anna is not None and anna.capacity == 4


@pytest.mark.parametrize(
    ("extra", "stdin", "field"),
    [
        (["--role", "boss"], PASSWORD, "--role"),
        (["--focus", "victim,aliens"], PASSWORD, "--focus"),
        (["--capacity", "0"], PASSWORD, "--capacity"),
        (["--cooldown", "-5"], PASSWORD, "--cooldown"),
        (["--username", "Anna Smit"], PASSWORD, "--username"),
        (["--display-name", " "], PASSWORD, "--display-name"),
        ([], "", "password"),  # no password at all
        ([], "short\n", "password"),
    ],
)
def test_user_add_refuses_bad_input_and_creates_nothing(
    cli_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    extra: list[str],
    stdin: str,
    field: str,
) -> None:
    assert run(monkeypatch, *ADD_ANNA, *extra, stdin=stdin) == 1
    errors = capsys.readouterr().err
    assert f"nabij: {field}: " in errors
    assert PASSWORD not in errors
    assert staff_count(cli_database_url) == 0


def test_duplicate_username_is_refused(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 0
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 1
    assert "nabij: --username: This username is already taken." in capsys.readouterr().err
    assert staff_count(cli_database_url) == 1


def test_password_is_never_an_argument(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(monkeypatch, *ADD_ANNA, "--password", PASSWORD)
    assert exited.value.code == 2


@pytest.mark.parametrize(("second", "status"), [(PASSWORD, 0), (PASSWORD + "!", 1)])
def test_terminal_asks_twice_and_requires_a_match(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any, second: str, status: int
) -> None:
    assert run(monkeypatch, "db", "upgrade") == 0
    answers = iter([PASSWORD, second])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", TerminalStdin())
    assert main(ADD_ANNA) == status
    assert staff_count(cli_database_url) == (1 if status == 0 else 0)
    if status:
        assert "nabij: password: The two passwords are not the same." in capsys.readouterr().err


def test_settings_error_exits_2(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("NABIJ_PORT", "eighty")
    assert run(monkeypatch, "user", "list") == 2
    assert capsys.readouterr().err.startswith("nabij: NABIJ_PORT is invalid")


def test_shift_add_in_local_time_across_the_dst_night(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 0
    argv = ["shift", "add", "--user", "anna", "--start", "2026-03-28T22:00"]
    assert run(monkeypatch, *argv, "--end", "2026-03-29T06:00") == 0
    out = capsys.readouterr().out
    assert "Sat 2026-03-28 22:00 - Sun 2026-03-29 06:00  anna (Anna)" in out
    [shift] = shifts_of_2026(cli_database_url)
    assert shift.starts_at == dt.datetime(2026, 3, 28, 21, tzinfo=dt.UTC)
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=7)
    assert run(monkeypatch, "shift", "list", "--from", "2026-03-29", "--to", "2026-03-29") == 0
    assert "22:00 - Sun 2026-03-29 06:00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("user", "start", "end", "field"),
    [
        ("anna", "tonight", "2026-06-01T22:00", "--start"),
        ("anna", "2026-06-01T18:00", "2026-06-01T17:00", "--end"),
        ("anna", "2026-06-01T19:00", "2026-06-01T21:00", "--start"),  # overlaps
        ("nobody", "2026-06-02T18:00", "2026-06-02T22:00", "--user"),
    ],
)
def test_shift_add_refuses_bad_input(
    cli_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    user: str,
    start: str,
    end: str,
    field: str,
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 0
    shift = ["shift", "add", "--user", "anna", "--start", "2026-06-01T18:00"]
    assert run(monkeypatch, *shift, "--end", "2026-06-01T20:00") == 0
    capsys.readouterr()
    assert run(monkeypatch, "shift", "add", "--user", user, "--start", start, "--end", end) == 1
    assert f"nabij: {field}: " in capsys.readouterr().err
    assert len(shifts_of_2026(cli_database_url)) == 1


def test_shift_list_defaults_to_today_and_the_next_seven_days(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 0
    today = dt.datetime.now(AMS).date()
    for days in (0, 7, 8):
        day = (today + dt.timedelta(days=days)).isoformat()
        argv = ["shift", "add", "--user", "anna", "--start", f"{day}T12:00"]
        assert run(monkeypatch, *argv, "--end", f"{day}T13:00") == 0
    capsys.readouterr()
    assert run(monkeypatch, "shift", "list") == 0
    out = capsys.readouterr().out
    assert f"Shifts from {today} to {today + dt.timedelta(days=7)} (Europe/Amsterdam)" in out
    assert f"{today} 12:00 - 13:00" in out
    assert f"{today + dt.timedelta(days=7)} 12:00" in out
    assert f"{today + dt.timedelta(days=8)}" not in out


@pytest.mark.parametrize(
    "argv", [["--from", "next week"], ["--from", "2026-06-02", "--to", "2026-06-01"]]
)
def test_shift_list_refuses_bad_days(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any, argv: list[str]
) -> None:
    assert run(monkeypatch, "shift", "list", *argv) == 1
    assert "nabij: --" in capsys.readouterr().err


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the app factory and ``run_app``; return the recorded ``run_app`` calls."""
    from chatserver import runtime

    calls: list[dict[str, Any]] = []
    built: list[Any] = []

    def create_app(settings: Any) -> web.Application:
        built.append(settings)
        return web.Application()

    monkeypatch.setattr(runtime, "create_app", create_app)
    monkeypatch.setattr(runtime.gc, "set_threshold", lambda *args: None)

    def run_app(app: web.Application, **kwargs: Any) -> None:
        calls.append({"settings": built[-1], **kwargs})
        if kwargs["print"] is not None:  # aiohttp calls it once the sites listen
            kwargs["print"]("======== Running on http://127.0.0.1 ========")

    monkeypatch.setattr(web, "run_app", run_app)
    return calls


def test_serve_upgrades_and_explains_the_first_step(
    cli_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    fake_server: list[dict[str, Any]],
) -> None:
    assert run(monkeypatch, "serve", "--port", "8099") == 0
    out = capsys.readouterr().out
    assert "Nabij is running at http://localhost:8099/" in out
    assert "listening on 127.0.0.1:8099" in out
    assert "user add --username anna" in out and "--role coordinator" in out
    [call] = fake_server
    assert (call["host"], call["port"]) == ("127.0.0.1", 8099)
    assert callable(call["print"])  # our announcement, not aiohttp's banner
    assert call["access_log"] is None  # aiohttp's access log would record IPs and user agents
    assert call["settings"].database_url == cli_database_url
    assert call["settings"].public_url == "http://localhost:8099"  # follows --port
    assert staff_count(cli_database_url) == 0  # the schema exists now


def test_serve_without_hint_once_staff_exists(
    cli_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    fake_server: list[dict[str, Any]],
) -> None:
    assert run(monkeypatch, *ADD_ANNA, stdin=PASSWORD) == 0
    assert run(monkeypatch, "serve", "--host", "0.0.0.0") == 0  # noqa: S104 - not bound
    out = capsys.readouterr().out
    assert "Nabij is running at http://localhost:8080/" in out
    assert "listening on 0.0.0.0:8080" in out
    assert "--role coordinator" not in out
