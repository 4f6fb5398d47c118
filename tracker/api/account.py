"""The account's personal access tokens: listed, made (the secret is shown once) and revoked."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import signed_in
from tracker.api import tokens
from tracker.api.forms import TokenForm
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import parse_id
from tracker.models import utcnow

bp = Blueprint("api_tokens", __name__)


@bp.route("/account/api-sleutels")
@signed_in
def index():
    return render_template("api/tokens.html", tokens=tokens.tokens_of(current_user), now=utcnow())


@bp.route("/account/api-sleutels/nieuw", methods=["GET", "POST"])
@signed_in
@redisplay_on_csrf_failure
def new():
    form = TokenForm()
    if form.validate_on_submit():
        secret, token = tokens.create_token(current_user, *form.to_values())
        db.session.commit()
        current_app.logger.info("api_token_created user=%s token=%s", current_user.id, token.id)
        # Shown on this response only: it is not stored, so it cannot be shown again.
        return render_template("api/token_made.html", token=token, secret=secret)
    return render_template("api/token_form.html", form=form)


@bp.route("/account/api-sleutels/intrekken", methods=["POST"])
@signed_in
def revoke():
    token = tokens.token_of(current_user, parse_id(request.form.get("token")) or 0)
    if token is None:
        flash(_("That token was not found."), "error")
    else:
        tokens.revoke(token)
        db.session.commit()
        current_app.logger.info("api_token_revoked user=%s token=%s", current_user.id, token.id)
        flash(_("The token “%(name)s” has been revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))
