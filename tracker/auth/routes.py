"""Login, logout and the user's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker.access import public, signed_in
from tracker.auth import services, sessions, stash, throttle, twofactor
from tracker.auth.forms import CodeForm, LoginForm, PasswordChangeForm, PreferencesForm, TotpDisableForm
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import User
from tracker.security import verify_password

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a local path is an acceptable redirect target."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/inloggen", methods=["GET", "POST"])
@public
@redisplay_on_csrf_failure
def login():
    if current_user.is_authenticated:
        return redirect(url_for("trajectories.index"))
    form = LoginForm()  # after login users land on the overview of their trajectories
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    address = request.remote_addr or ""
    account = services.user_by_email(form.email.data)
    try:
        # An account with two-factor login is exempt from the account-wide delay (throttle.py).
        attempt = throttle.reserve(form.email.data, address, delay=not (account and account.totp_secret))
        if not attempt.allowed:
            current_app.logger.warning(
                "login_throttled account=%s addr=%s reason=%s",
                throttle.account_ref(form.email.data),
                address,
                attempt.refused,
            )
            form.password.errors.append(attempt.message())
            return render_template("auth/login.html", form=form), 429
        user = services.check_password(account, form.password.data)  # one hash verification either way
        if user is None:
            attempt.failed()
        else:
            attempt.succeeded()
    except throttle.ThrottleUnavailable:
        form.password.errors.append(_unavailable_message())
        return render_template("auth/login.html", form=form), 503
    if user is None:
        current_app.logger.warning(
            "login_failure account=%s addr=%s", throttle.account_ref(form.email.data), address
        )
        form.password.errors.append(_("Email address or password is incorrect."))
        return render_template("auth/login.html", form=form)
    db.session.commit()
    next_url = safe_next(request.args.get("next"))
    kept = stash.keep_across_login()
    session.clear()  # a fresh session on login, but for the reference to a form kept at expiry
    stash.carry(kept)
    if user.totp_secret:
        session["pending_2fa"] = {"user": user.id, "remember": form.remember.data, "next": next_url}
        return redirect(url_for("auth.login_code"))
    services.complete_login(user, remember=form.remember.data)
    return redirect(next_url or url_for("trajectories.index"))


def _unavailable_message() -> str:
    return _("Logging in is temporarily not possible. Try again in a few minutes.")


@bp.route("/inloggen/code", methods=["GET", "POST"])
@public
@redisplay_on_csrf_failure
def login_code():
    pending = session.get("pending_2fa")
    user = db.session.get(User, pending["user"]) if pending else None
    if user is None or not user.active or not user.totp_secret:
        session.pop("pending_2fa", None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/login_code.html", form=form)
    address = request.remote_addr or ""
    try:
        attempt = throttle.reserve(user.email, address, delay=False)
        if not attempt.allowed:
            form.code.errors.append(attempt.message())
            return render_template("auth/login_code.html", form=form), 429
        ok = twofactor.verify(user, form.code.data)  # a code is used up: it never works twice
        attempt.succeeded() if ok else attempt.failed()
    except throttle.ThrottleUnavailable:
        form.code.errors.append(_unavailable_message())
        return render_template("auth/login_code.html", form=form), 503
    if ok:
        db.session.commit()
        services.complete_login(user, remember=pending["remember"])
        return redirect(pending.get("next") or url_for("trajectories.index"))
    current_app.logger.warning(
        "login_failure_2fa account=%s addr=%s", throttle.account_ref(user.email), address
    )
    form.code.errors.append(_("This code is not correct. Use the current code from your app."))
    return render_template("auth/login_code.html", form=form)


def check_current_password(user, field, code: str | None = None) -> tuple[bool, int]:
    """Check the current password (and, when given, a two-factor code) that the account page asks
    for, throttled as a login is. Returns (right, HTTP status for the page); when not right the
    reason is added to ``field.errors``. The code is checked (and used up) only after the password."""
    try:
        attempt = throttle.reserve(user.email, request.remote_addr or "")
        if not attempt.allowed:
            field.errors.append(attempt.message())
            return False, 429
        ok = verify_password(user.password_hash, field.data or "")
        if ok and code is not None:
            ok = twofactor.verify(user, code)
        attempt.succeeded() if ok else attempt.failed()
    except throttle.ThrottleUnavailable:
        field.errors.append(
            _("Checking your password is temporarily not possible. Try again in a few minutes.")
        )
        return False, 503
    if not ok:
        current_app.logger.warning("password_check_failure user=%s addr=%s", user.id, request.remote_addr)
        field.errors.append(
            _("The current password is incorrect.")
            if code is None
            else _("Password or code is not correct; two-factor login stays on.")
        )
        return False, 200
    return True, 200


@bp.route("/uitloggen", methods=["POST"])
@signed_in
def logout():
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/sessie")
@signed_in
def session_status():
    """The seconds this session has left; reading them is not activity (see auth.sessions)."""
    return jsonify(remaining=sessions.remaining())


@bp.route("/sessie/verlengen", methods=["POST"])
@signed_in
def session_extend():
    """'Stay logged in' in the warning before the idle limit: this request counts as activity."""
    return jsonify(remaining=sessions.remaining())


@bp.route("/account", methods=["GET", "POST"])
@signed_in
@redisplay_on_csrf_failure
def account():
    password_form = PasswordChangeForm(prefix="pw")
    prefs_form = PreferencesForm(prefix="prefs", obj=current_user)
    status = 200
    if request.method == "POST" and "pw-submit" in request.form:
        if password_form.validate_on_submit():
            user = current_user._get_current_object()
            ok, status = check_current_password(user, password_form.current_password)
            if ok:
                services.set_password(user, password_form.new_password.data)
                db.session.commit()
                # Other sessions end; this one continues under the new token.
                login_user(user)
                flash(_("Your password has been changed. Other sessions have been logged out."), "success")
                return redirect(url_for("auth.account"))
    elif request.method == "POST" and "prefs-submit" in request.form:
        if prefs_form.validate_on_submit():
            current_user.locale = prefs_form.locale.data
            db.session.commit()
            flash(_("Your preferences have been saved."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        password_form=password_form,
        prefs_form=prefs_form,
        disable_form=TotpDisableForm(prefix="off"),
    ), status


@bp.route("/account/tweestaps", methods=["GET", "POST"])
@signed_in
@redisplay_on_csrf_failure
def totp_setup():
    user = current_user._get_current_object()
    if user.totp_secret:
        return redirect(url_for("auth.account"))
    secret = session.get("totp_pending_secret")
    if not secret:
        secret = session["totp_pending_secret"] = twofactor.new_secret()
    form = CodeForm()
    if form.validate_on_submit():
        if twofactor.verify(user, form.code.data, secret=secret):
            user.totp_secret = secret
            user.end_sessions()
            db.session.commit()
            session.pop("totp_pending_secret", None)
            login_user(user)
            flash(_("Two-factor login is on. From now on you also enter a code when you log in."), "success")
            return redirect(url_for("auth.account"))
        form.code.errors.append(_("This code is not correct. Use the current code from your app."))
    uri = twofactor.provisioning_uri(secret, user.email)
    return render_template(
        "auth/totp_setup.html",
        form=form,
        secret=secret,
        qr=twofactor.qr_svg(uri),
        required=twofactor.required_for(user),
    )


@bp.route("/account/tweestaps/uit", methods=["POST"])
@signed_in
def totp_disable():
    user = current_user._get_current_object()
    form = TotpDisableForm(prefix="off")
    if form.validate_on_submit():
        if twofactor.required_for(user):
            flash(_("Administrators must use two-factor login in this installation."), "error")
        elif check_current_password(user, form.current_password, code=form.code.data)[0]:
            user.totp_secret = None
            db.session.commit()
            flash(_("Two-factor login is off."), "success")
        else:
            flash(form.current_password.errors[-1], "error")
    return redirect(url_for("auth.account"))
