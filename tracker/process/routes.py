"""The client path (process analysis, phase 3): steps, who does them, bottlenecks and the
actions that solve them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import can_edit, get_in_trajectory_or_404, membership_of, rule, trajectory_blueprint
from tracker.admin.services import list_organisations
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.extensions import db
from tracker.forms import organisation_choices, redisplay_on_csrf_failure
from tracker.models import ProcessStep, Trajectory
from tracker.models.enums import label
from tracker.models.network import Perception
from tracker.pagecache import cached_page
from tracker.plans.forms import NO_PLAN
from tracker.plans.services import PlanError
from tracker.process import services
from tracker.process.forms import ClientGoalsForm, StepForm

bp = trajectory_blueprint("process", __name__)


def _goals_conflict(goals_form: ClientGoalsForm, trajectory: Trajectory) -> list[tuple[str, str]]:
    """What someone else saved in the meantime, next to the fields."""
    theirs = label(Perception(trajectory.client_goals)) if trajectory.client_goals else ""
    return [
        (goals_form.client_goals.label.text, theirs),
        (goals_form.client_goals_note.label.text, trajectory.client_goals_note),
    ]


def _process_page(trajectory: Trajectory, goals_form: ClientGoalsForm, goals_conflict=None) -> str:
    steps = services.steps_of(trajectory)
    return render_template(
        "process/process.html",
        trajectory=trajectory,
        steps=steps,
        lanes=services.swimlane(steps),
        goals_form=goals_form,
        goals_label=label(Perception(trajectory.client_goals)) if trajectory.client_goals else "",
        goals_conflict=goals_conflict,
        goals_open=request.method == "POST",
    )


def _save_goals(trajectory: Trajectory):
    goals_form = ClientGoalsForm(obj=trajectory, prefix="doelen")
    goals_conflict = None
    if goals_form.validate_on_submit():
        if save_unless_stale(
            goals_form,
            trajectory,
            lambda: services.save_client_goals(
                trajectory, goals_form.goals(), goals_form.client_goals_note.data or ""
            ),
        ):
            flash(_("Saved."), "success")
            return redirect(url_for("process.process", trajectory_id=trajectory.id))
        goals_conflict = _goals_conflict(goals_form, trajectory)
    return _process_page(trajectory, goals_form, goals_conflict)


def _step_form(trajectory: Trajectory, step: ProcessStep | None):
    form = StepForm(obj=step)
    organisations = list_organisations()
    form.organisation_ids.choices = organisation_choices(organisations)
    if request.method == "GET" and step:
        form.organisation_ids.data = [str(o.id) for o in step.organisations]
    if form.validate_on_submit():
        saved = save_unless_stale(
            form, step, lambda: services.save_step(trajectory, step, form.to_values(organisations))
        )
        if saved:
            flash(_("The step has been saved."), "success")
            return redirect(url_for("process.process", trajectory_id=trajectory.id))
        flash(_("Someone else saved this step in the meantime; your input is kept below."), "error")
    return render_template("process/step_form.html", trajectory=trajectory, form=form, step=step)


@bp.route("/trajecten/<id:trajectory_id>/proces", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>", methods=["GET"])
@rule()
@cached_page
@redisplay_on_csrf_failure
def process(trajectory: Trajectory, step_id: int | None = None):
    """The client path to read; editors fold open the goals form here. A step's own URL shows the
    same page; the path's URL still takes a posted new step or the goals."""
    if step_id is not None:
        get_in_trajectory_or_404(ProcessStep, trajectory, step_id)
    if request.method == "POST":
        if "doelen-client_goals" in request.form:
            return _save_goals(trajectory)
        return _step_form(trajectory, None)
    return _process_page(trajectory, ClientGoalsForm(obj=trajectory, prefix="doelen"))


@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/proces/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def step_edit(trajectory: Trajectory, step_id: int | None = None):
    """Add a step or change one; the step's own URL still takes the posted form."""
    step = get_in_trajectory_or_404(ProcessStep, trajectory, step_id) if step_id else None
    return _step_form(trajectory, step)


@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>/verplaatsen", methods=["POST"])
@rule(write=can_edit)
def step_move(trajectory: Trajectory, step_id: int):
    step = get_in_trajectory_or_404(ProcessStep, trajectory, step_id)
    with commit_or_conflict() as outcome:
        moved = services.move_step(trajectory, step, -1 if request.form.get("richting") == "omhoog" else 1)
    if outcome.saved and not moved:
        flash(_("This step cannot move further that way."), "info")
    return redirect(url_for("process.process", trajectory_id=trajectory.id))


@bp.route("/trajecten/<id:trajectory_id>/proces/<id:step_id>/actie", methods=["POST"])
@rule(write=can_edit)
def step_action(trajectory: Trajectory, step_id: int):
    step = get_in_trajectory_or_404(ProcessStep, trajectory, step_id)
    mine = membership_of(current_user, trajectory)
    owner = mine.id if mine else trajectory.memberships[0].id
    try:
        action = services.bottleneck_action(trajectory, step, owner)
    except PlanError:
        db.session.rollback()
        flash(str(NO_PLAN), "error")
        return redirect(url_for("process.process", trajectory_id=trajectory.id))
    db.session.commit()
    flash(_("The action has been made; give it an owner and a due date."), "success")
    return redirect(url_for("actions.view", trajectory_id=trajectory.id, action_id=action.id))
