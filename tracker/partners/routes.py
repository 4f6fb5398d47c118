"""The network table and the printable network map (phase 2a)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.access import can_edit, get_in_trajectory_or_404, rule, trajectory_blueprint
from tracker.admin.services import list_organisations
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import member_choices, organisation_choices, redisplay_on_csrf_failure
from tracker.models import NetworkPartner, Trajectory
from tracker.pagecache import cached_page
from tracker.partners import services
from tracker.partners.forms import PartnerForm

bp = trajectory_blueprint("partners", __name__)


@bp.route("/trajecten/<id:trajectory_id>/netwerk", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/netwerk/<id:partner_id>", methods=["GET"])
@rule()
@cached_page
@redisplay_on_csrf_failure
def partners(trajectory: Trajectory, partner_id: int | None = None):
    """The network map to read; a partner's own URL shows the same map, and the map's URL still
    takes a posted new partner."""
    if partner_id is not None:
        get_in_trajectory_or_404(NetworkPartner, trajectory, partner_id)
    if request.method == "POST":
        return _partner_form(trajectory, None)
    return render_template(
        "partners/partners.html", trajectory=trajectory, partners=services.partners_of(trajectory)
    )


@bp.route("/trajecten/<id:trajectory_id>/netwerk/<id:partner_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/netwerk/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/netwerk/<id:partner_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def partner_edit(trajectory: Trajectory, partner_id: int | None = None):
    """Add a partner or change one; the partner's own URL still takes the posted form."""
    partner = get_in_trajectory_or_404(NetworkPartner, trajectory, partner_id) if partner_id else None
    return _partner_form(trajectory, partner)


def _partner_form(trajectory: Trajectory, partner: NetworkPartner | None):
    form = PartnerForm(obj=partner)
    organisations = list_organisations()
    form.organisation_id.choices = [("", _("Choose an organisation"))] + organisation_choices(organisations)
    form.contact_id.choices = member_choices(trajectory, _("Nobody yet"))
    if request.method == "GET" and partner:
        form.organisation_id.data = str(partner.organisation_id)
        form.contact_id.data = str(partner.contact_id or "")
    if form.validate_on_submit():
        try:
            saved = save_unless_stale(
                form,
                partner,
                lambda: services.save_partner(trajectory, partner, form.to_values(trajectory, organisations)),
            )
        except services.PartnerError:
            db.session.rollback()
            form.organisation_id.errors.append(_("This organisation is already in the network table."))
        else:
            if saved:
                flash(_("The network table has been saved."), "success")
                return redirect(url_for("partners.partners", trajectory_id=trajectory.id))
            flash(_("Someone else saved this partner in the meantime; your input is kept below."), "error")
    return render_template("partners/partner_form.html", trajectory=trajectory, form=form, partner=partner)
