"""The ambition workshop (Taart van ambities): participants, notes, clustering under the shared
ambitions, grades and first steps, and a photo of the paper sheet."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker.access import can_edit, can_view, load_trajectory
from tracker.ambitions.services import ambitions_of
from tracker.concurrency import save_unless_stale
from tracker.extensions import db
from tracker.forms import BaseForm, redisplay_on_csrf_failure
from tracker.ids import parse_id
from tracker.models import Workshop
from tracker.plans.services import PlanError
from tracker.shared_forms import NO_PLAN, member_choices
from tracker.workshops import services
from tracker.workshops.forms import GradeForm, NoteForm, ParticipantForm, PhotoForm, WorkshopForm

bp = Blueprint("workshops", __name__)


@bp.route("/trajecten/<id:trajectory_id>/werksessies", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def workshops(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    form = WorkshopForm()
    if request.method == "GET":
        form.title.data, form.held_on.data = _("Taart van ambities"), date.today()
    if form.validate_on_submit():
        workshop = Workshop(trajectory_id=trajectory.id, title=form.title.data, held_on=form.held_on.data)
        db.session.add(workshop)
        db.session.commit()
        return redirect(url_for("workshops.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id))
    items = db.session.scalars(
        db.select(Workshop).where(Workshop.trajectory_id == trajectory.id).order_by(Workshop.held_on.desc())
    ).all()
    return render_template("workshops/workshops.html", trajectory=trajectory, workshops=items, form=form)


def _workshop(trajectory, workshop_id: int) -> Workshop:
    workshop = services.workshop_with_everything(workshop_id)
    if workshop is None or workshop.trajectory_id != trajectory.id:
        abort(404)
    return workshop


@bp.route("/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def workshop(trajectory_id: int, workshop_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    workshop = _workshop(trajectory, workshop_id)
    participant_form = ParticipantForm(prefix="deelnemer")
    participant_form.membership_id.choices = member_choices(trajectory)
    note_form = NoteForm(prefix="notitie")
    note_form.participant_id.choices = [("", _("Choose a participant"))] + [
        (str(p.id), p.display_name) for p in workshop.participants
    ]
    action = request.form.get("stap")
    if action == "deelnemer" and participant_form.validate_on_submit():
        try:
            services.add_participant(
                workshop, int(participant_form.membership_id.data), participant_form.role.data or ""
            )
        except services.WorkshopError:
            db.session.rollback()
            participant_form.membership_id.errors.append(_("This person already takes part."))
        else:
            db.session.commit()
            return redirect(
                url_for(
                    "workshops.workshop",
                    trajectory_id=trajectory.id,
                    workshop_id=workshop.id,
                    _anchor="deelnemers",
                )
            )
    elif action == "notitie" and note_form.validate_on_submit():
        services.add_note(
            workshop, int(note_form.participant_id.data), note_form.category.data, note_form.text.data
        )
        db.session.commit()
        return redirect(
            url_for(
                "workshops.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="notities"
            )
        )
    elif action == "clusteren" and BaseForm().validate_on_submit():  # the CSRF check, nothing else
        assignments = {}
        for note in workshop.notes:
            value = request.form.get(f"ambitie-{note.id}", "")
            assignments[note.id] = parse_id(value)
        services.cluster(workshop, assignments, trajectory)
        db.session.commit()
        flash(_("The notes have been clustered."), "success")
        return redirect(
            url_for(
                "workshops.workshop",
                trajectory_id=trajectory.id,
                workshop_id=workshop.id,
                _anchor="clusteren",
            )
        )
    grade_forms, grade_conflicts = {}, {}
    for participant in workshop.participants:
        grade_form = GradeForm(
            prefix=f"p{participant.id}",
            obj=participant,
            formdata=request.form if action == f"cijfer-{participant.id}" else None,
        )
        grade_forms[participant.id] = grade_form
        if action == f"cijfer-{participant.id}" and grade_form.validate_on_submit():
            try:
                saved = save_unless_stale(
                    grade_form,
                    participant,
                    partial(
                        services.save_participant,
                        trajectory,
                        participant,
                        grade_form.grade.data,
                        grade_form.first_step.data or "",
                    ),
                )
            except PlanError:
                db.session.rollback()
                grade_form.first_step.errors.append(str(NO_PLAN))
            else:
                if saved:
                    flash(_("Saved for %(name)s.", name=participant.display_name), "success")
                    return redirect(
                        url_for(
                            "workshops.workshop",
                            trajectory_id=trajectory.id,
                            workshop_id=workshop.id,
                            _anchor=f"deelnemer-{participant.id}",
                        )
                    )
                grade_conflicts[participant.id] = [
                    (grade_form.grade.label.text, participant.grade),
                    (grade_form.first_step.label.text, participant.first_step),
                ]
    return render_template(
        "workshops/workshop.html",
        trajectory=trajectory,
        workshop=workshop,
        participant_form=participant_form,
        note_form=note_form,
        grade_forms=grade_forms,
        grade_conflicts=grade_conflicts,
        photo_form=PhotoForm(prefix="foto"),
        ambitions=[a for a in ambitions_of(trajectory) if a.active],
        baseline=services.baseline(workshop),
    ), (422 if request.method == "POST" else 200)


@bp.route("/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>/foto", methods=["GET", "POST"])
@login_required
def workshop_photo(trajectory_id: int, workshop_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    workshop = _workshop(trajectory, workshop_id)
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    if request.method == "GET":
        if not workshop.photo or not (folder / workshop.photo).is_file():
            abort(404)
        response = send_file(folder / workshop.photo, mimetype=workshop.photo_type, max_age=0)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    form = PhotoForm(prefix="foto")
    upload = request.files.get("foto-photo")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Choose a photo to upload."), "error")
    else:
        try:
            services.store_photo(workshop, upload.stream)
        except services.WorkshopError as exc:
            db.session.rollback()
            if str(exc) == "too_large":
                flash(
                    _(
                        "The photo is larger than %(mb)d MB; nothing was stored.",
                        mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                    ),
                    "error",
                )
            else:
                flash(_("Only images (JPEG, PNG, GIF or WebP) can be uploaded; nothing was stored."), "error")
        else:
            db.session.commit()
            flash(_("The photo has been stored."), "success")
    return redirect(
        url_for("workshops.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="foto")
    )
