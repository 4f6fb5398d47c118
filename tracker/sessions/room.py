"""The room's views of a guided session: the screen (the current step in large type for the
projector, the Taart drawn as rings with the notes in them) and the participants' own page, on
which each member adds notes from their phone. Both refresh without JavaScript (the screen by a
meta refresh, the participants' page by a plain link)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import get_in_trajectory_or_404, membership_of, rule
from tracker.extensions import db
from tracker.forms import ErrorItem, redisplay_on_csrf_failure
from tracker.models import Instrument, SessionStatus, Trajectory, Workshop
from tracker.sessions import pie, services
from tracker.sessions.blueprint import bp
from tracker.sessions.forms import OwnNoteForm
from tracker.sessions.messages import refusal
from tracker.sessions.services import SessionError
from tracker.sessions.steps import position

SCREEN_REFRESH_SECONDS = 10


def _load(trajectory: Trajectory, workshop_id: int) -> Workshop:
    return services.with_everything(get_in_trajectory_or_404(Workshop, trajectory, workshop_id))


@bp.route("/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>/scherm", methods=["GET"])
@rule()
def screen(trajectory: Trajectory, workshop_id: int):
    workshop = _load(trajectory, workshop_id)
    where = position(workshop)
    return render_template(
        "sessions/screen.html",
        trajectory=trajectory,
        workshop=workshop,
        where=where,
        step=where.current,
        notes=services.notes_in(workshop, where.current.category),
        rings=pie.rings(workshop) if workshop.instrument == Instrument.TAART else [],
        pie_box=(pie.WIDTH, pie.HEIGHT),
        refresh=SCREEN_REFRESH_SECONDS,
    )


@bp.route("/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>/meedoen", methods=["GET", "POST"])
@rule()
@redisplay_on_csrf_failure
def join(trajectory: Trajectory, workshop_id: int):
    """A member's own notes for the current step (they join the session with their first note)."""
    workshop = _load(trajectory, workshop_id)
    form = OwnNoteForm(prefix="mijn")
    error_items: list[ErrorItem] = []
    if request.method == "POST" and form.validate_on_submit():
        member = membership_of(current_user, trajectory)
        try:
            if member is None:
                raise SessionError("not_a_member")
            services.note_from_member(workshop, form.stap.data or "", member, form.text.data)
        except SessionError as error:
            db.session.rollback()
            form.text.errors.append(refusal(error))
        else:
            db.session.commit()
            flash(_("Your note is on the sheet."), "success")
            return redirect(url_for("sessions.join", trajectory_id=trajectory.id, workshop_id=workshop.id))
    where = position(workshop)
    form.stap.data = where.current.key  # a note sent again goes to the step shown now
    mine = membership_of(current_user, trajectory)
    return render_template(
        "sessions/join.html",
        trajectory=trajectory,
        workshop=workshop,
        step=where.current,
        form=form,
        error_items=error_items,
        open_for_notes=workshop.status == SessionStatus.BEZIG and where.current.category is not None,
        my_notes=[n for n in workshop.notes if mine is not None and n.participant.membership_id == mine.id],
    ), (422 if request.method == "POST" else 200)
