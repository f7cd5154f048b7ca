"""Staff accounts: validation, lookup and authentication."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import async_sessionmaker

from staffing.experts import (
    StaffInputError,
    authenticate,
    count_staff,
    create_staff_user,
    get_staff_by_id,
    get_staff_by_username,
    list_staff,
    set_staff_active,
)
from staffing.models import StaffUser
from staffing.passwords import needs_rehash, verify_password

PASSWORD = "correct horse battery"
Maker = async_sessionmaker[Any]


async def make_staff(maker: Maker, username: str = "anna", **overrides: Any) -> StaffUser:
    """Create a staff account with readable defaults (an expert for victims)."""
    values: dict[str, Any] = {
        "display_name": username.capitalize(),
        "password": PASSWORD,
        "role": "expert",
        "focus": ("victim",),
        "capacity": 2,
    }
    values.update(overrides)
    async with maker.begin() as session:
        return await create_staff_user(session, username=username, **values)


# -- creating accounts --------------------------------------------------------------------


async def test_create_staff_user_stores_a_hash_and_canonical_focus(sessionmaker: Maker) -> None:
    user = await make_staff(
        sessionmaker, "bram", role="coordinator", focus="relative, victim", cooldown_s=300
    )
    async with sessionmaker.begin() as session:
        stored = await get_staff_by_id(session, user.id)
    assert stored is not None
    assert (stored.username, stored.display_name, stored.role) == ("bram", "Bram", "coordinator")
    assert stored.focus == "victim,relative"
    assert stored.focus_codes == {"victim", "relative"}
    assert (stored.capacity, stored.cooldown_s, stored.active) == (2, 300, True)
    assert stored.password_hash != PASSWORD
    assert verify_password(stored.password_hash, PASSWORD)


async def test_every_field_error_is_reported_and_nothing_is_created(sessionmaker: Maker) -> None:
    with pytest.raises(StaffInputError) as caught:
        await make_staff(
            sessionmaker,
            "No Spaces!",
            display_name="   ",
            password="short",
            role="boss",
            focus=("victim", "aliens"),
            capacity=0,
            cooldown_s=3601,
        )
    assert set(caught.value.errors) == {
        "username",
        "display_name",
        "password",
        "role",
        "focus",
        "capacity",
        "cooldown_s",
    }
    assert "aliens" in caught.value.errors["focus"]
    async with sessionmaker.begin() as session:
        assert await count_staff(session) == 0


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("username", "abc", True),
        ("username", "ab", False),
        ("username", "a" * 64, True),
        ("username", "a" * 65, False),
        ("username", "anna.de-vries_2", True),
        ("username", "Anna", False),
        ("display_name", "A" * 64, True),
        ("display_name", "A" * 65, False),
        ("capacity", 1, True),
        ("capacity", 10, True),
        ("capacity", 11, False),
        ("cooldown_s", 0, True),
        ("cooldown_s", 3600, True),
        ("cooldown_s", -1, False),
        ("role", "admin", True),
        ("focus", (), True),
    ],
)
async def test_field_limits(sessionmaker: Maker, field: str, value: Any, accepted: bool) -> None:
    values: dict[str, Any] = {"username": "valid", "display_name": "Valid"}
    values[field] = value
    username = values.pop("username")
    if accepted:
        user = await make_staff(sessionmaker, username, **values)
        assert getattr(user, field) == (value if field != "focus" else "")
    else:
        with pytest.raises(StaffInputError) as caught:
            await make_staff(sessionmaker, username, **values)
        assert list(caught.value.errors) == [field]


async def test_duplicate_username_is_refused(sessionmaker: Maker) -> None:
    await make_staff(sessionmaker, "anna")
    with pytest.raises(StaffInputError) as caught:
        await make_staff(sessionmaker, "anna", display_name="Another Anna")
    assert caught.value.errors == {"username": "This username is already taken."}
    async with sessionmaker.begin() as session:
        assert await count_staff(session) == 1


async def test_lookup_count_and_list(sessionmaker: Maker) -> None:
    await make_staff(sessionmaker, "cees")
    anna = await make_staff(sessionmaker, "anna")
    async with sessionmaker.begin() as session:
        await set_staff_active(session, anna.id, False)
    async with sessionmaker.begin() as session:
        assert (await get_staff_by_username(session, "cees")) is not None
        assert await get_staff_by_username(session, "nobody") is None
        assert await get_staff_by_id(session, 999) is None
        assert await count_staff(session) == 2
        assert [u.username for u in await list_staff(session)] == ["anna", "cees"]
        assert [u.username for u in await list_staff(session, active_only=True)] == ["cees"]
        assert await set_staff_active(session, 999, True) is None


# -- authentication -----------------------------------------------------------------------


async def test_authenticate_with_the_right_password_only(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    async with sessionmaker.begin() as session:
        user = await authenticate(session, "anna", PASSWORD)
        assert user is not None and user.id == anna.id
        assert await authenticate(session, "anna", PASSWORD + "x") is None
        assert await authenticate(session, "nobody", PASSWORD) is None
        assert await authenticate(session, "anna", "") is None


async def test_inactive_user_never_authenticates(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    async with sessionmaker.begin() as session:
        await set_staff_active(session, anna.id, False)
    async with sessionmaker.begin() as session:
        assert await authenticate(session, "anna", PASSWORD) is None


async def test_authenticate_upgrades_an_outdated_hash(sessionmaker: Maker) -> None:
    anna = await make_staff(sessionmaker, "anna")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    async with sessionmaker.begin() as session:
        stored = await get_staff_by_id(session, anna.id)
        assert stored is not None
        stored.password_hash = weak
    async with sessionmaker.begin() as session:
        assert await authenticate(session, "anna", PASSWORD) is not None
    async with sessionmaker.begin() as session:
        upgraded = await get_staff_by_id(session, anna.id)
        assert upgraded is not None
        assert upgraded.password_hash != weak
        assert not needs_rehash(upgraded.password_hash)
        assert verify_password(upgraded.password_hash, PASSWORD)
