"""The ambition workshop (Taart van ambities): participants, notes, clustering under the shared
ambitions, grades and first steps, and a photo of the paper sheet.

The workshop page holds several small forms; the hidden field ``stap`` says which one was posted
(``deelnemer``, ``notitie``, ``clusteren`` or ``cijfer-<participant id>``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.access import (
    can_edit,
    get_in_trajectory_or_404,
    get_membership_or_404,
    rule,
    trajectory_blueprint,
)
from tracker.ambitions.services import ambitions_of
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import BaseForm, member_choices, redisplay_on_csrf_failure
from tracker.ids import parse_id
from tracker.models import Instrument, NoteCategory, Trajectory, Workshop, WorkshopParticipant
from tracker.plans.forms import NO_PLAN
from tracker.plans.services import PlanError
from tracker.workshops import services
from tracker.workshops.forms import GradeForm, NoteForm, ParticipantForm, PhotoForm, WorkshopForm

bp = trajectory_blueprint("workshops", __name__)


@bp.route("/trajecten/<id:trajectory_id>/werksessies", methods=["GET"])
@rule()
def workshops(trajectory: Trajectory):
    return render_template(
        "workshops/workshops.html", trajectory=trajectory, workshops=services.workshops_of(trajectory)
    )


@bp.route("/trajecten/<id:trajectory_id>/werksessies", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/werksessies/nieuw", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def workshop_new(trajectory: Trajectory):
    """Start a workshop; the list's own URL still takes the posted form."""
    form = WorkshopForm()
    if request.method == "GET":
        form.held_on.data = date.today()
    if form.validate_on_submit():
        instrument = Instrument(form.instrument.data)
        workshop = services.create_workshop(
            trajectory, form.title.data or instrument.label, form.held_on.data, instrument
        )
        db.session.commit()
        return redirect(url_for("sessions.step", trajectory_id=trajectory.id, workshop_id=workshop.id))
    return render_template("workshops/workshop_new.html", trajectory=trajectory, form=form)


# --- the workshop page ----------------------------------------------------------------------


@dataclass
class WorkshopPage:
    """The forms of one workshop page; only the posted one (``step``) reads the request."""

    trajectory: Trajectory
    workshop: Workshop
    step: str
    participant_form: ParticipantForm
    note_form: NoteForm
    grade_forms: dict[int, GradeForm]
    grade_conflicts: dict[int, list[tuple[str, object]]] = field(default_factory=dict)

    @classmethod
    def build(cls, trajectory: Trajectory, workshop: Workshop) -> WorkshopPage:
        step = request.form.get("stap", "")
        participant_form = ParticipantForm(prefix="deelnemer")
        participant_form.membership_id.choices = member_choices(trajectory)
        note_form = NoteForm(prefix="notitie")
        note_form.participant_id.choices = [("", _("Choose a participant"))] + [
            (str(p.id), p.display_name) for p in workshop.participants
        ]
        grade_forms = {
            p.id: GradeForm(
                prefix=f"p{p.id}", obj=p, formdata=request.form if step == f"cijfer-{p.id}" else None
            )
            for p in workshop.participants
        }
        return cls(trajectory, workshop, step, participant_form, note_form, grade_forms)

    def url(self, anchor: str) -> str:
        return url_for(
            "workshops.workshop",
            trajectory_id=self.trajectory.id,
            workshop_id=self.workshop.id,
            _anchor=anchor,
        )

    def render(self) -> tuple[str, int]:
        return render_template(
            "workshops/workshop.html",
            trajectory=self.trajectory,
            workshop=self.workshop,
            participant_form=self.participant_form,
            note_form=self.note_form,
            grade_forms=self.grade_forms,
            grade_conflicts=self.grade_conflicts,
            photo_form=PhotoForm(prefix="foto"),
            failed_step=self.step if request.method == "POST" else "",
            ambitions=[a for a in ambitions_of(self.trajectory) if a.active],
            baseline=services.baseline(self.workshop),
        ), (422 if request.method == "POST" else 200)


def _add_participant(page: WorkshopPage) -> Response | None:
    form = page.participant_form
    if not form.validate_on_submit():
        return None
    try:
        member = get_membership_or_404(page.trajectory, int(form.membership_id.data))
        services.add_participant(page.workshop, member, form.role.data or "")
    except services.WorkshopError:
        db.session.rollback()
        form.membership_id.errors.append(_("This person already takes part."))
        return None
    db.session.commit()
    return redirect(page.url("deelnemers"))


def _add_note(page: WorkshopPage) -> Response | None:
    form = page.note_form
    if not form.validate_on_submit():
        return None
    participant = next(p for p in page.workshop.participants if str(p.id) == form.participant_id.data)
    services.add_note(page.workshop, participant, NoteCategory(form.category.data), form.text.data)
    db.session.commit()
    return redirect(page.url("notities"))


def _cluster(page: WorkshopPage) -> Response | None:
    if not BaseForm().validate_on_submit():  # the CSRF check, nothing else
        return None
    assignments = {
        note.id: parse_id(request.form.get(f"ambitie-{note.id}", "")) for note in page.workshop.notes
    }
    services.cluster(page.workshop, assignments, page.trajectory)
    db.session.commit()
    flash(_("The notes have been clustered."), "success")
    return redirect(page.url("clusteren"))


def _grade(page: WorkshopPage, participant: WorkshopParticipant) -> Response | None:
    """Save a participant's grade and first step (a new first step becomes their action)."""
    form = page.grade_forms[participant.id]
    if not form.validate_on_submit():
        return None
    save = partial(
        services.save_participant, page.trajectory, participant, form.grade.data, form.first_step.data or ""
    )
    try:
        saved = save_unless_stale(form, participant, save)
    except PlanError:
        db.session.rollback()
        form.first_step.errors.append(str(NO_PLAN))
        return None
    if saved:
        flash(_("Saved for %(name)s.", name=participant.display_name), "success")
        return redirect(page.url(f"deelnemer-{participant.id}"))
    page.grade_conflicts[participant.id] = [
        (form.grade.label.text, participant.grade),
        (form.first_step.label.text, participant.first_step),
    ]
    return None


def _act(page: WorkshopPage) -> Response | None:
    """Handle the posted form; a redirect when it was saved, None to show the page again."""
    handlers = {"deelnemer": _add_participant, "notitie": _add_note, "clusteren": _cluster}
    if page.step in handlers:
        return handlers[page.step](page)
    participant = next((p for p in page.workshop.participants if page.step == f"cijfer-{p.id}"), None)
    return _grade(page, participant) if participant is not None else None


@bp.route("/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>", methods=["GET", "POST"])
@rule()
@redisplay_on_csrf_failure
def workshop(trajectory: Trajectory, workshop_id: int):
    workshop = services.with_details(get_in_trajectory_or_404(Workshop, trajectory, workshop_id))
    page = WorkshopPage.build(trajectory, workshop)
    if request.method == "POST" and (response := _act(page)) is not None:
        return response
    return page.render()


# --- the photo of the sheet -----------------------------------------------------------------


def _send_photo(workshop: Workshop) -> Response:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    if not workshop.photo or not (folder / workshop.photo).is_file():
        abort(404)
    response = send_file(folder / workshop.photo, mimetype=workshop.photo_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _refusal(reason: str) -> str:
    if reason == "too_large":
        return _(
            "The photo is larger than %(mb)d MB; nothing was stored.",
            mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        )
    return _("Only images (JPEG, PNG, GIF or WebP) can be uploaded; nothing was stored.")


@bp.route("/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>/foto", methods=["GET", "POST"])
@rule()
def workshop_photo(trajectory: Trajectory, workshop_id: int):
    workshop = get_in_trajectory_or_404(Workshop, trajectory, workshop_id)
    if request.method == "GET":
        return _send_photo(workshop)
    form = PhotoForm(prefix="foto")
    upload = request.files.get("foto-photo")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Choose a photo to upload."), "error")
    else:
        try:
            services.store_photo(workshop, upload.stream)
        except services.WorkshopError as exc:
            db.session.rollback()
            flash(_refusal(str(exc)), "error")
        else:
            db.session.commit()
            flash(_("The photo has been stored."), "success")
    if request.form.get("terug") == "sessie":  # sent from the guided session's step
        return redirect(
            url_for("sessions.step", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="foto")
        )
    return redirect(
        url_for("workshops.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="foto")
    )
