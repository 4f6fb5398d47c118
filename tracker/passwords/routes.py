"""Forgotten password: ask for a link by mail, then choose a new password through it."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from tracker.access import public
from tracker.auth import throttle
from tracker.auth.services import AccountError
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.mail.services import deliver_after
from tracker.passwords import services
from tracker.passwords.forms import ForgotForm, ResetForm
from tracker.tokens import LinkState

bp = Blueprint("passwords", __name__)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
@redisplay_on_csrf_failure
def forgot():
    """The same answer whether or not the address has an account; throttled per client address
    and per e-mail address (known or not, alike). The mail goes out after the response, so its
    delivery time does not tell either."""
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("passwords/forgot.html", form=form)
    address = request.remote_addr or ""
    try:
        allowed = throttle.reserve_request("reset", form.email.data, address)
    except throttle.ThrottleUnavailable:
        form.email.errors.append(
            _("Requesting a new password is temporarily not possible. Try again in a few minutes.")
        )
        return render_template("passwords/forgot.html", form=form), 503
    if not allowed:
        current_app.logger.warning(
            "password_reset_throttled account=%s addr=%s", throttle.account_ref(form.email.data), address
        )
        form.email.errors.append(_("Too many requests for a new password. Wait an hour and try again."))
        return render_template("passwords/forgot.html", form=form), 429
    requested = services.request_reset(form.email.data)
    message = services.queue_mail(*requested) if requested else None
    db.session.commit()
    current_app.logger.info(
        "password_reset_requested account=%s addr=%s mailed=%s",
        throttle.account_ref(form.email.data),
        address,
        message is not None,
    )
    response = make_response(render_template("passwords/sent.html"))
    if requested and message:
        _reset, token = requested
        deliver_after(response, message.id, token)
    return response


def _closed(reason: str, status: int):
    return render_template("passwords/closed.html", reason=reason), status


@bp.route("/wachtwoord-herstellen/<reset_token>", methods=["GET", "POST"])
@public
@redisplay_on_csrf_failure
def reset(reset_token: str):
    """Choose a new password through a mailed link: once, within the hour. Expired, used or
    forged links get a page that says so (410, 404), and nothing changes."""
    password_reset = services.by_token(reset_token)
    if password_reset is None:
        return _closed("unknown", 404)
    state = services.state(password_reset)
    if state != LinkState.PENDING:
        return _closed(state.value, 410)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            done = services.complete(password_reset, form.new_password.data)
        except AccountError as error:
            db.session.rollback()
            form.new_password.errors.append(str(error))
        else:
            if not done:
                db.session.rollback()
                return _closed("used", 410)
            user_id = password_reset.user_id
            db.session.commit()
            current_app.logger.info("password_reset user=%s addr=%s", user_id, request.remote_addr)
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your password has been changed; log in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("passwords/reset.html", form=form, email=password_reset.user.email)
