"""Removing a member: a confirmation page that lists what they own and what they contributed, and
asks who takes over their work. Registered on the trajectories blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.orm.exc import StaleDataError
from wtforms.validators import ValidationError

from tracker.access import can_manage, get_membership_or_404, load_trajectory
from tracker.extensions import db
from tracker.forms import BaseForm, ChoiceField, redisplay_on_csrf_failure
from tracker.models.enums import label
from tracker.trajectories import removal
from tracker.trajectories.routes import bp
from tracker.trajectories.services import MembershipError

NOBODY = "niemand"


class MemberRemoveForm(BaseForm):
    successor = ChoiceField(
        _l("Who takes over their work?"),
        description=_l(
            "Everything listed under ‘What they own’ goes to this member, or stays without owner."
        ),
    )

    def validate_successor(self, field):
        if not field.data:
            raise ValidationError(_l("Choose a member to take over their work, or leave it without owner."))


def _successor_choices(membership) -> list[tuple[str, str]]:
    return [
        ("", _("Choose")),
        (NOBODY, _("Nobody: leave it without owner")),
    ] + [
        (str(m.id), f"{m.user.name} ({m.organisation.name}, {label(m.role)})")
        for m in removal.successors(membership)
    ]


@bp.route("/trajecten/<id:trajectory_id>/leden/<id:membership_id>/verwijderen", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def member_remove(trajectory_id: int, membership_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage)
    membership = get_membership_or_404(trajectory, membership_id)
    name = membership.user.name
    refs = removal.references(membership)
    try:
        removal.check_removable(membership)
        last_lead = False
    except MembershipError:
        last_lead = True
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
                url_for(
                    "trajectories.member_remove", trajectory_id=trajectory.id, membership_id=membership_id
                )
            )
        if successor is not None:
            flash(
                _(
                    "%(name)s is no longer a member; their work now belongs to %(successor)s.",
                    name=name,
                    successor=successor.user.name,
                ),
                "success",
            )
        else:
            flash(_("%(name)s is no longer a member; their work is now without owner.", name=name), "success")
        return redirect(url_for("trajectories.members", trajectory_id=trajectory.id))
    return render_template(
        "trajectories/member_remove.html",
        trajectory=trajectory,
        membership=membership,
        refs=refs,
        form=form,
        last_lead=last_lead,
    )
