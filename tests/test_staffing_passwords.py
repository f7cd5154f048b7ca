"""Password hashing and policy (pure, with the production argon2 parameters)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from staffing.passwords import hash_password, needs_rehash, password_problem, verify_password

PASSWORD = "correct horse battery"


def test_password_hash_verifies_only_the_same_password() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert verify_password(hashed, PASSWORD)
    assert not verify_password(hashed, PASSWORD + "!")


@pytest.mark.parametrize("bad_hash", ["", "not-a-hash", "$argon2id$v=19$m=1$broken"])
def test_verify_password_returns_false_on_invalid_hash(bad_hash: str) -> None:
    assert verify_password(bad_hash, PASSWORD) is False


def test_needs_rehash_only_for_outdated_parameters() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password(PASSWORD))


@pytest.mark.parametrize(
    ("password", "acceptable"),
    [
        ("x" * 9, False),
        ("x" * 10, True),
        ("x" * 256, True),
        ("x" * 257, False),
        (" " * 12, False),
    ],
)
def test_password_policy(password: str, acceptable: bool) -> None:
    assert (password_problem(password) is None) is acceptable


@pytest.mark.real_hashing
def test_production_parameters_are_at_least_the_rfc_9106_low_memory_ones() -> None:
    params = hash_password(PASSWORD).split("$")[3]
    assert params == "m=65536,t=3,p=4"
