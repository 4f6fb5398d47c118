"""Invitations: the accept page behind the mailed link, and resending or revoking by a project lead."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import can_manage, get_in_trajectory_or_404, public, rule, trajectory_blueprint
from tracker.auth.services import AccountError, complete_login, create_user, normalise_email
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.invitations import mail, services
from tracker.invitations.forms import AcceptForm, AcceptNewForm
from tracker.mail.services import deliver_now
from tracker.models import Invitation, Trajectory, User
from tracker.tokens import LinkState

bp = trajectory_blueprint("invitations", __name__)

# Link states that end an invitation: 410 Gone; an unknown token: 404.
CLOSED_STATUS = {
    LinkState.EXPIRED: 410,
    LinkState.USED: 410,
    LinkState.REVOKED: 410,
}


def _closed(reason: str, status: int):
    return render_template("invitations/closed.html", reason=reason), status


@bp.route("/uitnodiging/<invite_token>", methods=["GET", "POST"])
@public
@redisplay_on_csrf_failure
def accept(invite_token: str):
    invitation = services.by_token(invite_token)
    if invitation is None or invitation.trajectory is None or invitation.organisation is None:
        return _closed("unknown", 404)
    state = services.state(invitation)
    if state != LinkState.PENDING:
        return _closed(state.value, CLOSED_STATUS[state])
    if current_user.is_authenticated:
        return _accept_signed_in(invitation)
    if services.account_exists(invitation):
        login_url = url_for("auth.login", next=request.path)
        return render_template("invitations/login_first.html", invitation=invitation, login_url=login_url)
    return _accept_with_new_account(invitation)


def _accept_signed_in(invitation: Invitation):
    """A logged-in user with the invited address accepts with a button."""
    if normalise_email(current_user.email) != invitation.email:
        return render_template("invitations/wrong_account.html", invitation=invitation), 403
    form = AcceptForm()
    if form.validate_on_submit():
        if not _use(invitation, current_user):
            return _closed("used", 410)
        return _welcome(invitation.trajectory)
    return render_template("invitations/accept.html", invitation=invitation, form=form)


def _accept_with_new_account(invitation: Invitation):
    """Someone without an account chooses a name and password, joins, and is logged in."""
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
            complete_login(user, remember=False)
            return _welcome(invitation.trajectory)
    return render_template("invitations/accept_new.html", invitation=invitation, form=form)


def _welcome(trajectory: Trajectory):
    flash(_("Welcome to %(name)s.", name=trajectory.name), "success")
    return redirect(url_for("trajectories.detail", trajectory_id=trajectory.id))


def _use(invitation: Invitation, user: User) -> bool:
    """Accept and commit; False when a concurrent accept, resend or revoke got there first."""
    try:
        services.accept(invitation, user)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return False
    return True


@bp.route("/trajecten/<id:trajectory_id>/uitnodigingen/<id:invitation_id>/opnieuw", methods=["POST"])
@rule(write=can_manage)
def resend(trajectory: Trajectory, invitation_id: int):
    invitation = get_in_trajectory_or_404(Invitation, trajectory, invitation_id)
    try:
        token = services.resend(invitation)
        message = mail.queue(invitation, token)
        db.session.commit()
    except (services.InvitationError, StaleDataError):
        db.session.rollback()
        flash(_("This invitation has just been accepted or revoked; it cannot be sent again."), "error")
    else:
        deliver_now(message.id, token)
        flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("members.index", trajectory_id=trajectory.id))


@bp.route("/trajecten/<id:trajectory_id>/uitnodigingen/<id:invitation_id>/intrekken", methods=["POST"])
@rule(write=can_manage)
def revoke(trajectory: Trajectory, invitation_id: int):
    invitation = get_in_trajectory_or_404(Invitation, trajectory, invitation_id)
    email = invitation.email
    try:
        services.revoke(invitation)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("This invitation has just been changed by someone else; try again."), "error")
    else:
        flash(_("The invitation to %(email)s has been revoked.", email=email), "success")
    return redirect(url_for("members.index", trajectory_id=trajectory.id))
