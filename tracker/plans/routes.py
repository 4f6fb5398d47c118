"""Action plans (one external plan, one internal plan per organisation) run in PDCA cycles, and
their milestones. The actions of a plan live in :mod:`tracker.actions`."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import (
    can_edit,
    can_manage,
    can_run_plan,
    get_in_trajectory_or_404,
    require,
    rule,
    trajectory_blueprint,
)
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import arg_id
from tracker.models import Cycle, Milestone, Plan, Trajectory
from tracker.pagecache import cached_page
from tracker.paging import paginate
from tracker.plans import lists, services
from tracker.plans.forms import CloseCycleForm, CycleForm, MilestoneForm, NewPlanForm, PlanForm, plan_choices

bp = trajectory_blueprint("plans", __name__)


def _plan_url(trajectory: Trajectory, plan_id: int) -> str:
    return url_for("plans.plan", trajectory_id=trajectory.id, plan_id=plan_id)


@bp.route("/trajecten/<id:trajectory_id>/plannen", methods=["GET"])
@rule()
@cached_page
def index(trajectory: Trajectory):
    return render_template(
        "plans/index.html", trajectory=trajectory, plans=services.plans_of(trajectory), today=date.today()
    )


@bp.route("/trajecten/<id:trajectory_id>/plannen", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/plannen/nieuw", methods=["GET", "POST"])
@rule(read=can_manage, write=can_manage)
@redisplay_on_csrf_failure
def plan_new(trajectory: Trajectory):
    """Make a plan with its first cycle; the list's own URL still takes the posted form."""
    form = NewPlanForm()
    form.prepare(trajectory)
    if request.method == "GET":
        form.cycle_start.data = date.today()
        form.status.data = "actief"
    if form.validate_on_submit():
        try:
            plan = services.create_plan(
                trajectory, form.to_values(), cycle_start=form.cycle_start.data, cycle_end=form.cycle_end.data
            )
        except services.PlanError:
            form.kind.errors.append(_("This trajectory already has this plan."))
        else:
            db.session.commit()
            flash(_("The plan has been made, with its first cycle."), "success")
            return redirect(_plan_url(trajectory, plan.id))
    return render_template("plans/plan_new.html", trajectory=trajectory, form=form)


@bp.route("/trajecten/<id:trajectory_id>/plannen/<id:plan_id>", methods=["GET"])
@rule()
@cached_page
def plan(trajectory: Trajectory, plan_id: int):
    plan = get_in_trajectory_or_404(Plan, trajectory, plan_id)
    cycle = plan.current_cycle or abort(404)  # a plan is made with its first cycle
    return render_template(
        "plans/plan.html",
        trajectory=trajectory,
        plan=plan,
        cycle=cycle,
        close_form=CloseCycleForm(prefix="close"),
        actions=paginate(lists.cycle_actions(cycle), arg="pagina_acties", anchor="actions-heading"),
        counts=lists.counts(plan),
        archived=paginate(lists.archived_actions(plan), arg="pagina_archief", anchor="archived-heading"),
        milestones=paginate(
            services.milestones_of(plan), arg="pagina_mijlpalen", anchor="milestones-heading"
        ),
        today=date.today(),
        can_run=can_run_plan(current_user, plan),
    )


@bp.route("/trajecten/<id:trajectory_id>/plannen/<id:plan_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/plannen/<id:plan_id>/cyclus", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def cycle_edit(trajectory: Trajectory, plan_id: int):
    """The current cycle's Plan, Do, Check and Act texts; the plan's own URL still takes the form."""
    plan = get_in_trajectory_or_404(Plan, trajectory, plan_id)
    cycle = plan.current_cycle or abort(404)
    if cycle.closed_at is not None:
        if request.method == "POST":
            abort(404)
        return redirect(_plan_url(trajectory, plan.id))
    cycle_form = CycleForm(obj=cycle, prefix="cycle")
    if cycle_form.validate_on_submit():
        if save_unless_stale(cycle_form, cycle, lambda: services.update_cycle(cycle, cycle_form.to_values())):
            flash(_("The cycle has been saved."), "success")
            return redirect(_plan_url(trajectory, plan.id))
        flash(
            _(
                "Someone else saved this cycle in the meantime. "
                "Your text is kept below; save again to replace theirs."
            ),
            "error",
        )
    return render_template(
        "plans/cycle_edit.html", trajectory=trajectory, plan=plan, cycle=cycle, cycle_form=cycle_form
    )


@bp.route("/trajecten/<id:trajectory_id>/plannen/<id:plan_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def plan_edit(trajectory: Trajectory, plan_id: int):
    plan = get_in_trajectory_or_404(Plan, trajectory, plan_id)
    require(can_run_plan(current_user, plan))
    form = PlanForm(obj=plan)
    form.prepare(trajectory)
    if request.method == "GET":
        form.organisation_id.data = str(plan.organisation_id or "")
        form.responsible_id.data = str(plan.responsible_id or "")
    conflict = False
    if form.validate_on_submit():
        try:
            if save_unless_stale(form, plan, lambda: services.update_plan(plan, form.to_values())):
                flash(_("The plan has been saved."), "success")
                return redirect(_plan_url(trajectory, plan.id))
            conflict = True
        except services.PlanError:
            db.session.rollback()
            form.kind.errors.append(_("This trajectory already has this plan."))
    return render_template(
        "plans/plan_edit.html", trajectory=trajectory, plan=plan, form=form, conflict=conflict
    )


@bp.route("/trajecten/<id:trajectory_id>/cycli/<id:cycle_id>/afsluiten", methods=["POST"])
@rule(write=can_edit)
def cycle_close(trajectory: Trajectory, cycle_id: int):
    cycle = get_in_trajectory_or_404(Cycle, trajectory, cycle_id, lambda c: c.plan.trajectory_id)
    require(can_run_plan(current_user, cycle.plan))
    form = CloseCycleForm(prefix="close")
    if cycle.closed_at is None and form.validate_on_submit():
        if form.confirm.data != "1":
            # First say what will happen; only the confirmation closes the cycle.
            form.confirm.data = "1"
            return render_template(
                "plans/cycle_close.html",
                trajectory=trajectory,
                plan=cycle.plan,
                cycle=cycle,
                form=form,
                preview=services.close_preview(cycle, form.next_end.data),
            )
        with commit_or_conflict() as outcome:
            following = services.close_cycle(cycle, form.next_end.data)
        if outcome.saved and following is None:
            flash(_("The cycle has been closed and the plan stopped, as decided in Act."), "success")
        elif outcome.saved and following is not None:
            flash(
                _(
                    "Cycle %(n)d has been closed; cycle %(m)d has started with the unfinished actions.",
                    n=cycle.number,
                    m=following.number,
                ),
                "success",
            )
    elif form.errors:
        flash(_("The cycle has not been closed: %(error)s", error=" ".join(form.next_end.errors)), "error")
    return redirect(_plan_url(trajectory, cycle.plan_id))


# --- milestones -----------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/mijlpalen/<id:milestone_id>", methods=["GET"])
@rule()
@cached_page
def milestone(trajectory: Trajectory, milestone_id: int):
    milestone = get_in_trajectory_or_404(Milestone, trajectory, milestone_id)
    return render_template(
        "plans/milestone.html", trajectory=trajectory, milestone=milestone, today=date.today()
    )


@bp.route("/trajecten/<id:trajectory_id>/mijlpalen/<id:milestone_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/mijlpalen/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/mijlpalen/<id:milestone_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def milestone_form(trajectory: Trajectory, milestone_id: int | None = None):
    """Add a milestone or change one; the milestone's own URL still takes the posted form."""
    milestone = get_in_trajectory_or_404(Milestone, trajectory, milestone_id) if milestone_id else None
    plans = services.plans_of(trajectory)
    if not plans:
        flash(_("Make an action plan first; milestones belong to a plan."), "info")
        return redirect(url_for("plans.index", trajectory_id=trajectory.id))
    form = MilestoneForm(obj=milestone)
    form.plan_id.choices = plan_choices(plans)
    if request.method == "GET":
        form.plan_id.data = (
            str(milestone.plan_id) if milestone else str(arg_id(request.args, "plan") or plans[0].id)
        )
    conflict = None
    if form.validate_on_submit():
        plan = next(p for p in plans if str(p.id) == form.plan_id.data)
        if milestone is None:
            services.create_milestone(trajectory, plan, form.to_values())
            db.session.commit()
            flash(_("The milestone has been added."), "success")
            return redirect(_plan_url(trajectory, plan.id))
        if save_unless_stale(
            form, milestone, lambda: services.update_milestone(milestone, plan, form.to_values())
        ):
            flash(_("The milestone has been saved."), "success")
            return redirect(_plan_url(trajectory, plan.id))
        conflict = milestone
    return render_template(
        "plans/milestone_form.html",
        trajectory=trajectory,
        form=form,
        milestone=milestone,
        conflict=conflict,
        today=date.today(),
    )
