"""Rendered pages, kept per process and served again while nothing they show has changed.

A view opts in with ``@cached_page``, placed under its access declaration (``@rule(...)``,
``@signed_in``), so the declared rule, and the trajectory's 404, still run on every request
before the cache is consulted::

    @bp.route("/trajecten/<id:trajectory_id>")
    @rule()
    @cached_page
    def detail(trajectory): ...

Why a page served from the cache is the page a fresh render would give:

- the key holds everything a read page depends on: the endpoint, the host and the full path with
  its query string, the user, the language, today's date (states such as "te laat" change with
  it), and the data version (``tracker/dataversion.py``), which the database raises in the same
  transaction as every write, whichever process made it; a view renders from the data, the
  user, the URL and the date, and nothing else;
- what differs per request inside the page (the CSRF token of the logout form and the other
  forms, the seconds left in the session) is recorded as a marker when the page is rendered and
  filled in again on every answer;
- only GET and HEAD of a signed-in user whose session holds nothing one-off (no messages to show,
  no form kept across an expired session: ``STEADY_SESSION_KEYS``), only a page the view returned
  as text (status 200, HTML) and that showed no message, never after a CSRF failure;
- each process keeps at most ``PAGE_CACHE_MAX_BYTES``; when it sees a new data version it drops
  every page it holds (they can no longer be served).

The access check of a cached trajectory page reads only the members' roles, together with the data
version, in one statement (``_load_for_check``); the view gets the full trajectory when it renders.

``PAGE_CACHE`` turns it on (the default; the test configuration turns it off, so the query-count
tests measure renders; ``tests/test_pagecache.py`` turns it on).
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, get_flashed_messages, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from tracker import dataversion
from tracker.access import SAFE_METHODS, can_edit, can_manage, can_view, get_trajectory_or_404
from tracker.auth.sessions import remaining
from tracker.extensions import db
from tracker.models import Membership, Role, Trajectory
from tracker.pagestore import PageCache

View = TypeVar("View", bound=Callable[..., Any])
EXTENSION = "tracker_pagecache"
_RECORDING = "_pagecache_recording"
_VERSION = "_pagecache_version"  # the data version, read with the access check

# A marker is unguessable (a random part per process), so no text a user types can become one;
# letters and digits only, so escaping leaves it as it is.
_NONCE = secrets.token_hex(8)
_FILLERS: dict[str, Callable[[], str]] = {
    "csrf": lambda: generate_csrf(),
    "remaining": lambda: str(remaining()),
}
_MARKER = {name: f"PAGECACHE{_NONCE}{name}X" for name in _FILLERS}
_SPLIT = re.compile("PAGECACHE" + _NONCE + "(" + "|".join(_FILLERS) + ")X")


class Page:
    """A rendered page as encoded pieces with the names of the per-request values between them."""

    __slots__ = ("parts", "names", "size")

    def __init__(self, body: str) -> None:
        pieces = _SPLIT.split(body)  # text, name, text, name, ..., text
        self.parts: tuple[bytes, ...] = tuple(piece.encode() for piece in pieces[::2])
        self.names: tuple[str, ...] = tuple(pieces[1::2])
        self.size = sum(sys.getsizeof(part) for part in self.parts) + 200

    def render(self) -> bytes:
        if not self.names:
            return self.parts[0]
        values = {name: _FILLERS[name]().encode() for name in set(self.names)}
        pieces = [self.parts[0]]
        for name, part in zip(self.names, self.parts[1:], strict=True):
            pieces += (values[name], part)
        return b"".join(pieces)


def init_app(app: Flask) -> None:
    with app.app_context():
        dataversion.register(db.engine)
    if app.config.get("PAGE_CACHE"):
        app.extensions[EXTENSION] = PageCache(int(app.config["PAGE_CACHE_MAX_BYTES"]))


def cache_of(app: Flask) -> PageCache | None:
    return app.extensions.get(EXTENSION)


def per_request(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A template global whose value differs per request: a marker while a page is recorded."""

    @wraps(func)
    def value(*args: Any, **kwargs: Any) -> Any:
        if g.get(_RECORDING):
            return _MARKER[name]
        return func(*args, **kwargs)

    return value


# The rules that read of a trajectory only who its members are and their roles.
_MEMBERSHIP_RULES = (can_view, can_edit, can_manage)


@dataclass(frozen=True)
class MemberRole:
    user_id: int
    role: Role


@dataclass(frozen=True)
class TrajectoryAccess:
    """A trajectory as the membership rules read it: its id and every member's role."""

    id: int
    memberships: tuple[MemberRole, ...]


# The data version and every member's role of one trajectory (a row with no member when it has
# none; no row when there is no such trajectory): one statement, built once.
_ROLES_AND_VERSION = (
    sa.select(dataversion.READ.scalar_subquery(), Membership.user_id, Membership.role)
    .select_from(sa.outerjoin(Trajectory, Membership, Membership.trajectory_id == Trajectory.id))
    .where(Trajectory.id == sa.bindparam("trajectory_id"))
)


def _load_for_check(trajectory_id: int) -> Trajectory | TrajectoryAccess:
    """For the access check of a cached page: only the members' roles (one small query, no ORM
    objects) when the page may come from the cache and its rule reads nothing else; the view
    gets the full trajectory when it renders. Otherwise the trajectory as every view loads it."""
    view = current_app.view_functions.get(request.endpoint or "")
    declared = getattr(view, "access_rule", None)
    if (
        current_app.extensions.get(EXTENSION) is None
        or request.method not in SAFE_METHODS
        or getattr(declared, "read", None) not in _MEMBERSHIP_RULES
    ):
        return get_trajectory_or_404(trajectory_id)
    # With the data version in the same statement (one round trip).
    rows: Sequence[tuple[Any, ...]] = (
        db.session.connection().execute(_ROLES_AND_VERSION, {"trajectory_id": trajectory_id}).all()
    )
    if not rows:
        abort(404)
    g.setdefault(_VERSION, rows[0][0])
    return TrajectoryAccess(
        trajectory_id,
        tuple(MemberRole(int(user), Role(role)) for _, user, role in rows if user is not None),
    )


def cached_page(view: View) -> View:
    """Serve the view's page from the cache while its key holds (see the module's description)."""

    def render(*args: Any, **kwargs: Any) -> Any:
        if isinstance(g.get("trajectory"), TrajectoryAccess):  # the page renders after all
            g.trajectory = get_trajectory_or_404(g.trajectory.id)
            args = (g.trajectory, *args[1:])
        return view(*args, **kwargs)

    @wraps(view)
    def cached(*args: Any, **kwargs: Any) -> Any:
        cache = current_app.extensions.get(EXTENSION)
        if cache is None or not _cacheable_request():
            return render(*args, **kwargs)
        version = g.pop(_VERSION) if _VERSION in g else dataversion.current()
        if version is None:
            return render(*args, **kwargs)
        key = _key(version)
        page = cache.get(key, version)
        if page is not None:
            return page.render()
        setattr(g, _RECORDING, True)
        try:
            result = render(*args, **kwargs)
        finally:
            g.pop(_RECORDING, None)
        if not isinstance(result, str):
            return _fill(result)
        page = Page(_mark_csrf(result))
        if _cacheable_render():
            cache.put(key, version, page)
        return page.render()

    cached.load_trajectory = _load_for_check  # type: ignore[attr-defined]
    return cached  # type: ignore[return-value]


# What a signed-in session holds between requests (Flask-Login's keys, the CSRF secret, the
# session limits of tracker/auth/sessions.py). Anything else is one-off and may show on the page:
# messages to show (``_flashes``), a form kept across an expired session (``form_stash``), a
# login half-way (``pending_2fa``)... the page is then rendered, and not kept.
STEADY_SESSION_KEYS = frozenset(
    {
        "_user_id",
        "_fresh",
        "_id",
        "_remember",
        "_remember_seconds",
        "csrf_token",
        "login_at",
        "seen_at",
        "remembered",
    }
)


def _cacheable_request() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and current_user.is_authenticated
        and session.keys() <= STEADY_SESSION_KEYS
        and not g.get("csrf_expired")
    )


def _cacheable_render() -> bool:
    """Nothing one-off went into the page: no flashed message shown or waiting, the session as
    steady as before."""
    return session.keys() <= STEADY_SESSION_KEYS and not get_flashed_messages() and not g.get("csrf_expired")


def _key(version: int) -> tuple:
    return (
        request.endpoint,
        request.host,
        request.full_path,
        current_user.id,
        str(get_locale()),
        date.today(),
        version,
    )


def _mark_csrf(body: str) -> str:
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return body.replace(token, _MARKER["csrf"]) if token else body


def _fill(result: Any) -> Any:
    """A response the view made itself (not cached): its markers filled in."""
    if isinstance(result, tuple) and result and isinstance(result[0], str):
        return (Page(result[0]).render(), *result[1:])
    response = result if hasattr(result, "get_data") else None
    if response is not None and not response.is_streamed and response.mimetype == "text/html":
        response.set_data(Page(response.get_data(as_text=True)).render())
    return result
