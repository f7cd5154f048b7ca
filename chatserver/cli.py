"""The ``nabij`` command: serve, upgrade the database, manage staff accounts and shifts.

Each command is a small function that calls the domain functions. Passwords are read
from standard input or the terminal, never from arguments (they would show in ``ps``
and in shell history).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from chatserver.clihints import first_coordinator_hint, invocation, port_in_use_hint
from chatserver.clilive import MEMORY_STORE_NOTE, reaches_live_state, sign_out_everywhere
from nabij.db import create_engine, make_sessionmaker
from nabij.settings import Settings, SettingsError, load_settings, local_secret_key
from staffing.audit import record_change
from staffing.experts import (
    StaffInputError,
    count_staff,
    create_staff_user,
    get_staff_by_username,
    list_staff,
    set_staff_active,
)
from staffing.models import Shift, StaffUser
from staffing.sessions import login_session_hashes
from staffing.shifts import (
    ShiftInputError,
    add_shift,
    delete_shift,
    list_shifts,
    parse_local_datetime,
)

T = TypeVar("T")
Command = Callable[[argparse.Namespace, Settings], int]

VAR_DIR = Path("var")
DEFAULT_LIST_DAYS = 7
# Domain field names shown as the options the user typed.
OPTION_NAMES = {
    "username": "--username",
    "display_name": "--display-name",
    "role": "--role",
    "focus": "--focus",
    "capacity": "--capacity",
    "cooldown_s": "--cooldown",
    "starts_at": "--start",
    "ends_at": "--end",
    "user_id": "--user",
}


class InputError(Exception):
    """Command-line input was refused; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def main(argv: list[str] | None = None) -> int:
    """Run the ``nabij`` command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = _load_settings()
    except SettingsError as exc:
        return _fail(str(exc), 2)
    command: Command = args.command
    try:
        return command(args, settings)
    except (InputError, StaffInputError, ShiftInputError) as exc:
        return _input_errors(exc.errors)
    except (OSError, SQLAlchemyError) as exc:
        # Only the first line: SQLAlchemy appends the statement and its parameters.
        return _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 1)


def _load_settings() -> Settings:
    env = dict(os.environ)
    if not env.get("NABIJ_SECRET_KEY", "").strip():
        try:
            env["NABIJ_SECRET_KEY"] = local_secret_key(VAR_DIR)
        except OSError as exc:
            raise SettingsError(f"NABIJ_SECRET_KEY is not set and {exc}") from None
    return load_settings(env)


def _fail(message: str, status: int) -> int:
    print(f"nabij: {message}", file=sys.stderr)
    return status


def _input_errors(errors: dict[str, str]) -> int:
    for field, message in errors.items():
        print(f"nabij: {OPTION_NAMES.get(field, field)}: {message}", file=sys.stderr)
    return 1


# -- parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="nabij", description="Nabij chat service.")
    commands = parser.add_subparsers(metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help="run the chat server")
    serve.add_argument("--host", help="address to listen on (default: NABIJ_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default: NABIJ_PORT)")
    serve.set_defaults(command=cmd_serve)
    db = commands.add_parser("db", help="database maintenance").add_subparsers(
        metavar="ACTION", required=True
    )
    db.add_parser("upgrade", help="bring the database to the newest schema").set_defaults(
        command=cmd_db_upgrade
    )
    _add_user_parsers(commands.add_parser("user", help="staff accounts"))
    _add_shift_parsers(commands.add_parser("shift", help="chat shifts"))
    return parser


def _add_user_parsers(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="create a staff account (password from stdin or prompted twice)"
    )
    add.add_argument("--username", required=True)
    add.add_argument("--display-name", required=True, help="the only name visitors see")
    add.add_argument("--role", required=True, help="expert, coordinator or admin")
    add.add_argument("--focus", default="", help="comma-separated, e.g. victim,relative")
    add.add_argument(
        "--capacity", type=int, help="concurrent chats (default: NABIJ_DEFAULT_CAPACITY)"
    )
    add.add_argument("--cooldown", type=int, default=0, help="seconds of rest after each chat")
    add.add_argument("--languages", default="nl", help="comma-separated, e.g. nl,en")
    add.set_defaults(command=cmd_user_add)
    actions.add_parser("list", help="list staff accounts").set_defaults(command=cmd_user_list)
    deactivate = actions.add_parser(
        "deactivate", help="deactivate an account: signed out everywhere, chats handed on"
    )
    deactivate.add_argument("username")
    deactivate.set_defaults(command=cmd_user_deactivate)


def _add_shift_parsers(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="plan a shift (times are local unless they have an offset)"
    )
    add.add_argument("--user", required=True, help="username")
    add.add_argument("--start", required=True, help="e.g. 2026-03-29T18:00")
    add.add_argument("--end", required=True, help="e.g. 2026-03-29T22:00")
    add.set_defaults(command=cmd_shift_add)
    show = actions.add_parser("list", help="list shifts (default: today and the next 7 days)")
    show.add_argument("--from", dest="first", help="first day, YYYY-MM-DD")
    show.add_argument("--to", dest="last", help="last day, YYYY-MM-DD")
    show.set_defaults(command=cmd_shift_list)
    remove = actions.add_parser("remove", help="remove a shift (its id: see shift list)")
    remove.add_argument("shift_id", type=int, metavar="ID")
    remove.set_defaults(command=cmd_shift_remove)


# -- database ----------------------------------------------------------------------------


def _run_in_db(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Upgrade the schema, then run ``work`` in one transaction (rolled back if it raises)."""
    return asyncio.run(_in_db(settings, work))


async def _in_db(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from nabij.migrate import upgrade_database

    await upgrade_database(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            return await work(session)
    finally:
        await engine.dispose()


# -- commands ----------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the database, then serve until interrupted."""
    from chatserver.runtime import serve

    host: str = args.host or settings.host
    port: int = args.port or settings.port
    if "NABIJ_PUBLIC_URL" not in os.environ:
        # The development default follows --port, so the console's origin checks match
        # the address printed here.
        settings = settings.replace(public_url=f"http://localhost:{port}")
    staff = _run_in_db(settings, count_staff)
    shown_host = f"[{host}]" if ":" in host else host

    def announce(_aiohttp_message: str) -> None:
        """Say where to go, once the port is really ours (aiohttp calls it then)."""
        print(f"Nabij is running at {settings.public_url.rstrip('/')}/", flush=True)
        if f"{shown_host}:{port}" not in settings.public_url:
            print(f"(listening on {shown_host}:{port})", flush=True)
        if staff == 0:
            print(first_coordinator_hint(), flush=True)

    try:
        serve(settings, host, port, announce)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        return _fail(port_in_use_hint(f"{shown_host}:{port}", port), 1)
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the database to the newest schema."""
    from nabij.migrate import upgrade_database

    asyncio.run(upgrade_database(settings.database_url))
    print("The database is up to date.")
    return 0


def cmd_user_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create a staff account; the password comes from stdin or the terminal."""
    password = _read_password()

    async def work(session: AsyncSession) -> StaffUser:
        user = await create_staff_user(
            session,
            username=args.username,
            display_name=args.display_name,
            password=password,
            role=args.role,
            focus=args.focus,
            capacity=settings.default_capacity if args.capacity is None else args.capacity,
            cooldown_s=args.cooldown,
            languages=args.languages,
        )
        await record_change(session, None, "user.add", f"user:{user.id}", role=user.role)
        return user

    user = _run_in_db(settings, work)
    print(f"Created {user.role} {user.username!r} ({user.display_name}) with id {user.id}.")
    return 0


def _read_password() -> str:
    """Read ONE line from a pipe, or ask twice on a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise InputError({"password": "The two passwords are not the same."})
    return first


def cmd_user_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every staff account."""
    users = _run_in_db(settings, list_staff)
    if not users:
        print(first_coordinator_hint())
        return 0
    print(f"{'ID':>4}  {'USERNAME':<20} {'DISPLAY NAME':<20} {'ROLE':<11} CAP COOL  FOCUS")
    for user in users:
        print(_user_line(user))
    return 0


def _user_line(user: StaffUser) -> str:
    focus = user.focus or "-"
    inactive = "" if user.active else "  (inactive)"
    return (
        f"{user.id:>4}  {user.username:<20} {user.display_name:<20} {user.role:<11} "
        f"{user.capacity:>3} {user.cooldown_s:>4}  {focus}{inactive}"
    )


def cmd_user_deactivate(args: argparse.Namespace, settings: Settings) -> int:
    """Deactivate an account as the console does: audit entry, sessions ended, chats on.

    Again on a deactivated account it ends the sessions and the live part again (as the
    console's button does), so a run whose live part failed can simply be repeated.
    """

    async def work(session: AsyncSession) -> tuple[StaffUser, bool, list[str]]:
        user = await get_staff_by_username(session, args.username.strip())
        if user is None:
            raise InputError({"USERNAME": _no_such_user(args.username)})
        was_active, hashes = user.active, await login_session_hashes(session, user.id)
        await set_staff_active(session, user.id, False)
        if was_active:
            await record_change(session, None, "user.deactivate", f"user:{user.id}")
        return user, was_active, hashes

    user, was_active, hashes = _run_in_db(settings, work)
    name = f"{user.username!r} ({user.display_name})"
    if reaches_live_state(settings):
        try:
            asyncio.run(sign_out_everywhere(settings, user.id, hashes))
        except (RedisError, OSError) as exc:
            return _fail(
                f"{name} is deactivated, but the live state ({type(exc).__name__}) "
                "could not be reached; run this command again to end its open consoles.",
                1,
            )
    done = "Deactivated" if was_active else "Already deactivated:"
    print(f"{done} {name}; signed out everywhere.")
    if not reaches_live_state(settings):
        print(MEMORY_STORE_NOTE)
    return 0


def _no_such_user(username: str) -> str:
    return f"There is no staff member {username!r}; {invocation()} user list shows them."


def cmd_shift_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove one shift by id, as the console's delete does (with an audit entry)."""
    tz = settings.timezone

    async def work(session: AsyncSession) -> str:
        shift = await session.get(Shift, args.shift_id)
        if shift is None:
            raise InputError({"ID": _no_such_shift(args.shift_id)})
        line = _shift_line(shift, await session.get_one(StaffUser, shift.user_id), tz)
        details = {
            "user_id": shift.user_id,
            "starts_at": shift.starts_at.isoformat(),
            "ends_at": shift.ends_at.isoformat(),
        }
        await delete_shift(session, shift.id)
        await record_change(session, None, "shift.delete", f"shift:{args.shift_id}", **details)
        return line

    print(f"Removed shift ({tz.key}):\n{_run_in_db(settings, work)}")
    return 0


def _no_such_shift(shift_id: int) -> str:
    return f"There is no shift {shift_id}; {invocation()} shift list shows their ids."


def cmd_shift_add(args: argparse.Namespace, settings: Settings) -> int:
    """Plan one shift from local (or offset) start and end times."""
    tz = settings.timezone
    starts_at, ends_at = _parse_times(args.start, args.end, tz)

    async def work(session: AsyncSession) -> str:
        user = await get_staff_by_username(session, args.user.strip())
        if user is None:
            raise InputError({"--user": _no_such_user(args.user)})
        shift = await add_shift(session, user_id=user.id, starts_at=starts_at, ends_at=ends_at)
        details = {"user_id": user.id, "starts_at": starts_at, "ends_at": ends_at}
        await record_change(session, None, "shift.add", f"shift:{shift.id}", **details)
        return _shift_line(shift, user, tz)

    print(f"Added shift ({tz.key}):\n{_run_in_db(settings, work)}")
    return 0


def _parse_times(start: str, end: str, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    errors: dict[str, str] = {}
    parsed: dict[str, dt.datetime] = {}
    for option, text in (("--start", start), ("--end", end)):
        try:
            parsed[option] = parse_local_datetime(text, tz)
        except ValueError as exc:
            errors[option] = str(exc)
    if errors:
        raise InputError(errors)
    return parsed["--start"], parsed["--end"]


def _shift_line(shift: Shift, user: StaffUser, tz: ZoneInfo) -> str:
    start = shift.starts_at.astimezone(tz)
    end = shift.ends_at.astimezone(tz)
    end_format = "%H:%M" if end.date() == start.date() else "%a %Y-%m-%d %H:%M"
    inactive = "" if user.active else " (inactive)"
    return (
        f"{shift.id:>5}  {start:%a %Y-%m-%d %H:%M} - {end.strftime(end_format)}  "
        f"{user.username} ({user.display_name}){inactive}"
    )


def cmd_shift_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the shifts of a range of local days."""
    tz = settings.timezone
    first, last = _day_range(args.first, args.last, tz)

    async def work(session: AsyncSession) -> list[str]:
        shifts = await list_shifts(
            session, _local_midnight(first, tz), _local_midnight(last, tz, 1)
        )
        return [_shift_line(shift, shift.user, tz) for shift in shifts]

    lines = _run_in_db(settings, work)
    print(f"Shifts from {first} to {last} ({tz.key}):")
    print("\n".join(lines) if lines else "  none")
    return 0


def _day_range(first: str | None, last: str | None, tz: ZoneInfo) -> tuple[dt.date, dt.date]:
    errors: dict[str, str] = {}
    start = _parse_day(first, "--from", errors) or dt.datetime.now(tz).date()
    end = _parse_day(last, "--to", errors) or start + dt.timedelta(days=DEFAULT_LIST_DAYS)
    if not errors and end < start:
        errors["--to"] = "The last day cannot be before the first day."
    if errors:
        raise InputError(errors)
    return start, end


def _parse_day(text: str | None, option: str, errors: dict[str, str]) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors[option] = f"{text!r} is not a date; write it as YYYY-MM-DD."
        return None


def _local_midnight(day: dt.date, tz: ZoneInfo, days_later: int = 0) -> dt.datetime:
    local = dt.datetime.combine(day + dt.timedelta(days=days_later), dt.time(), tzinfo=tz)
    return local.astimezone(dt.UTC)
