"""Action plans in PDCA cycles, actions and milestones, the per-layer view, exports, the feed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from tracker.access import (
    can_edit,
    can_manage,
    can_view,
    get_in_trajectory_or_404,
    get_item_or_404,
    load_trajectory,
    membership_of,
    require,
    results_visible,
)
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import arg_id, parse_id
from tracker.models import Action, ActionSource, ChecklistItem, Cycle, Layer, Milestone, Plan
from tracker.models.enums import label
from tracker.models.plan import ActionStatus
from tracker.plans import exports, services
from tracker.plans.forms import ActionForm, CloseCycleForm, CycleForm, MilestoneForm, NewPlanForm, PlanForm

bp = Blueprint("plans", __name__)


def can_run_plan(user, plan: Plan) -> bool:
    """Plans are run by the project leads and by the plan's own responsible member."""
    if can_manage(user, plan.trajectory):
        return True
    mine = membership_of(user, plan.trajectory)
    return mine is not None and plan.responsible_id == mine.id and can_edit(user, plan.trajectory)


def _member_choices(trajectory, empty=None):
    choices = [("", empty)] if empty else [("", _("Choose a member"))]
    return choices + [
        (str(m.id), f"{m.user.name} ({m.organisation.name}, {label(m.layer)})")
        for m in trajectory.memberships
    ]


def _plan_choices(plans):
    return [("", _("Choose a plan"))] + [(str(p.id), p.title) for p in plans]


def _prepare_plan_form(form, trajectory):
    orgs = {m.organisation_id: m.organisation.name for m in trajectory.memberships}
    form.organisation_id.choices = [("", _("Not applicable (external plan)"))] + [
        (str(i), n) for i, n in sorted(orgs.items(), key=lambda x: x[1])
    ]
    form.responsible_id.choices = _member_choices(trajectory)


# --- plans ----------------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/plannen", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def index(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_manage if request.method == "POST" else can_view)
    form = NewPlanForm()
    _prepare_plan_form(form, trajectory)
    if request.method == "GET":
        form.cycle_start.data = date.today()
        form.status.data = "actief"
    if form.validate_on_submit():
        try:
            plan = services.create_plan(trajectory, form.data)
        except services.PlanError:
            form.kind.errors.append(_("This trajectory already has this plan."))
        else:
            db.session.commit()
            flash(_("The plan has been made, with its first cycle."), "success")
            return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=plan.id))
    return render_template(
        "plans/index.html",
        trajectory=trajectory,
        plans=services.plans_of(trajectory),
        form=form,
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/plannen/<id:plan_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def plan(trajectory_id: int, plan_id: int):
    trajectory = load_trajectory(trajectory_id)
    plan = get_in_trajectory_or_404(Plan, trajectory, plan_id)
    cycle = plan.current_cycle
    cycle_form = CycleForm(obj=cycle, prefix="cycle")
    if request.method == "POST":
        require(can_edit(current_user, trajectory))
        if cycle.closed_at is not None:
            abort(404)
        if cycle_form.validate_on_submit():
            if save_unless_stale(cycle_form, cycle, lambda: services.update_cycle(cycle, cycle_form.data)):
                flash(_("The cycle has been saved."), "success")
                return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=plan.id))
            flash(
                _(
                    "Someone else saved this cycle in the meantime. "
                    "Your text is kept below; save again to replace theirs."
                ),
                "error",
            )
    actions = (
        db.session.scalars(
            sa.select(Action)
            .where(Action.plan_id == plan.id)
            .options(joinedload(Action.owner), joinedload(Action.milestone), joinedload(Action.carried_from))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        )
        .unique()
        .all()
    )
    return render_template(
        "plans/plan.html",
        trajectory=trajectory,
        plan=plan,
        cycle=cycle,
        cycle_form=cycle_form,
        close_form=CloseCycleForm(prefix="close"),
        actions=actions,
        today=date.today(),
        can_run=can_run_plan(current_user, plan),
    )


@bp.route("/trajecten/<id:trajectory_id>/plannen/<id:plan_id>/bewerken", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def plan_edit(trajectory_id: int, plan_id: int):
    trajectory = load_trajectory(trajectory_id)
    plan = get_in_trajectory_or_404(Plan, trajectory, plan_id)
    require(can_run_plan(current_user, plan))
    form = PlanForm(obj=plan)
    _prepare_plan_form(form, trajectory)
    if request.method == "GET":
        form.organisation_id.data = str(plan.organisation_id or "")
        form.responsible_id.data = str(plan.responsible_id or "")
    conflict = False
    if form.validate_on_submit():
        try:
            if save_unless_stale(form, plan, lambda: services.update_plan(plan, form.data)):
                flash(_("The plan has been saved."), "success")
                return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=plan.id))
            conflict = True
        except services.PlanError:
            db.session.rollback()
            form.kind.errors.append(_("This trajectory already has this plan."))
    return render_template(
        "plans/plan_edit.html", trajectory=trajectory, plan=plan, form=form, conflict=conflict
    )


@bp.route("/trajecten/<id:trajectory_id>/cycli/<id:cycle_id>/afsluiten", methods=["POST"])
@login_required
def cycle_close(trajectory_id: int, cycle_id: int):
    trajectory = load_trajectory(trajectory_id)
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
    return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=cycle.plan_id))


# --- actions --------------------------------------------------------------------------------


def _prepare_action_form(form, trajectory, plans):
    form.plan_id.choices = _plan_choices(plans)
    form.owner_id.choices = _member_choices(trajectory)
    milestones = [m for p in plans for m in p.milestones]
    form.milestone_id.choices = [("", _("No milestone"))] + [
        (str(m.id), f"{m.title} ({m.plan.title})") for m in milestones
    ]
    from tracker.network.services import ambitions_of

    form.objective_id.choices = [("", _("No objective"))] + [
        (str(o.id), f"{a.title}: {o.text[:80]}")
        for a in ambitions_of(trajectory)
        if a.active
        for o in a.objectives
    ]


def _check_action(form, plans, trajectory) -> Plan | None:
    """The chosen plan, when the form is consistent with it; messages at the fields otherwise."""
    plan = next((p for p in plans if str(p.id) == form.plan_id.data), None)
    if plan is None:
        form.plan_id.errors.append(_("Choose one of the options."))
        return None
    cycle = plan.current_cycle
    if cycle is None or cycle.closed_at is not None:
        form.plan_id.errors.append(_("This plan has no open cycle."))
        return None
    if form.due_date.data and form.due_date.data < cycle.start_date:
        form.due_date.errors.append(
            _(
                "The due date lies before the current cycle starts (%(date)s).",
                date=cycle.start_date.strftime("%d-%m-%Y"),
            )
        )
        return None
    if form.milestone_id.data:
        milestone = next((m for m in plan.milestones if str(m.id) == form.milestone_id.data), None)
        if milestone is None:
            form.milestone_id.errors.append(_("Choose a milestone of the same plan."))
            return None
    return plan


@bp.route("/trajecten/<id:trajectory_id>/acties/nieuw", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def action_new(trajectory_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit)
    plans = services.plans_of(trajectory)
    if not plans:
        flash(_("Make an action plan first; actions belong to a plan."), "info")
        return redirect(url_for("plans.index", trajectory_id=trajectory.id))
    form = ActionForm()
    _prepare_action_form(form, trajectory, plans)
    item = None
    source_item_id = arg_id(request.args, "punt") or (
        parse_id(form.source_id.data) if form.source_type.data == ActionSource.CHECKLIST_ITEM else None
    )
    if source_item_id:
        item = get_item_or_404(trajectory, source_item_id)
    red_card = _red_card(trajectory)
    if request.method == "GET":
        external = next((p for p in plans if p.kind.value == "extern"), plans[0])
        form.plan_id.data = str(arg_id(request.args, "plan") or external.id)
        form.objective_id.data = str(arg_id(request.args, "doel") or "")
        form.status.data, form.stage.data = "gepland", "plan"
        mine = membership_of(current_user, trajectory)
        form.owner_id.data = str(item.owner_id) if item and item.owner_id else (str(mine.id) if mine else "")
        if item is not None:
            form.title.data = item.text[:300]
            form.description.data = item.answer
            form.due_date.data = item.due_date
            form.source_type.data, form.source_id.data = ActionSource.CHECKLIST_ITEM, str(item.id)
        if red_card is not None:
            evaluation_round, factor, result = red_card
            form.title.data = f"Actie op ‘{factor['title']}’ (evaluatie {evaluation_round.name})"[:300]
            form.description.data = _(
                "Cards in round %(name)s: %(red)d red, %(orange)d orange, %(green)d green.",
                name=evaluation_round.name,
                red=result.counts["rood"],
                orange=result.counts["oranje"],
                green=result.counts["groen"],
            )
            comments = [c for _w, c in result.comments]
            if comments:
                form.description.data += "\n" + "\n".join(f"– {c}" for c in comments)
    if form.validate_on_submit():
        plan = _check_action(form, plans, trajectory)
        if plan is not None:
            source = (ActionSource.CHECKLIST_ITEM, item.id) if item is not None else None
            if red_card is not None:
                source = (ActionSource.RED_CARD, red_card[0].id)
            action = services.create_action(trajectory, plan, form.data, source=source)
            if red_card is not None:
                action.source_key = red_card[1]["key"]
            db.session.commit()
            flash(_("The action has been added."), "success")
            return redirect(
                url_for(
                    "plans.plan", trajectory_id=trajectory.id, plan_id=plan.id, _anchor=f"actie-{action.id}"
                )
            )
    return render_template(
        "plans/action_form.html",
        trajectory=trajectory,
        form=form,
        action=None,
        item=item,
        red_card=red_card,
        today=date.today(),
    )


def _red_card(trajectory):
    """The evaluation round and factor an action is made for (?kaart=<round>&factor=<key>)."""
    round_id = arg_id(request.args, "kaart")
    if not round_id:
        return None
    from tracker.evaluations import services as evaluation_services
    from tracker.models import EvaluationRound

    evaluation_round = db.session.get(EvaluationRound, round_id)
    if evaluation_round is None or evaluation_round.trajectory_id != trajectory.id:
        abort(404)
    require(results_visible(evaluation_round))  # the form is prefilled with the round's cards and comments
    factor = next((f for f in evaluation_round.factors if f["key"] == request.args.get("factor")), None)
    if factor is None:
        abort(404)
    result = next(r for r in evaluation_services.results(evaluation_round) if r.key == factor["key"])
    return evaluation_round, factor, result


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def action_edit(trajectory_id: int, action_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit if request.method == "POST" else can_view)
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    plans = services.plans_of(trajectory)
    form = ActionForm(obj=action)
    _prepare_action_form(form, trajectory, plans)
    if request.method == "GET":
        form.plan_id.data, form.owner_id.data = str(action.plan_id), str(action.owner_id or "")
        form.milestone_id.data = str(action.milestone_id or "")
        form.objective_id.data = str(action.objective_id or "")
    conflict = None
    if form.validate_on_submit():
        plan = _check_action(form, plans, trajectory)
        if plan is not None:
            if save_unless_stale(form, action, lambda: services.update_action(action, plan, form.data)):
                flash(_("The action has been saved."), "success")
                return redirect(
                    url_for(
                        "plans.plan",
                        trajectory_id=trajectory.id,
                        plan_id=action.plan_id,
                        _anchor=f"actie-{action.id}",
                    )
                )
            conflict = action
    item = red_card = None
    if action.source_type == ActionSource.CHECKLIST_ITEM and action.source_id:
        item = db.session.get(ChecklistItem, action.source_id)
    if action.source_type == "red_card" and action.source_id:
        from tracker.models import EvaluationRound

        evaluation_round = db.session.get(EvaluationRound, action.source_id)
        factor = (
            next((f for f in evaluation_round.factors if f["key"] == action.source_key), None)
            if evaluation_round
            else None
        )
        red_card = (evaluation_round, factor, None) if factor else None
    return render_template(
        "plans/action_form.html",
        trajectory=trajectory,
        form=form,
        action=action,
        item=item,
        red_card=red_card,
        origin=_origin(trajectory, action),
        conflict=conflict,
        today=date.today(),
    )


def _origin(trajectory, action: Action) -> tuple[str, str] | None:
    """Where a meeting agreement, a bottleneck or a workshop first step came from: (text, url)."""
    from tracker.models import Agreement, ProcessStep, WorkshopParticipant

    if action.source_type == "meeting_agreement" and action.source_id:
        agreement = db.session.get(Agreement, action.source_id)
        if agreement and agreement.meeting.trajectory_id == trajectory.id:
            return (
                _(
                    "Agreement from the meeting of %(date)s",
                    date=agreement.meeting.held_on.strftime("%d-%m-%Y"),
                ),
                url_for("network.meeting", trajectory_id=trajectory.id, meeting_id=agreement.meeting_id),
            )
    if action.source_type == "process_step" and action.source_id:
        step = db.session.get(ProcessStep, action.source_id)
        if step and step.trajectory_id == trajectory.id:
            return (
                _("Bottleneck in the client path: %(step)s", step=step.title),
                url_for("network.process", trajectory_id=trajectory.id, _anchor=f"stap-{step.id}"),
            )
    if action.source_type == "workshop_step" and action.source_id:
        participant = db.session.get(WorkshopParticipant, action.source_id)
        if participant and participant.workshop.trajectory_id == trajectory.id:
            return (
                _("First step from the workshop %(title)s", title=participant.workshop.title),
                url_for("network.workshop", trajectory_id=trajectory.id, workshop_id=participant.workshop_id),
            )
    return None


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>/archiveren", methods=["POST"])
@login_required
def action_archive(trajectory_id: int, action_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit)
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    if action.archived_at is None:
        with commit_or_conflict() as outcome:
            services.archive_action(action)
        if outcome.saved:
            flash(_("The action has been archived; its history stays and it can be restored."), "success")
    return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=action.plan_id))


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>/herstellen", methods=["POST"])
@login_required
def action_restore(trajectory_id: int, action_id: int):
    trajectory = load_trajectory(trajectory_id, can_edit)
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    if action.archived_at is not None:
        with commit_or_conflict() as outcome:
            services.restore_action(action)
        if outcome.saved:
            flash(_("The action has been restored."), "success")
    return redirect(
        url_for(
            "plans.plan", trajectory_id=trajectory.id, plan_id=action.plan_id, _anchor=f"actie-{action.id}"
        )
    )


# --- milestones -----------------------------------------------------------------------------


@bp.route("/trajecten/<id:trajectory_id>/mijlpalen/nieuw", methods=["GET", "POST"])
@bp.route("/trajecten/<id:trajectory_id>/mijlpalen/<id:milestone_id>", methods=["GET", "POST"])
@login_required
@redisplay_on_csrf_failure
def milestone_form(trajectory_id: int, milestone_id: int | None = None):
    trajectory = load_trajectory(
        trajectory_id, can_edit if request.method == "POST" or milestone_id is None else can_view
    )
    milestone = get_in_trajectory_or_404(Milestone, trajectory, milestone_id) if milestone_id else None
    plans = services.plans_of(trajectory)
    if not plans:
        flash(_("Make an action plan first; milestones belong to a plan."), "info")
        return redirect(url_for("plans.index", trajectory_id=trajectory.id))
    form = MilestoneForm(obj=milestone)
    form.plan_id.choices = _plan_choices(plans)
    if request.method == "GET":
        form.plan_id.data = (
            str(milestone.plan_id) if milestone else str(arg_id(request.args, "plan") or plans[0].id)
        )
    conflict = None
    if form.validate_on_submit():
        plan = next(p for p in plans if str(p.id) == form.plan_id.data)
        if milestone is None:
            milestone = services.create_milestone(trajectory, plan, form.data)
            db.session.commit()
            flash(_("The milestone has been added."), "success")
            return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=plan.id))
        if save_unless_stale(form, milestone, lambda: services.update_milestone(milestone, plan, form.data)):
            flash(_("The milestone has been saved."), "success")
            return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=plan.id))
        conflict = milestone
    return render_template(
        "plans/milestone_form.html",
        trajectory=trajectory,
        form=form,
        milestone=milestone,
        conflict=conflict,
        today=date.today(),
    )


# --- actions per layer, overview lists and exports -----------------------------------------


def _action_view(trajectory=None):
    flt = services.ActionFilter.from_args(request.args)
    today = date.today()
    actions = services.filtered_actions(current_user, flt, trajectory=trajectory, today=today)
    return flt, today, actions


@bp.route("/acties")
@bp.route("/trajecten/<id:trajectory_id>/acties")
@login_required
def actions(trajectory_id: int | None = None):
    trajectory = load_trajectory(trajectory_id) if trajectory_id else None
    flt, today, actions = _action_view(trajectory)
    return render_template(
        "plans/actions.html",
        trajectory=trajectory,
        flt=flt,
        actions=actions,
        today=today,
        matrix=services.matrix(actions, today),
        layers=list(Layer),
        statuses=list(ActionStatus),
        choices=services.filter_choices(current_user, trajectory),
        milestones=services.milestones_for(current_user, trajectory=trajectory, plan_id=flt.plan_id),
    )


@bp.route("/acties.<fmt>")
@bp.route("/trajecten/<id:trajectory_id>/acties.<fmt>")
@login_required
def actions_export(fmt: str, trajectory_id: int | None = None):
    trajectory = load_trajectory(trajectory_id) if trajectory_id else None
    _flt, today, actions = _action_view(trajectory)
    header, rows = exports.action_rows(actions, today)
    return exports.download(fmt, header, rows, f"acties-{today.isoformat()}", "Acties")


@bp.route("/mijlpalen.<fmt>")
@bp.route("/trajecten/<id:trajectory_id>/mijlpalen.<fmt>")
@login_required
def milestones_export(fmt: str, trajectory_id: int | None = None):
    trajectory = load_trajectory(trajectory_id) if trajectory_id else None
    today = date.today()
    milestones = services.milestones_for(
        current_user, trajectory=trajectory, plan_id=arg_id(request.args, "plan")
    )
    header, rows = exports.milestone_rows(milestones, today)
    return exports.download(fmt, header, rows, f"mijlpalen-{today.isoformat()}", "Mijlpalen")
