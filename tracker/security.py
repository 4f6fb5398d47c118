"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker.content import common_passwords

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


def _hasher() -> PasswordHasher:
    params = current_app.config.get("ARGON2_PARAMETERS") or {}
    return PasswordHasher(**params)  # argon2id by default


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash of a random string, verified against when the account does not exist, so that a login
# for an unknown email costs as much time as one for a known email.
def dummy_verify(password: str) -> None:
    verify_password(hash_password("not-a-real-password-0000"), password)


def password_problem(password: str) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH))
    if password.strip().lower() in common_passwords():
        return str(_l("This password is too common; choose another."))
    if len(set(password)) < 4:
        return str(_l("This password is too easy to guess; choose another."))
    return None
