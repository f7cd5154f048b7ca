"""Staff accounts: creating, finding and authenticating experts, coordinators and admins."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from nabij.vocab import FOCUS_CODES, LANGUAGES, ROLES
from staffing.models import StaffUser
from staffing.passwords import hash_password, needs_rehash, password_problem, verify_password
from staffing.rosterversion import roster_written
from staffing.sessions import end_all_login_sessions

logger = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"[a-z0-9._-]{3,64}")
MAX_DISPLAY_NAME = 64
CAPACITY_RANGE = range(1, 11)
COOLDOWN_RANGE = range(3601)
CAPACITY_MESSAGE = "Use a whole number of chats from 1 to 10."
COOLDOWN_MESSAGE = "Use a whole number of seconds from 0 to 3600."


class StaffInputError(ValueError):
    """Staff account input was refused; ``errors`` maps each bad field to a clear message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


async def create_staff_user(
    session: AsyncSession,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str = "expert",
    focus: Iterable[str] | str = (),
    capacity: int = 2,
    cooldown_s: int = 0,
    languages: Iterable[str] | str = ("nl",),
) -> StaffUser:
    """Create a staff account; raise StaffInputError with every field error, changing nothing.

    ``focus`` and ``languages`` are iterables of codes or comma-separated strings of codes.
    """
    username = username.strip()
    display_name = display_name.strip()
    focus_codes = _split_focus(focus)
    errors = _field_errors(username, display_name, role, focus_codes, capacity, cooldown_s)
    language_codes = _split_focus(languages)
    errors.update(_language_errors(language_codes))
    if problem := password_problem(password):
        errors["password"] = problem
    if "username" not in errors and await get_staff_by_username(session, username):
        errors["username"] = "This username is already taken."
    if errors:
        raise StaffInputError(errors)
    user = StaffUser(
        username=username,
        display_name=display_name,
        password_hash=await asyncio.to_thread(hash_password, password),
        role=role,
        focus=",".join(code for code in FOCUS_CODES if code in focus_codes),
        languages=",".join(code for code in LANGUAGES if code in language_codes),
        capacity=capacity,
        cooldown_s=cooldown_s,
        active=True,
    )
    return await _insert_user(session, user)


async def _insert_user(session: AsyncSession, user: StaffUser) -> StaffUser:
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        # Someone took the username between our check and the insert; the caller's
        # transaction rolls back when this error leaves its ``maker.begin()`` block.
        raise StaffInputError({"username": "This username is already taken."}) from None
    logger.info("staff user created: id=%s role=%s", user.id, user.role)
    return user


def _split_focus(focus: Iterable[str] | str) -> list[str]:
    if isinstance(focus, str):
        focus = focus.split(",")
    return [code.strip() for code in focus if code.strip()]


def _field_errors(
    username: str,
    display_name: str,
    role: str,
    focus: list[str],
    capacity: int,
    cooldown_s: int,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not USERNAME_RE.fullmatch(username):
        errors["username"] = "Use 3 to 64 characters: lowercase letters, digits, '.', '_' or '-'."
    if not display_name or len(display_name) > MAX_DISPLAY_NAME:
        errors["display_name"] = f"Use 1 to {MAX_DISPLAY_NAME} characters, not only spaces."
    if role not in ROLES:
        errors["role"] = f"Choose one of: {', '.join(ROLES)}."
    if unknown := sorted(set(focus) - set(FOCUS_CODES)):
        errors["focus"] = f"Unknown focus {', '.join(unknown)}; use {', '.join(FOCUS_CODES)}."
    if capacity not in CAPACITY_RANGE:
        errors["capacity"] = CAPACITY_MESSAGE
    if cooldown_s not in COOLDOWN_RANGE:
        errors["cooldown_s"] = COOLDOWN_MESSAGE
    return errors


def _language_errors(languages: list[str]) -> dict[str, str]:
    if unknown := sorted(set(languages) - set(LANGUAGES)):
        return {"languages": f"Unknown language {', '.join(unknown)}; use {', '.join(LANGUAGES)}."}
    if not languages:
        return {"languages": "Choose at least one language."}
    return {}


#: What a coordinator may change of an account (the username and password are not here).
EDITABLE = ("display_name", "role", "focus", "languages", "capacity", "cooldown_s")


@dataclass(frozen=True)
class StaffChanges:
    """The ``EDITABLE`` fields to change, typed; None leaves a field as it is."""

    display_name: str | None = None
    role: str | None = None
    focus: list[str] | None = None
    languages: list[str] | None = None
    capacity: int | None = None
    cooldown_s: int | None = None


async def update_staff_user(
    session: AsyncSession, user_id: int, changes: StaffChanges
) -> StaffUser | None:
    """Change the fields ``changes`` gives; raise StaffInputError, changing nothing.

    ``focus`` and ``languages`` are lists of codes. None: no such user.
    """
    user = await get_staff_by_id(session, user_id)
    if user is None:
        return None
    given = changes.display_name
    display_name = user.display_name if given is None else given.strip()
    role = user.role if changes.role is None else changes.role
    focus = sorted(user.focus_codes) if changes.focus is None else changes.focus
    languages = _listed(user.languages) if changes.languages is None else changes.languages
    capacity = user.capacity if changes.capacity is None else changes.capacity
    cooldown_s = user.cooldown_s if changes.cooldown_s is None else changes.cooldown_s
    errors = _field_errors(user.username, display_name, role, focus, capacity, cooldown_s)
    errors.update(_language_errors(languages))
    if errors:
        raise StaffInputError(errors)
    user.display_name, user.role = display_name, role
    user.focus = ",".join(code for code in FOCUS_CODES if code in focus)
    user.languages = ",".join(code for code in LANGUAGES if code in languages)
    user.capacity, user.cooldown_s = capacity, cooldown_s
    await session.flush()
    return user


def _listed(codes: str) -> list[str]:
    return [code for code in codes.split(",") if code]


def editable_values(user: StaffUser) -> dict[str, object]:
    """The ``EDITABLE`` fields of ``user``, as the API shows and takes them."""
    return {
        "display_name": user.display_name,
        "role": user.role,
        "focus": sorted(user.focus_codes),
        "languages": _listed(user.languages),
        "capacity": user.capacity,
        "cooldown_s": user.cooldown_s,
    }


async def get_staff_by_username(session: AsyncSession, username: str) -> StaffUser | None:
    """Return the staff user with this username, or None."""
    result = await session.execute(select(StaffUser).where(StaffUser.username == username))
    return result.scalar_one_or_none()


async def get_staff_by_id(session: AsyncSession, user_id: int) -> StaffUser | None:
    """Return the staff user with this id, or None."""
    return await session.get(StaffUser, user_id)


async def staff_by_ids(session: AsyncSession, user_ids: Collection[int]) -> dict[int, StaffUser]:
    """The accounts with these ids (active or not), by id; unknown ids are left out."""
    if not user_ids:
        return {}
    query = select(StaffUser).where(StaffUser.id.in_(list(user_ids)))
    return {user.id: user for user in (await session.execute(query)).scalars()}


async def count_staff(session: AsyncSession) -> int:
    """Return how many staff accounts exist (active or not)."""
    result = await session.execute(select(func.count()).select_from(StaffUser))
    return int(result.scalar_one())


async def list_staff(session: AsyncSession, active_only: bool = False) -> list[StaffUser]:
    """Return the staff accounts ordered by username, optionally only the active ones."""
    query = select(StaffUser).order_by(StaffUser.username)
    if active_only:
        query = query.where(StaffUser.active.is_(True))
    result = await session.execute(query)
    return list(result.scalars())


async def set_staff_active(session: AsyncSession, user_id: int, active: bool) -> StaffUser | None:
    """Activate or deactivate an account; deactivating ends all its login sessions."""
    user = await get_staff_by_id(session, user_id)
    if user is None:
        return None
    user.active = active
    roster_written(session)  # who is on shift counts active experts only
    if not active:
        await end_all_login_sessions(session, user_id)
    logger.info("staff user %s: id=%s", "activated" if active else "deactivated", user_id)
    return user


async def change_password(session: AsyncSession, user_id: int, current: str, new: str) -> StaffUser:
    """Replace a user's password after checking the current one; StaffInputError otherwise."""
    user = await get_staff_by_id(session, user_id)
    if user is None or not user.active:
        raise StaffInputError({"current_password": "This account is not active."})
    errors: dict[str, str] = {}
    if not await asyncio.to_thread(_check_password, user.password_hash, current):
        errors["current_password"] = "This is not your current password."  # noqa: S105 - a message
    if problem := password_problem(new):
        errors["new_password"] = problem
    if errors:
        raise StaffInputError(errors)
    user.password_hash = await asyncio.to_thread(hash_password, new)
    logger.info("password changed: id=%s", user_id)
    return user


async def authenticate(session: AsyncSession, username: str, password: str) -> StaffUser | None:
    """Return the active user whose password matches, else None; upgrades outdated hashes.

    An unknown username still costs one hash verification, so response times do not
    reveal which usernames exist. Hashing runs in a worker thread: argon2 takes a large
    fraction of a second and must not stall every chat on the event loop.
    """
    user = await get_staff_by_username(session, username.strip())
    stored_hash = None if user is None else user.password_hash
    matches = await asyncio.to_thread(_check_password, stored_hash, password)
    if user is None or not matches or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = await asyncio.to_thread(hash_password, password)
    return user


def _check_password(stored_hash: str | None, password: str) -> bool:
    if stored_hash is None:
        verify_password(_dummy_hash(), password)
        return False
    return verify_password(stored_hash, password)


@cache
def _dummy_hash() -> str:
    # Made once per process with the current parameters, so it costs what a real check costs.
    return hash_password("not-a-real-password-only-for-timing")
