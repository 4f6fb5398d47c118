"""Administration: users (admins only) and the shared list of organisations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import admin_required, can_add_organisation, require, signed_in
from tracker.admin import services
from tracker.admin.forms import OrganisationForm, SecuritySettingsForm, UserCreateForm, UserEditForm
from tracker.auth.services import AccountError, create_user
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.models import Organisation, Sector, User
from tracker.models.setting import REQUIRE_2FA_FOR_ADMINS, get_flag, set_flag
from tracker.paging import paginate

bp = Blueprint("admin", __name__)


@bp.route("/beheer/gebruikers")
@admin_required
def users():
    settings_form = SecuritySettingsForm(require_2fa_for_admins=get_flag(REQUIRE_2FA_FOR_ADMINS))
    users = paginate(db.select(User).order_by(User.name, User.id))
    return render_template("admin/users.html", users=users, settings_form=settings_form)


@bp.route("/beheer/instellingen", methods=["POST"])
@admin_required
def settings():
    form = SecuritySettingsForm()
    if form.validate_on_submit():
        set_flag(REQUIRE_2FA_FOR_ADMINS, form.require_2fa_for_admins.data)
        db.session.commit()
        flash(_("The security settings have been saved."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/beheer/gebruikers/nieuw", methods=["GET", "POST"])
@admin_required
@redisplay_on_csrf_failure
def user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data, form.name.data, form.password.data, is_admin=form.is_admin.data
            )
        except AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("User %(name)s has been created.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/beheer/gebruikers/<id:user_id>", methods=["GET", "POST"])
@admin_required
@redisplay_on_csrf_failure
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    conflict = False
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.is_admin.data or not form.active.data):
            form.is_admin.errors.append(
                _("You cannot remove your own administrator rights or deactivate yourself.")
            )
        else:

            def apply():
                services.update_user(
                    user,
                    name=form.name.data,
                    is_admin=form.is_admin.data,
                    active=form.active.data,
                    new_password=form.new_password.data or None,
                )

            if save_unless_stale(form, user, apply):
                flash(_("User %(name)s has been saved.", name=user.name), "success")
                return redirect(url_for("admin.users"))
            conflict = True
    return render_template("admin/user_form.html", form=form, user=user, conflict=conflict)


@bp.route("/organisaties")
@signed_in
def organisations():
    organisations = paginate(db.select(Organisation).order_by(Organisation.name, Organisation.id))
    return render_template("admin/organisations.html", organisations=organisations)


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@signed_in
@redisplay_on_csrf_failure
def organisation_new():
    require(can_add_organisation(current_user))
    form = OrganisationForm()
    if form.validate_on_submit():
        org = services.create_organisation(form.name.data, Sector(form.sector.data))
        db.session.commit()
        flash(_("Organisation %(name)s has been added.", name=org.name), "success")
        return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisaties/<id:organisation_id>", methods=["GET", "POST"])
@admin_required
@redisplay_on_csrf_failure
def organisation_edit(organisation_id: int):
    org = db.session.get(Organisation, organisation_id) or abort(404)
    form = OrganisationForm(obj=org, existing_id=org.id)
    conflict = False
    if form.validate_on_submit():
        if save_unless_stale(
            form, org, lambda: services.update_organisation(org, form.name.data, Sector(form.sector.data))
        ):
            flash(_("Organisation %(name)s has been saved.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
        conflict = True
    return render_template("admin/organisation_form.html", form=form, organisation=org, conflict=conflict)
