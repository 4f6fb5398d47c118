"""The user's notification settings (linked from *Mijn account*)."""

from __future__ import annotations

from babel.dates import get_day_names
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import signed_in
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.notifications import digest, preferences
from tracker.notifications.forms import NotificationSettingsForm

bp = Blueprint("notifications", __name__)


@bp.route("/account/meldingen", methods=["GET", "POST"])
@signed_in
@redisplay_on_csrf_failure
def settings():
    user = current_user._get_current_object()
    form = NotificationSettingsForm()
    if request.method == "GET":
        form.load(preferences.settings_of(user))
    if form.validate_on_submit():
        preferences.save(user, form.to_values())
        db.session.commit()
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("notifications.settings"))
    day = get_day_names("wide", locale=get_locale())[digest.weekday() - 1]
    return render_template("notifications/settings.html", form=form, day=day)
