"""Account services: lookup, authentication, password changes. Writes flush; views commit."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.models import User, utcnow
from tracker.security import dummy_verify, hash_password, password_problem, verify_password


class AccountError(ValueError):
    """A user-facing problem with account data (duplicate email, weak password)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the session token, so rotating it ends sessions."""
    uid, _, token = user_id.partition(":")
    if not uid.isdigit() or not token:
        return None
    user = db.session.get(User, int(uid))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None:
        dummy_verify(password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError(_("Enter a valid email address."))
    if user_by_email(email) is not None:
        raise AccountError(_("A user with email address %(email)s already exists.", email=email))
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if not name.strip():
        raise AccountError(_("A name is required."))
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), is_admin=is_admin)
    db.session.add(user)
    db.session.flush()
    current_app.logger.info("user_created user=%s admin=%s", user.id, is_admin)
    return user


def set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.end_sessions()
    db.session.flush()
