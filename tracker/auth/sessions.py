"""Idle and absolute session limits, checked before every request.

A normal session ends after ``SESSION_IDLE_TIMEOUT`` without activity and at the latest
``SESSION_ABSOLUTE_TIMEOUT`` after login. With "stay logged in" the idle limit does not apply
and the absolute limit is the remember-me cookie's lifetime, counted from the login that issued
it: the cookie carries that time (see ``auth.services.load_user``, which also refuses an expired
one), so a session restored from it does not restart the clock.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user


def start(remember: bool, login_at: float | None = None) -> None:
    """Mark a login in the (fresh) session; ``login_at`` when it was made earlier."""
    now = time.time()
    session["login_at"] = login_at if login_at is not None else now
    session["seen_at"] = now
    session["remembered"] = bool(remember)


def enforce_session_limits():
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()
    login_at = session.get("login_at")
    if login_at is None:  # restored from a remember-me cookie: the clock runs from its issue time
        login_at = getattr(current_user, "login_issued_at", None) or now
        start(remember=True, login_at=login_at)
    config = current_app.config
    remembered = session.get("remembered", False)
    idle = config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = (
        config["REMEMBER_COOKIE_DURATION"] if remembered else config["SESSION_ABSOLUTE_TIMEOUT"]
    ).total_seconds()
    expired = now - login_at > absolute or (not remembered and now - session.get("seen_at", now) > idle)
    if expired:
        current_app.logger.info("session_expired user=%s", current_user.id)
        logout_user()
        session.pop("login_at", None)
        session.pop("seen_at", None)
        flash(_("Your session has expired. Please log in again."), "info")
        next_url = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=next_url))
    session["seen_at"] = now
    return None
