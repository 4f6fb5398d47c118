"""Network analysis (2a), network meetings (2b), process analysis (3), shared ambitions and the
ambition workshop."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tracker.access import can_edit, can_view, get_in_trajectory_or_404, load_trajectory, membership_of
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.extensions import db
from tracker.forms import BaseForm, redisplay_on_csrf_failure
from tracker.ids import parse_id
from tracker.models import Ambition, Meeting, NetworkPartner, ProcessStep, Workshop
from tracker.models.enums import label
from tracker.models.network import Perception
from tracker.network import services
from tracker.network.forms import (
    AgreementForm,
    AmbitionForm,
    ClientGoalsForm,
    GradeForm,
    MeetingForm,
    NoteForm,
    ObjectiveForm,
    ParticipantForm,
    PartnerForm,
    PhotoForm,
    StepForm,
    WorkshopForm,
)

bp = Blueprint("network", __name__)

NO_PLAN = _l(
    "There is no external action plan with an open cycle yet; "
    "make one first, then agreements and first steps become actions."
)


def _members(trajectory, empty: str | None = None):
    choices = [("", empty)] if empty is not None else [("", _("Choose a member"))]
    return choices + [
        (str(m.id), f"{m.user.name} ({m.organisation.name}, {label(m.layer)})")
        for m in trajectory.memberships
    ]


def _organisations():
    from tracker.admin.services import list_organisations

    return [(str(o.id), o.name) for o in list_organisations()]


# --- network analysis -----------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/netwerk", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/netwerk/<id:partner_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def partners(trajectory_id: int, partner_id: int | None = None):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    partner = get_in_trajectory_or_404(NetworkPartner, trajectory, partner_id) if partner_id else None
    form = PartnerForm(obj=partner)
    form.organisation_id.choices = [("", _("Choose an organisation"))] + _organisations()
    form.contact_id.choices = _members(trajectory, _("Nobody yet"))
    if request.method == "GET" and partner:
        form.organisation_id.data = str(partner.organisation_id)
        form.contact_id.data = str(partner.contact_id or "")
    if form.validate_on_submit():
        try:
            saved = save_unless_stale(
                form, partner, lambda: services.save_partner(trajectory, partner, form.data)
            )
        except services.NetworkError:
            db.session.rollback()
            form.organisation_id.errors.append(_("This organisation is already in the network table."))
        else:
            if saved:
                flash(_("The network table has been saved."), "success")
                return redirect(url_for("network.partners", trajectory_id=trajectory.id))
            flash(_("Someone else saved this partner in the meantime; your input is kept below."), "error")
    return render_template(
        "network/partners.html",
        trajectory=trajectory,
        partners=services.partners_of(trajectory),
        form=form,
        partner=partner,
    )


# --- meetings -------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/bijeenkomsten", methods=["GET"])
@login_required
def meetings(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id)
    return render_template(
        "network/meetings.html",
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
    agreement_form.owner_id.choices = _members(trajectory)
    if form.validate_on_submit():
        try:
            stored: list[Meeting] = []
            saved = save_unless_stale(
                form, meeting, lambda: stored.append(services.save_meeting(trajectory, meeting, form.data))
            )
        except services.NetworkError:
            db.session.rollback()
            form.guests.errors.append(
                _("Write each guest as: name; organisation; layer (bestuur, management or uitvoerend).")
            )
        else:
            if saved:
                flash(_("The meeting has been saved."), "success")
                return redirect(
                    url_for("network.meeting", trajectory_id=trajectory.id, meeting_id=stored[0].id)
                )
            flash(_("Someone else saved this meeting in the meantime; your input is kept below."), "error")
    return render_template(
        "network/meeting.html",
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
    agreement_form.owner_id.choices = _members(trajectory)
    if agreement_form.validate_on_submit():
        try:
            services.add_agreement(trajectory, meeting, agreement_form.data)
        except services.NetworkError:
            db.session.rollback()
            agreement_form.text.errors.append(str(NO_PLAN))
        else:
            db.session.commit()
            flash(_("The agreement has been recorded and is now an action."), "success")
            return redirect(
                url_for(
                    "network.meeting", trajectory_id=trajectory.id, meeting_id=meeting.id, _anchor="afspraken"
                )
            )
    form = MeetingForm(obj=meeting, formdata=None)
    form.attendee_ids.choices = [(str(m.id), m.user.name) for m in trajectory.memberships]
    form.attendee_ids.data = [str(a.membership_id) for a in meeting.attendees if a.membership_id]
    form.guests.data = services.guests_text(meeting)
    return render_template(
        "network/meeting.html",
        trajectory=trajectory,
        meeting=meeting,
        form=form,
        agreement_form=agreement_form,
    ), 422


# --- process analysis -----------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/proces", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def process(trajectory_id: int, step_id: int | None = None):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    step = get_in_trajectory_or_404(ProcessStep, trajectory, step_id) if step_id else None
    form = StepForm(obj=step)
    form.organisation_ids.choices = _organisations()
    if request.method == "GET" and step:
        form.organisation_ids.data = [str(o.id) for o in step.organisations]
    goals_form = ClientGoalsForm(obj=trajectory, prefix="doelen")
    goals_conflict = None
    if request.method == "POST" and "doelen-client_goals" in request.form:
        if goals_form.validate_on_submit():
            if save_unless_stale(
                goals_form, trajectory, lambda: services.save_client_goals(trajectory, goals_form.data)
            ):
                flash(_("Saved."), "success")
                return redirect(url_for("network.process", trajectory_id=trajectory.id))
            theirs = label(Perception(trajectory.client_goals)) if trajectory.client_goals else ""
            goals_conflict = [
                (goals_form.client_goals.label.text, theirs),
                (goals_form.client_goals_note.label.text, trajectory.client_goals_note),
            ]
    elif form.validate_on_submit():
        saved = save_unless_stale(form, step, lambda: services.save_step(trajectory, step, form.data))
        if saved:
            flash(_("The step has been saved."), "success")
            return redirect(url_for("network.process", trajectory_id=trajectory.id))
        flash(_("Someone else saved this step in the meantime; your input is kept below."), "error")
    steps = services.steps_of(trajectory)
    return render_template(
        "network/process.html",
        trajectory=trajectory,
        steps=steps,
        lanes=services.swimlane(steps),
        form=form,
        step=step,
        goals_form=goals_form,
        goals_conflict=goals_conflict,
    )


@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>/verplaatsen", methods=["POST"])
@login_required
def step_move(trajectory_id: int, step_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit)
    step = get_in_trajectory_or_404(ProcessStep, trajectory, step_id)
    with commit_or_conflict() as outcome:
        moved = services.move_step(trajectory, step, -1 if request.form.get("richting") == "omhoog" else 1)
    if outcome.saved and not moved:
        flash(_("This step cannot move further that way."), "info")
    return redirect(url_for("network.process", trajectory_id=trajectory.id))


@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>/actie", methods=["POST"])
@login_required
def step_action(trajectory_id: int, step_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit)
    step = get_in_trajectory_or_404(ProcessStep, trajectory, step_id)
    mine = membership_of(current_user, trajectory)
    owner = mine.id if mine else trajectory.memberships[0].id
    try:
        action = services.make_action(
            trajectory,
            f"Knelpunt oplossen: {step.title}",
            owner,
            None,
            "\n".join(filter(None, [step.bottleneck, step.solution])),
            (services.SOURCE_STEP, step.id),
        )
    except services.NetworkError:
        db.session.rollback()
        flash(str(NO_PLAN), "error")
        return redirect(url_for("network.process", trajectory_id=trajectory.id))
    db.session.commit()
    flash(_("The action has been made; give it an owner and a due date."), "success")
    return redirect(url_for("actions.edit", trajectory_id=trajectory.id, action_id=action.id))


# --- ambitions ------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/ambities", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/ambities/<id:ambition_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def ambitions(trajectory_id: int, ambition_id: int | None = None):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    ambition = get_in_trajectory_or_404(Ambition, trajectory, ambition_id) if ambition_id else None
    form = AmbitionForm(obj=ambition)
    if request.method == "GET" and ambition is None:
        form.active.data = True
    objective_form = ObjectiveForm(prefix="doel")
    if request.method == "POST" and ambition is not None and "doel-text" in request.form:
        if objective_form.validate_on_submit():
            services.add_objective(ambition, objective_form.text.data)
            db.session.commit()
            flash(_("The objective has been added."), "success")
            return redirect(
                url_for("network.ambitions", trajectory_id=trajectory.id, _anchor=f"ambitie-{ambition.id}")
            )
    elif form.validate_on_submit():
        try:
            saved = save_unless_stale(
                form, ambition, lambda: services.save_ambition(trajectory, ambition, form.data)
            )
        except services.NetworkError:
            db.session.rollback()
            form.title.errors.append(
                _("A trajectory has at most three active shared ambitions. Make one inactive first.")
            )
        else:
            if saved:
                flash(_("The shared ambition has been saved."), "success")
                return redirect(url_for("network.ambitions", trajectory_id=trajectory.id))
            flash(_("Someone else saved this ambition in the meantime; your input is kept below."), "error")
    return render_template(
        "network/ambitions.html",
        trajectory=trajectory,
        ambitions=services.ambitions_of(trajectory),
        actions=services.actions_by_objective(trajectory),
        form=form,
        ambition=ambition,
        objective_form=ObjectiveForm(prefix="doel", formdata=None) if ambition is None else objective_form,
    )


# --- workshops ------------------------------------------------------------------------------


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
        return redirect(url_for("network.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id))
    items = db.session.scalars(
        db.select(Workshop).where(Workshop.trajectory_id == trajectory.id).order_by(Workshop.held_on.desc())
    ).all()
    return render_template("network/workshops.html", trajectory=trajectory, workshops=items, form=form)


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
    participant_form.membership_id.choices = _members(trajectory)
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
        except services.NetworkError:
            db.session.rollback()
            participant_form.membership_id.errors.append(_("This person already takes part."))
        else:
            db.session.commit()
            return redirect(
                url_for(
                    "network.workshop",
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
                "network.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="notities"
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
                "network.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="clusteren"
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
            except services.NetworkError:
                db.session.rollback()
                grade_form.first_step.errors.append(str(NO_PLAN))
            else:
                if saved:
                    flash(_("Saved for %(name)s.", name=participant.display_name), "success")
                    return redirect(
                        url_for(
                            "network.workshop",
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
        "network/workshop.html",
        trajectory=trajectory,
        workshop=workshop,
        participant_form=participant_form,
        note_form=note_form,
        grade_forms=grade_forms,
        grade_conflicts=grade_conflicts,
        photo_form=PhotoForm(prefix="foto"),
        ambitions=[a for a in services.ambitions_of(trajectory) if a.active],
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
        except services.NetworkError as exc:
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
        url_for("network.workshop", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor="foto")
    )
