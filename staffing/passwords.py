"""Staff passwords: argon2id hashes and the password policy.

Passwords and hashes are never logged; these functions never raise on bad input.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

# One hasher with argon2-cffi's current recommended (RFC 9106 low-memory) parameters;
# raising them later makes needs_rehash() upgrade old hashes at the next login.
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password`` (with a fresh random salt)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return whether ``password`` matches ``password_hash``; False for any invalid hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError, ValueError, TypeError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return whether the hash was made with other parameters than the current ones."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError, TypeError):
        return True


def password_problem(password: str) -> str | None:
    """Return what is wrong with ``password`` under the policy, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if not password.strip():
        return "The password cannot be only spaces."
    return None
