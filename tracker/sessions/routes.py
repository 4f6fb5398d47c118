"""The facilitator's view of a guided session: the current step with its purpose, help questions
and the input it collects; moving forward, back, skipping, pausing and resuming; and at the end
putting the session into the work.

The step page holds the forms of the current step's inputs; the hidden ``invoer`` says which one
was posted and ``stap`` for which step (input for a step the session is not at is refused)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.access import can_edit, get_in_trajectory_or_404, rule
from tracker.ambitions.services import ambitions_of
from tracker.extensions import db
from tracker.forms import BaseForm, ErrorItem, chosen_member, member_choices, redisplay_on_csrf_failure
from tracker.models import Ambition, ResultKind, Trajectory, Workshop
from tracker.sessions import forms, items, room, services, work  # noqa: F401  (items, room: their views)
from tracker.sessions.blueprint import bp
from tracker.sessions.messages import refusal
from tracker.sessions.services import SessionError
from tracker.sessions.steps import position

SESSION = "/trajecten/<id:trajectory_id>/werksessies/<id:workshop_id>/sessie"


@dataclass
class StepPage:
    """The current step's forms; only the posted one (``kind``) reads the request."""

    trajectory: Trajectory
    workshop: Workshop
    kind: str
    forms: dict[str, BaseForm]
    error_items: list[ErrorItem] = field(default_factory=list)
    ambitions: list[Ambition] = field(default_factory=list)  # the trajectory's active ambitions

    @classmethod
    def build(cls, trajectory: Trajectory, workshop: Workshop) -> StepPage:
        kind = request.form.get("invoer", "") if request.method == "POST" else ""
        page = cls(trajectory, workshop, kind, _forms(trajectory, workshop, kind))
        page.ambitions = [a for a in ambitions_of(trajectory) if a.active]
        page.forms["ambitions"].existing.choices = [("", _("No: a new ambition"))] + [  # type: ignore[attr-defined]
            (str(a.id), a.title) for a in page.ambitions
        ]
        return page

    def refuse(self, error: SessionError) -> None:
        db.session.rollback()
        self.error_items.append(ErrorItem(None, _("Session"), refusal(error)))

    def render(self, status: int = 200) -> tuple[str, int]:
        where = position(self.workshop)
        return render_template(
            "sessions/step.html",
            trajectory=self.trajectory,
            workshop=self.workshop,
            where=where,
            step=where.current,
            forms=self.forms,
            error_items=self.error_items,
            step_notes=services.notes_in(self.workshop, where.current.category),
            room_for_ambitions=work.room_for_ambitions(self.trajectory),
            editable=can_edit_now(self.trajectory),
        ), status


def can_edit_now(trajectory: Trajectory) -> bool:
    return can_edit(current_user, trajectory)


def _forms(trajectory: Trajectory, workshop: Workshop, kind: str) -> dict[str, BaseForm]:
    def data(name: str) -> Any:
        return request.form if kind == name else None

    members = member_choices(trajectory)
    result: dict[str, BaseForm] = {
        "participants": forms.ParticipantForm(prefix="deelnemer", formdata=data("participants")),
        "notes": forms.NoteForm(prefix="notitie", formdata=data("notes")),
        "ambitions": forms.AmbitionForm(prefix="ambitie", formdata=data("ambitions")),
        "joint_steps": forms.JointStepForm(prefix="samen", formdata=data("joint_steps")),
        "evaluation": forms.EvaluationForm(prefix="evaluatie", formdata=data("evaluation")),
        "focus": forms.FocusForm(prefix="focus", formdata=data("focus"), focus=workshop.focus),
        "look_back": forms.LookBackForm(
            prefix="terug", formdata=data("look_back"), look_back=workshop.look_back
        ),
        "grades": forms.grades_form(workshop.participants, data("grades")),
        "first_steps": forms.first_steps_form(workshop.participants, data("first_steps")),
    }
    result["participants"].membership_id.choices = members  # type: ignore[attr-defined]
    result["notes"].participant_id.choices = [("", _("Choose a participant"))] + [  # type: ignore[attr-defined]
        (str(p.id), p.display_name) for p in workshop.participants
    ]
    result["joint_steps"].owner_id.choices = members  # type: ignore[attr-defined]
    result["evaluation"].owner_id.choices = members  # type: ignore[attr-defined]
    if request.method == "GET" and workshop.evaluation_on:
        evaluation: Any = result["evaluation"]
        evaluation.how.data, evaluation.on.data = workshop.evaluation_how, workshop.evaluation_on
        evaluation.owner_id.data = str(workshop.evaluation_owner_id or "")
    return result


# --- applying one posted input (each returns the anchor to go back to) --------------------------


def _participant(page: StepPage, form: Any, step: str) -> str:
    member = chosen_member(page.trajectory, form.membership_id.data)
    if member is None:
        form.membership_id.errors.append(_("Choose a member of this trajectory."))
        raise _Invalid
    if any(p.membership_id == member.id for p in page.workshop.participants):
        form.membership_id.errors.append(_("This person already takes part."))
        raise _Invalid
    services.add_participant(page.workshop, step, member, form.role.data or "")
    return "deelnemers"


def _note(page: StepPage, form: Any, step: str) -> str:
    participant = next(p for p in page.workshop.participants if str(p.id) == form.participant_id.data)
    services.add_note(page.workshop, step, participant, form.text.data)
    return "notities"


def _ambition(page: StepPage, form: Any, step: str) -> str:
    existing = next((a for a in page.ambitions if str(a.id) == form.existing.data), None)
    kind = ResultKind(form.result_kind.data) if form.result_kind.data else None
    try:
        services.add_ambition(page.workshop, step, form.title.data or "", kind, existing)
    except SessionError as error:
        if str(error) != "too_many":
            raise
        form.title.errors.append(refusal(error))
        raise _Invalid from None
    return "ambities"


def _joint_step(page: StepPage, form: Any, step: str) -> str:
    owner = chosen_member(page.trajectory, form.owner_id.data)
    assert owner is not None  # a validated choice
    services.add_joint_step(page.workshop, step, form.title.data, owner, form.due_date.data)
    return "gezamenlijke-stappen"


def _evaluation(page: StepPage, form: Any, step: str) -> str:
    owner = chosen_member(page.trajectory, form.owner_id.data)
    assert owner is not None
    services.save_evaluation(page.workshop, step, form.how.data, form.on.data, owner)
    return "evaluatie"


def _focus(page: StepPage, form: Any, step: str) -> str:
    services.save_focus(page.workshop, step, form.focus.data)
    return "focus"


def _look_back(page: StepPage, form: Any, step: str) -> str:
    services.save_look_back(page.workshop, step, form.look_back.data)
    return "terugblik"


def _grades(page: StepPage, form: Any, step: str) -> str:
    services.save_grades(page.workshop, step, forms.grade_values(form))
    return "cijfers"


def _first_steps(page: StepPage, form: Any, step: str) -> str:
    services.save_first_steps(page.workshop, step, forms.first_step_values(form))
    return "eerste-stappen"


class _Invalid(Exception):
    """The form got a message at a field; show the page again."""


APPLY: dict[str, Callable[[StepPage, Any, str], str]] = {
    "participants": _participant,
    "notes": _note,
    "ambitions": _ambition,
    "joint_steps": _joint_step,
    "evaluation": _evaluation,
    "focus": _focus,
    "look_back": _look_back,
    "grades": _grades,
    "first_steps": _first_steps,
}


def _act(page: StepPage) -> Response | None:
    """Apply the posted input; a redirect when saved, None to show the page again."""
    form = page.forms.get(page.kind)
    if form is None or not form.validate_on_submit():
        if form is None and BaseForm().validate_on_submit():
            page.refuse(SessionError("out_of_order"))
        return None
    try:
        anchor = APPLY[page.kind](page, form, request.form.get("stap", ""))
    except _Invalid:
        db.session.rollback()
        return None
    except SessionError as error:
        page.refuse(error)
        return None
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(_url(page.trajectory, page.workshop, anchor))


def _url(trajectory: Trajectory, workshop: Workshop, anchor: str | None = None) -> str:
    return url_for("sessions.step", trajectory_id=trajectory.id, workshop_id=workshop.id, _anchor=anchor)


def load(trajectory: Trajectory, workshop_id: int) -> Workshop:
    return services.with_everything(get_in_trajectory_or_404(Workshop, trajectory, workshop_id))


@bp.route(SESSION, methods=["GET", "POST"])
@rule()
@redisplay_on_csrf_failure
def step(trajectory: Trajectory, workshop_id: int):
    page = StepPage.build(trajectory, load(trajectory, workshop_id))
    if request.method == "POST" and (response := _act(page)) is not None:
        return response
    return page.render(422 if request.method == "POST" else 200)


MOVES: dict[str, Callable[[Workshop, str], None]] = {
    "verder": services.go_next,
    "terug": services.go_back,
    "overslaan": services.skip,
    "pauze": lambda w, _step: services.pause(w),
    "hervatten": lambda w, _step: services.resume(w),
}


@bp.route(SESSION + "/stap", methods=["POST"])
@rule(read=can_edit, write=can_edit)
def move(trajectory: Trajectory, workshop_id: int):
    """Forward, back, skip, pause, resume, or (``naar``) back to a step already reached."""
    page = StepPage.build(trajectory, load(trajectory, workshop_id))
    if not BaseForm().validate_on_submit():
        return page.render(422)
    step_key, target = request.form.get("stap", ""), request.form.get("naar", "")
    try:
        if target:
            services.go_to(page.workshop, step_key, target)
        else:
            MOVES.get(request.form.get("actie", ""), _unknown)(page.workshop, step_key)
    except SessionError as error:
        page.refuse(error)
        return page.render(422)
    db.session.commit()
    return redirect(_url(trajectory, page.workshop))


def _unknown(_workshop: Workshop, _step: str) -> None:
    raise SessionError("out_of_order")


@bp.route(SESSION + "/afronden", methods=["POST"])
@rule(read=can_edit, write=can_edit)
def finish(trajectory: Trajectory, workshop_id: int):
    """Put the session into the work: ambitions, actions, the milestone of the evaluation."""
    page = StepPage.build(trajectory, load(trajectory, workshop_id))
    if not BaseForm().validate_on_submit():
        return page.render(422)
    try:
        if not position(page.workshop).is_last:
            raise SessionError("out_of_order")
        outcome = work.put_into_work(trajectory, page.workshop)
    except SessionError as error:
        page.refuse(error)
        return page.render(422)
    db.session.commit()
    flash(
        _(
            "The session is in the work: %(ambitions)d ambitions and %(actions)d actions added.",
            ambitions=outcome.ambitions,
            actions=outcome.actions,
        ),
        "success",
    )
    return redirect(url_for("workshops.workshop", trajectory_id=trajectory.id, workshop_id=page.workshop.id))
