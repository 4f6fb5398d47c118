"""Account services: lookup, authentication, password changes. Writes flush; views commit."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from tracker.auth import sessions, stash
from tracker.extensions import db
from tracker.ids import parse_id
from tracker.models import User, utcnow
from tracker.security import dummy_hash, hash_password, password_problem, verify_password


class AccountError(ValueError):
    """A user-facing problem with account data (duplicate email, weak password)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _now() -> float:
    """The server's clock (a function, so tests can move it)."""
    return time.time()


def load_user(user_id: str) -> User | None:
    """Flask-Login loader for the session and the remember-me cookie (both signed).

    The id is ``"<user id>:<session token>:<issued at>"`` (see ``User.get_id``): rotating the
    token ends every session, and a login older than ``REMEMBER_COOKIE_DURATION`` is refused
    here, on the server, whatever the cookie's own expiry says (a replayed cookie does not
    restart the clock).
    """
    parts = user_id.split(":")
    if len(parts) != 3 or not parts[1] or not (parts[2].isascii() and parts[2].isdigit()):
        return None
    uid, token, issued = parse_id(parts[0]), parts[1], int(parts[2])
    now = _now()
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    if uid is None or now - issued > lifetime or issued > now + 60:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_token != token:
        return None
    user.login_issued_at = issued
    return user


def start_login(user: User) -> None:
    """A fresh login: the session and remember-me cookie carry a new issue time."""
    user.login_issued_at = int(_now())


def complete_login(user: User, *, remember: bool) -> None:
    """Log the user in on a fresh session (after the password, and the code when asked; or after
    accepting an invitation with a new account). The caller redirects."""
    kept = stash.keep_across_login()
    session.clear()
    start_login(user)  # a new issue time in the session and the remember-me cookie
    login_user(user, remember=remember)
    sessions.start(remember=remember)
    stash.put_back(kept, user.id)  # a form kept when the session expired, for this user only
    # Create the session's CSRF secret now: otherwise two pages opened at once right after login
    # (two tabs) could each create one, and the form of the first would be refused. The token made
    # for the login form itself belonged to the cleared session: forget it first.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    generate_csrf()
    current_app.logger.info("login_success user=%s addr=%s", user.id, request.remote_addr)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def check_password(user: User | None, password: str) -> User | None:
    """The user when the password is theirs and the account is active.

    Exactly one hash verification either way: an unknown account is verified against a dummy
    hash with the same parameters, so its answer takes as long as a known account's.
    """
    ok = verify_password(user.password_hash if user is not None else dummy_hash(), password)
    if user is None or not ok or not user.active:
        return None
    # A plain UPDATE, outside the record's version: simultaneous logins of one account (two tabs,
    # two devices) must not conflict with each other or with an open edit of the account.
    db.session.execute(sa.update(User).where(User.id == user.id).values(last_login_at=utcnow()))
    return user


def create_user(
    email: str, name: str, password: str, *, is_admin: bool = False, check_policy: bool = True
) -> User:
    """A new account. ``check_policy=False`` only for the demo loader (its public password)."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError(_("Enter a valid email address."))
    if user_by_email(email) is not None:
        raise AccountError(_("A user with email address %(email)s already exists.", email=email))
    problem = password_problem(password) if check_policy else None
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
