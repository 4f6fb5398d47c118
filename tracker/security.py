"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker.content import common_passwords

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
# The password of the demo accounts (printed by `flask load-demo`): public, so never valid for a
# real account. The demo loader creates its accounts without the policy.
DEMO_PASSWORD = "samen-sterk-voor-jeugd"


def _parameters() -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((current_app.config.get("ARGON2_PARAMETERS") or {}).items()))


def _hasher() -> PasswordHasher:
    return PasswordHasher(**dict(_parameters()))  # argon2id by default


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _dummy_hash(parameters: tuple[tuple[str, Any], ...]) -> str:
    return PasswordHasher(**dict(parameters)).hash("not-a-real-password-0000")


def dummy_hash() -> str:
    """A hash of a random string with the configured parameters, built once per parameter set.

    A login for an unknown email is verified against it, so that it costs exactly one hash
    verification, as a login for a known email does (no account enumeration by timing).
    """
    return _dummy_hash(_parameters())


def password_problem(password: str) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH))
    if password.strip().lower() == DEMO_PASSWORD:
        return str(_l("This is the password of the demo accounts, which anyone can know; choose another."))
    if password.strip().lower() in common_passwords():
        return str(_l("This password is too common; choose another."))
    if len(set(password)) < 4:
        return str(_l("This password is too easy to guess; choose another."))
    return None
