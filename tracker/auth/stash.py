"""A form posted after its session expired is not lost: it comes back after logging in again.

When a POST arrives just after the idle or absolute limit ended the session, its fields are kept
in the database (``FormStash``), never files, passwords, codes or the CSRF token, and at most
``MAX_BYTES`` of them, together with the user's id and the page of the form (the GET of the same
URL). The session remembers which record. Logging in again as the same user leads back to that
page, where the first form built on GET (``BaseForm``) is filled from the stash: shown, never
submitted by itself; the user checks and saves. A stash is used once, by its own user only, and
only within ``LIFETIME``; another user logging in on the same browser drops it.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, flash, g, request, session
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tracker.extensions import db
from tracker.models import FormStash, utcnow

SESSION_KEY = "form_stash"
MAX_BYTES = 64 * 1024
LIFETIME = timedelta(minutes=30)
# Field names (after a form's prefix) whose values are never kept: passwords (and their
# repetition, "confirm"), two-factor codes, tokens and secrets.
_SECRET = re.compile(r"(^|[-_])(password|wachtwoord|confirm|code|token|secret)$", re.IGNORECASE)


def form_page() -> str | None:
    """The page of the form just posted: the same URL when it answers a GET, else None."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        adapter.match(request.path, method="GET")
    except (HTTPException, RequestRedirect):
        return None
    return _url(request.full_path)


def _url(full_path: str) -> str:
    return full_path.rstrip("?")


def _kept_fields() -> list[list[str]]:
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return [
        [name, value]
        for name, value in request.form.items(multi=True)
        if name != csrf_field and not _SECRET.search(name)
    ]


def save(user_id: int, url: str) -> bool:
    """Keep the posted fields for ``user_id`` and the page ``url``; False when there is nothing to
    keep or too much. Replaces the user's earlier stash; drops every expired one. Commits: the
    request ends here with a redirect to the login page."""
    fields = _kept_fields()
    encoded = json.dumps(fields, ensure_ascii=False)
    if not fields or len(encoded.encode("utf-8")) > MAX_BYTES or len(url) > 2000:
        return False
    db.session.execute(
        sa.delete(FormStash).where(
            (FormStash.user_id == user_id) | (FormStash.created_at < utcnow() - LIFETIME)
        )
    )
    stash = FormStash(user_id=user_id, url=url, fields=encoded)
    db.session.add(stash)
    db.session.commit()
    session[SESSION_KEY] = {"id": stash.id, "url": url}
    return True


def keep_across_login() -> object | None:
    """The session's reference to a stash, to put back after the session is cleared at login."""
    return session.get(SESSION_KEY)


def carry(reference: object | None) -> None:
    """Put the reference back in a session cleared before the login is complete (two-factor)."""
    if isinstance(reference, dict):
        session[SESSION_KEY] = reference


def put_back(reference: object | None, user_id: int) -> None:
    """After a login as ``user_id``: keep the stash reference when the stash is theirs; another
    user's stash is deleted (it never shows to anyone else)."""
    if not isinstance(reference, dict):
        return
    stash = _get(reference)
    if stash is None:
        return
    if stash.user_id != user_id:
        db.session.delete(stash)
        db.session.commit()
        return
    carry(reference)


def _get(reference: dict) -> FormStash | None:
    stash_id = reference.get("id")
    return db.session.get(FormStash, stash_id) if isinstance(stash_id, int) else None


def restore(user_id: int) -> MultiDict | None:
    """On the GET of the stashed page: the kept fields as form data, once (the stash is deleted).
    None elsewhere, for another user, or after ``LIFETIME``. Cached for the request: every form
    the page builds sees the same data."""
    if "form_stash_data" in g:
        return g.form_stash_data
    reference = session.get(SESSION_KEY)
    if (
        request.method != "GET"
        or not isinstance(reference, dict)
        or reference.get("url") != _url(request.full_path)
    ):
        return None
    session.pop(SESSION_KEY, None)
    stash = _get(reference)
    data: MultiDict | None = None
    if stash is not None:
        fresh = stash.created_at >= utcnow() - LIFETIME
        if stash.user_id == user_id and fresh:
            data = MultiDict([tuple(pair) for pair in json.loads(stash.fields)])
            flash(_("This is what you had typed before your session expired. Check it and save it."), "info")
        db.session.delete(stash)
        db.session.commit()
    g.form_stash_data = data
    return data
