"""Network meetings (phase 2b): who came, what each layer concluded, and working agreements
that become actions."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker.access import (
    can_edit,
    get_in_trajectory_or_404,
    get_membership_or_404,
    rule,
    trajectory_blueprint,
)
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import member_choices, redisplay_on_csrf_failure
from tracker.meetings import services
from tracker.meetings.forms import AgreementForm, MeetingForm
from tracker.models import Meeting, Trajectory
from tracker.paging import paginate
from tracker.plans.forms import NO_PLAN
from tracker.plans.services import PlanError

bp = trajectory_blueprint("meetings", __name__)


def _meeting_form(trajectory: Trajectory, meeting: Meeting | None, *, stored: bool) -> MeetingForm:
    """The meeting's form: with what is stored (``stored``), or with what was posted."""
    form = MeetingForm(obj=meeting, formdata=None) if stored else MeetingForm(obj=meeting)
    form.attendee_ids.choices = [
        (str(m.id), f"{m.user.name} ({m.organisation.name})") for m in trajectory.memberships
    ]
    if stored:
        if meeting is None:
            form.held_on.data = date.today()
        else:
            form.attendee_ids.data = [str(a.membership_id) for a in meeting.attendees if a.membership_id]
            form.guests.data = services.guests_text(meeting)
    return form


def _agreement_form(trajectory: Trajectory, *, empty: bool = False) -> AgreementForm:
    form = AgreementForm(prefix="afspraak", formdata=None) if empty else AgreementForm(prefix="afspraak")
    form.owner_id.choices = member_choices(trajectory)
    return form


def _meeting_page(
    trajectory: Trajectory, meeting: Meeting, agreement_form: AgreementForm, *, open_form: bool = False
) -> str:
    """The meeting to read; editors find the agreement form folded under the agreements."""
    return render_template(
        "meetings/meeting.html",
        trajectory=trajectory,
        meeting=meeting,
        agreement_form=agreement_form,
        open_form=open_form,
    )


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten", methods=["GET"])
@rule()
def meetings(trajectory: Trajectory):
    return render_template(
        "meetings/meetings.html",
        trajectory=trajectory,
        meetings=paginate(services.meetings_of(trajectory), scalars=False),
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/<id:meeting_id>", methods=["GET"])
@rule()
def meeting(trajectory: Trajectory, meeting_id: int):
    meeting = get_in_trajectory_or_404(Meeting, trajectory, meeting_id)
    return _meeting_page(trajectory, meeting, _agreement_form(trajectory, empty=True))


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/<id:meeting_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/<id:meeting_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def meeting_edit(trajectory: Trajectory, meeting_id: int | None = None):
    """Record a new meeting or change one; the meeting's own URL still takes the posted form."""
    meeting = get_in_trajectory_or_404(Meeting, trajectory, meeting_id) if meeting_id else None
    form = _meeting_form(trajectory, meeting, stored=request.method == "GET")
    if form.validate_on_submit():
        values = form.to_values(trajectory)
        stored: list[Meeting] = []
        if save_unless_stale(
            form, meeting, lambda: stored.append(services.save_meeting(trajectory, meeting, values))
        ):
            flash(_("The meeting has been saved."), "success")
            return redirect(url_for("meetings.meeting", trajectory_id=trajectory.id, meeting_id=stored[0].id))
        flash(_("Someone else saved this meeting in the meantime; your input is kept below."), "error")
    return render_template("meetings/meeting_edit.html", trajectory=trajectory, meeting=meeting, form=form)


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten/<id:meeting_id>/afspraken", methods=["POST"])
@rule(write=can_edit)
@redisplay_on_csrf_failure
def agreement_new(trajectory: Trajectory, meeting_id: int):
    meeting = get_in_trajectory_or_404(Meeting, trajectory, meeting_id)
    agreement_form = _agreement_form(trajectory)
    if agreement_form.validate_on_submit():
        try:
            services.add_agreement(
                trajectory,
                meeting,
                text=agreement_form.text.data,
                owner=get_membership_or_404(trajectory, int(agreement_form.owner_id.data)),
                due_date=agreement_form.due_date.data,
            )
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
    return _meeting_page(trajectory, meeting, agreement_form, open_form=True), 422
