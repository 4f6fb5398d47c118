"""Idle and absolute session limits, checked before every request.

A normal session ends after ``SESSION_IDLE_TIMEOUT`` without activity and at the latest
``SESSION_ABSOLUTE_TIMEOUT`` after login. With "stay logged in" the idle limit does not apply
and the absolute limit is the remember-me cookie's lifetime, counted from the login that issued
it: the cookie carries that time (see ``auth.services.load_user``, which also refuses an expired
one), so a session restored from it does not restart the clock.

Signed-in pages carry the seconds left (``remaining``); a script warns ``SESSION_WARNING`` before
the end and offers to stay logged in (``static/js/session-timeout.js``). A form posted after the
end is kept for the same user and comes back after logging in again (``auth.stash``).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from tracker.access import PUBLIC
from tracker.auth import stash

# The session's note of who was logged in when it expired, and when: a form posted afterwards
# (when another request, such as a second tab, ended the session first) is still kept for them.
EXPIRED_KEY = "expired"
# A request that reads the seconds left without counting as activity (the warning's check).
STATUS_ENDPOINT = "auth.session_status"
# The requests of the warning's script: after the end they get a plain 401, not the login page.
SCRIPT_ENDPOINTS = (STATUS_ENDPOINT, "auth.session_extend")


def start(remember: bool, login_at: float | None = None) -> None:
    """Mark a login in the (fresh) session; ``login_at`` when it was made earlier."""
    now = time.time()
    session["login_at"] = login_at if login_at is not None else now
    session["seen_at"] = now
    session["remembered"] = bool(remember)


def remaining() -> int:
    """Seconds until this session ends without activity: the nearer of both limits."""
    return max(0, int(_left(time.time())))


def _left(now: float) -> float:
    config = current_app.config
    remembered = session.get("remembered", False)
    absolute = (
        config["REMEMBER_COOKIE_DURATION"] if remembered else config["SESSION_ABSOLUTE_TIMEOUT"]
    ).total_seconds()
    left = absolute - (now - session.get("login_at", now))
    if not remembered:
        idle = config["SESSION_IDLE_TIMEOUT"].total_seconds()
        left = min(left, idle - (now - session.get("seen_at", now)))
    return left


def enforce_session_limits() -> Response | None:
    if request.endpoint == "static" or request.blueprint == "api":  # the API has no session
        return None
    if not current_user.is_authenticated:
        return _posted_after_expiry()
    now = time.time()
    if session.get("login_at") is None:
        # Restored from a remember-me cookie: the clock runs from its issue time.
        start(remember=True, login_at=getattr(current_user, "login_issued_at", None) or now)
    if _left(now) < 0:
        return _end(current_user.id, now)
    if request.endpoint != STATUS_ENDPOINT:
        session["seen_at"] = now
    return None


def _end(user_id: int, now: float) -> Response:
    current_app.logger.info("session_expired user=%s", user_id)
    logout_user()
    session.pop("login_at", None)
    session.pop("seen_at", None)
    session[EXPIRED_KEY] = {"user": user_id, "at": now}
    if request.endpoint in SCRIPT_ENDPOINTS:
        response = jsonify(remaining=0)
        response.status_code = 401
        return response
    return _to_login(user_id)


def _posted_after_expiry() -> Response | None:
    """A form posted to a signed-in page after the session already ended: keep it all the same."""
    expired = session.get(EXPIRED_KEY)
    view = current_app.view_functions.get(request.endpoint or "")
    if (
        request.method != "POST"
        or view is None
        or getattr(view, "access_rule", PUBLIC) == PUBLIC
        or not isinstance(expired, dict)
        or not isinstance(expired.get("user"), int)
        or time.time() - float(expired.get("at", 0)) > stash.LIFETIME.total_seconds()
    ):
        return None
    return _to_login(expired["user"])


def _to_login(user_id: int) -> Response:
    """To the login page, and afterwards back: to the same page after a GET; after a POST to the
    form's page with what was typed (or to the page the form was on)."""
    if request.method == "GET":
        target: str | None = request.full_path
    else:
        target = stash.form_page()
        if target is not None and stash.save(user_id, target):
            flash(
                _("Your session had expired. Log in again; what you had typed is ready for you again."),
                "info",
            )
            return redirect(url_for("auth.login", next=target))
        target = target or _referring_page()
    flash(_("Your session has expired. Please log in again."), "info")
    return redirect(url_for("auth.login", next=target))


def _referring_page() -> str | None:
    """The local page a form was posted from, when the browser says so."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
