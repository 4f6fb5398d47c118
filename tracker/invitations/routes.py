"""Invitations: the accept page behind the mailed link, and resending or revoking by a project lead."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import can_manage, get_in_trajectory_or_404, load_trajectory
from tracker.auth.routes import _complete_login
from tracker.auth.services import AccountError, create_user, normalise_email, user_by_email
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.invitations import mail, services
from tracker.invitations.forms import AcceptForm, AcceptNewForm
from tracker.models import Invitation, Organisation, Trajectory, User
from tracker.trajectories import services as trajectory_services

bp = Blueprint("invitations", __name__)

# Link states that end an invitation: 410 Gone; an unknown token: 404.
CLOSED_STATUS = {
    services.LinkState.EXPIRED: 410,
    services.LinkState.USED: 410,
    services.LinkState.REVOKED: 410,
}


def send_new(
    trajectory: Trajectory, email: str, organisation: Organisation, layer: str, role: str
) -> Invitation:
    """Create an invitation, queue its mail, commit, and deliver it when SMTP is configured.
    Raises :class:`services.InvitationError` (nothing changed) for a member or a pending invitation."""
    invitation, token = services.invite(trajectory, email, organisation, layer, role, by=current_user)
    message = mail.queue(invitation, token)
    db.session.commit()
    mail.deliver(message.id, token)
    return invitation


def add_or_invite(trajectory: Trajectory, form, organisation: Organisation) -> bool:
    """The member form's action; False (with a message next to the e-mail field, nothing changed)
    for a member or an address with an open invitation.

    Administrators see every account anyway and may add one directly. Anyone else always sends an
    invitation, with the same answer whether or not the address has an account."""
    user = user_by_email(form.email.data) if current_user.is_admin else None
    try:
        if user is not None:
            trajectory_services.add_member(trajectory, user, organisation, form.layer.data, form.role.data)
            db.session.commit()
            flash(_("%(name)s has been added.", name=user.name), "success")
        else:
            invitation = send_new(trajectory, form.email.data, organisation, form.layer.data, form.role.data)
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    except (trajectory_services.MembershipError, services.InvitationError) as error:
        db.session.rollback()
        form.email.errors.append(
            _("An invitation to this address is still open; you can send it again below.")
            if str(error) == "invited"
            else _("This person is already a member of the trajectory.")
        )
        return False
    return True


def _closed(reason: str, status: int):
    return render_template("invitations/closed.html", reason=reason), status


@bp.route("/uitnodiging/<invite_token>", methods=["GET", "POST"])
@redisplay_on_csrf_failure
def accept(invite_token: str):
    invitation = services.by_token(invite_token)
    if invitation is None or invitation.trajectory is None or invitation.organisation is None:
        return _closed("unknown", 404)
    state = services.state(invitation)
    if state != services.LinkState.PENDING:
        return _closed(state.value, CLOSED_STATUS[state])
    trajectory = invitation.trajectory
    if current_user.is_authenticated:
        if normalise_email(current_user.email) != invitation.email:
            return render_template("invitations/wrong_account.html", invitation=invitation), 403
        form = AcceptForm()
        if form.validate_on_submit():
            if not _use(invitation, current_user):
                return _closed("used", 410)
            flash(_("Welcome to %(name)s.", name=trajectory.name), "success")
            return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))
        return render_template("invitations/accept.html", invitation=invitation, form=form)
    if services.account_exists(invitation):
        login_url = url_for("auth.login", next=request.path)
        return render_template("invitations/login_first.html", invitation=invitation, login_url=login_url)
    form = AcceptNewForm()
    if form.validate_on_submit():
        try:
            user = create_user(invitation.email, form.name.data, form.password.data)
        except AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        except IntegrityError:  # the account was created at this very moment by another request
            db.session.rollback()
            return _closed("used", 410)
        else:
            if not _use(invitation, user):
                return _closed("used", 410)
            response = _complete_login(
                user, False, url_for("trajectories.detail", trajectory_id=trajectory.id)
            )
            flash(_("Welcome to %(name)s.", name=trajectory.name), "success")
            return response
    return render_template("invitations/accept_new.html", invitation=invitation, form=form)


def _use(invitation: Invitation, user: User) -> bool:
    """Accept and commit; False when a concurrent accept, resend or revoke got there first."""
    try:
        services.accept(invitation, user)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return False
    return True


def _load(trajectory_id: int, invitation_id: int) -> tuple[Trajectory, Invitation]:
    trajectory = load_trajectory(trajectory_id, can_manage)
    return trajectory, get_in_trajectory_or_404(Invitation, trajectory, invitation_id)


@bp.route("/trajecten/<id:trajectory_id>/uitnodigingen/<id:invitation_id>/opnieuw", methods=["POST"])
@login_required
def resend(trajectory_id: int, invitation_id: int):
    trajectory, invitation = _load(trajectory_id, invitation_id)
    try:
        token = services.resend(invitation)
        message = mail.queue(invitation, token)
        db.session.commit()
    except (services.InvitationError, StaleDataError):
        db.session.rollback()
        flash(_("This invitation has just been accepted or revoked; it cannot be sent again."), "error")
    else:
        mail.deliver(message.id, token)
        flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("trajectories.members", trajectory_id=trajectory.id))


@bp.route("/trajecten/<id:trajectory_id>/uitnodigingen/<id:invitation_id>/intrekken", methods=["POST"])
@login_required
def revoke(trajectory_id: int, invitation_id: int):
    trajectory, invitation = _load(trajectory_id, invitation_id)
    email = invitation.email
    try:
        services.revoke(invitation)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("This invitation has just been changed by someone else; try again."), "error")
    else:
        flash(_("The invitation to %(email)s has been revoked.", email=email), "success")
    return redirect(url_for("trajectories.members", trajectory_id=trajectory.id))
