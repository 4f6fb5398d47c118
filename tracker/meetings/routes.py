"""Network meetings (phase 2b): who came, what each layer concluded, and working agreements
that become actions."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker.access import can_edit, can_view, get_in_trajectory_or_404, load_trajectory
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.meetings import services
from tracker.meetings.forms import AgreementForm, MeetingForm
from tracker.models import Meeting
from tracker.plans.services import PlanError
from tracker.shared_forms import NO_PLAN, member_choices

bp = Blueprint("meetings", __name__)


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten", methods=["GET"])
@login_required
def meetings(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    return render_template(
        "meetings/meetings.html",
        trajectory=trajectory,
        meetings=services.meetings_of(trajectory),
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/<id:meeting_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def meeting(trajectory_id: int, meeting_id: int | None = None):
    trajectory = load_trajectory(
        trajectory_id, can_edit if (request.method == "POST" or not meeting_id) else can_view
    )
    meeting = get_in_trajectory_or_404(Meeting, trajectory, meeting_id) if meeting_id else None
    form = MeetingForm(obj=meeting)
    form.attendee_ids.choices = [
        (str(m.id), f"{m.user.name} ({m.organisation.name})") for m in trajectory.memberships
    ]
    if request.method == "GET" and meeting:
        form.attendee_ids.data = [str(a.membership_id) for a in meeting.attendees if a.membership_id]
        form.guests.data = services.guests_text(meeting)
    if request.method == "GET" and not meeting:
        form.held_on.data = date.today()
    agreement_form = AgreementForm(prefix="afspraak", formdata=None)
    agreement_form.owner_id.choices = member_choices(trajectory)
    if form.validate_on_submit():
        try:
            stored: list[Meeting] = []
            saved = save_unless_stale(
                form, meeting, lambda: stored.append(services.save_meeting(trajectory, meeting, form.data))
            )
        except services.MeetingError:
            db.session.rollback()
            form.guests.errors.append(
                _("Write each guest as: name; organisation; layer (bestuur, management or uitvoerend).")
            )
        else:
            if saved:
                flash(_("The meeting has been saved."), "success")
                return redirect(
                    url_for("meetings.meeting", trajectory_id=trajectory.id, meeting_id=stored[0].id)
                )
            flash(_("Someone else saved this meeting in the meantime; your input is kept below."), "error")
    return render_template(
        "meetings/meeting.html",
        trajectory=trajectory,
        meeting=meeting,
        form=form,
        agreement_form=agreement_form,
    )


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/<id:meeting_id>/afspraken", methods=["POST"])
@login_required
@redisplay_on_csrf_failure
def agreement_new(trajectory_id: int, meeting_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit)
    meeting = get_in_trajectory_or_404(Meeting, trajectory, meeting_id)
    agreement_form = AgreementForm(prefix="afspraak")
    agreement_form.owner_id.choices = member_choices(trajectory)
    if agreement_form.validate_on_submit():
        try:
            services.add_agreement(trajectory, meeting, agreement_form.data)
        except PlanError:
            db.session.rollback()
            agreement_form.text.errors.append(str(NO_PLAN))
        else:
            db.session.commit()
            flash(_("The agreement has been recorded and is now an action."), "success")
            return redirect(
                url_for(
                    "meetings.meeting",
                    trajectory_id=trajectory.id,
                    meeting_id=meeting.id,
                    _anchor="afspraken",
                )
            )
    form = MeetingForm(obj=meeting, formdata=None)
    form.attendee_ids.choices = [(str(m.id), m.user.name) for m in trajectory.memberships]
    form.attendee_ids.data = [str(a.membership_id) for a in meeting.attendees if a.membership_id]
    form.guests.data = services.guests_text(meeting)
    return render_template(
        "meetings/meeting.html",
        trajectory=trajectory,
        meeting=meeting,
        form=form,
        agreement_form=agreement_form,
    ), 422
