"""The members page (add a member or send an invitation), changing a membership, and removing a
member after a confirmation page that lists what they own and what they contributed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import can_manage, get_membership_or_404, rule, trajectory_blueprint
from tracker.admin.services import chosen_organisation, organisation_choices
from tracker.auth.services import user_by_email
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.invitations import mail as invitation_mail
from tracker.invitations import services as invitations
from tracker.mail.services import deliver_now
from tracker.members import removal, services
from tracker.members.forms import NOBODY, MemberAddForm, MemberEditForm, MemberRemoveForm
from tracker.models import Invitation, Layer, Membership, Organisation, Role, Trajectory, utcnow
from tracker.models.enums import label

bp = trajectory_blueprint("members", __name__)


def send_invitation(
    trajectory: Trajectory, email: str, organisation: Organisation, layer: Layer, role: Role
) -> Invitation:
    """Create an invitation, queue its mail, commit, and deliver it when SMTP is configured.
    Raises :class:`invitations.InvitationError` (nothing changed) for a member or a pending invitation."""
    invitation, token = invitations.invite(trajectory, email, organisation, layer, role, by=current_user)
    message = invitation_mail.queue(invitation, token)
    db.session.commit()
    deliver_now(message.id, token)
    return invitation


def add_or_invite(trajectory: Trajectory, form: MemberAddForm) -> bool:
    """The member form's action; False (with a message next to the e-mail field, nothing changed)
    for a member or an address with an open invitation.

    Administrators see every account anyway and may add one directly. Anyone else always sends an
    invitation, with the same answer whether or not the address has an account."""
    organisation = chosen_organisation(form.organisation_id.data)
    layer, role = Layer(form.layer.data), Role(form.role.data)
    user = user_by_email(form.email.data) if current_user.is_admin else None
    try:
        if user is not None:
            services.add_member(trajectory, user, organisation, layer, role)
            db.session.commit()
            flash(_("%(name)s has been added.", name=user.name), "success")
        else:
            invitation = send_invitation(trajectory, form.email.data, organisation, layer, role)
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    except (services.MembershipError, invitations.InvitationError) as error:
        db.session.rollback()
        form.email.errors.append(
            _("An invitation to this address is still open; you can send it again below.")
            if str(error) == "invited"
            else _("This person is already a member of the trajectory.")
        )
        return False
    return True


@bp.route("/trajecten/<id:trajectory_id>/leden", methods=["GET"])
@rule()
def index(trajectory: Trajectory):
    pending = invitations.pending(trajectory) if can_manage(current_user, trajectory) else []
    return render_template("members/index.html", trajectory=trajectory, invitations=pending, now=utcnow())


@bp.route("/trajecten/<id:trajectory_id>/leden", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/leden/nieuw", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def new(trajectory: Trajectory):
    """Add a member or send an invitation; the list's own URL still takes the posted form."""
    form = MemberAddForm()
    form.organisation_id.choices = organisation_choices()
    if current_user.is_admin:
        form.email.description = _(
            "An existing account is added at once; anyone else receives an invitation by email."
        )
    if form.validate_on_submit() and add_or_invite(trajectory, form):
        return redirect(url_for("members.index", trajectory_id=trajectory.id))
    return render_template("members/new.html", trajectory=trajectory, form=form)


@bp.route("/trajecten/<id:trajectory_id>/leden/<id:membership_id>", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def edit(trajectory: Trajectory, membership_id: int):
    membership = get_membership_or_404(trajectory, membership_id)
    form = MemberEditForm(obj=membership)
    form.organisation_id.choices = organisation_choices()
    if request.method == "GET":
        form.organisation_id.data = str(membership.organisation_id)
    conflict = False
    if form.validate_on_submit():

        def apply():
            services.update_member(
                membership,
                chosen_organisation(form.organisation_id.data),
                Layer(form.layer.data),
                Role(form.role.data),
            )

        try:
            if save_unless_stale(form, membership, apply):
                flash(_("The membership of %(name)s has been saved.", name=membership.user.name), "success")
                return redirect(url_for("members.index", trajectory_id=trajectory.id))
            conflict = True
        except services.MembershipError:
            db.session.rollback()
            form.role.errors.append(_("A trajectory needs at least one project lead."))
    return render_template(
        "members/edit.html", trajectory=trajectory, membership=membership, form=form, conflict=conflict
    )


def _successor_choices(membership: Membership) -> list[tuple[str, str]]:
    return [
        ("", _("Choose")),
        (NOBODY, _("Nobody: leave it without owner")),
    ] + [
        (str(m.id), f"{m.user.name} ({m.organisation.name}, {label(m.role)})")
        for m in removal.successors(membership)
    ]


def _is_last_lead(membership: Membership) -> bool:
    try:
        removal.check_removable(membership)
    except services.MembershipError:
        return True
    return False


def _removed_message(name: str, successor: Membership | None) -> str:
    if successor is not None:
        return _(
            "%(name)s is no longer a member; their work now belongs to %(successor)s.",
            name=name,
            successor=successor.user.name,
        )
    return _("%(name)s is no longer a member; their work is now without owner.", name=name)


@bp.route("/trajecten/<id:trajectory_id>/leden/<id:membership_id>/verwijderen", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def remove(trajectory: Trajectory, membership_id: int):
    membership = get_membership_or_404(trajectory, membership_id)
    name = membership.user.name
    refs = removal.references(membership)
    last_lead = _is_last_lead(membership)
    form = MemberRemoveForm()
    if refs.owns_anything:
        form.successor.choices = _successor_choices(membership)
    else:
        del form.successor
    if not last_lead and form.validate_on_submit():
        choice = form.successor.data if refs.owns_anything else NOBODY
        successor = None if choice == NOBODY else get_membership_or_404(trajectory, int(choice))
        try:
            removal.remove_member(membership, successor)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            flash(
                _(
                    "Someone else changed this membership or their work in the meantime. Check the list and "
                    "try again."
                ),
                "error",
            )
            return redirect(
                url_for("members.remove", trajectory_id=trajectory.id, membership_id=membership_id)
            )
        flash(_removed_message(name, successor), "success")
        return redirect(url_for("members.index", trajectory_id=trajectory.id))
    return render_template(
        "members/remove.html",
        trajectory=trajectory,
        membership=membership,
        refs=refs,
        form=form,
        last_lead=last_lead,
    )
