"""The personal calendar feed: its secret URL (no login) and renewing that URL."""

from __future__ import annotations

import re
import secrets
import tempfile

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import public, signed_in
from tracker.calendar import builder
from tracker.extensions import db
from tracker.models import User

bp = Blueprint("calendar", __name__)


@bp.route("/agenda/<token>.ics")
@public
def feed(token: str):
    """No login: the secret token in the URL is the key. Renewing it revokes the old URL."""
    if not re.fullmatch(r"[0-9a-f]{16,64}", token):
        abort(404)
    user = db.session.scalar(sa.select(User).where(User.calendar_token == token))
    if user is None or not user.active:
        abort(404)
    output = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # flat memory; send_file closes it
    for chunk in builder.feed(user, request.url_root.rstrip("/")):
        output.write(chunk)
    output.seek(0)
    response = send_file(output, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="beter-samen.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/account/agenda/vernieuwen", methods=["POST"])
@signed_in
def renew():
    user = current_user._get_current_object()
    user.calendar_token = secrets.token_hex(16)
    db.session.commit()
    flash(_("Your calendar address has been renewed; the old address no longer works."), "success")
    return redirect(url_for("auth.account", _anchor="agenda"))
