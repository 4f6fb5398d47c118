"""Actions: made (from a plan, a checklist item, a red card, an objective), edited, archived and
restored; the lists per layer and status across trajectories or within one, and their exports."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import (
    can_edit,
    editable_trajectory_ids,
    get_in_trajectory_or_404,
    membership_of,
    rule,
    trajectory_blueprint,
)
from tracker.actions import exports, lists, prefill, services, sources
from tracker.actions.forms import ActionForm
from tracker.concurrency import commit_or_conflict, save_unless_stale
from tracker.extensions import db
from tracker.forms import redisplay_on_csrf_failure
from tracker.ids import arg_id
from tracker.models import Action, ActionStatus, Layer, Trajectory
from tracker.pagecache import cached_page
from tracker.paging import paginate
from tracker.plans.lists import place_of
from tracker.plans.services import plans_of
from tracker.quick import back_to, change_status

bp = trajectory_blueprint("actions", __name__)
bp.add_app_template_global(sources.label_of, "action_source_label")


def _in_plan(action: Action) -> str:
    """The action in its plan's page, on the page of the list that shows it."""
    return url_for(
        "plans.plan",
        trajectory_id=action.trajectory_id,
        plan_id=action.plan_id,
        _anchor=f"actie-{action.id}",
        **place_of(action),
    )


@bp.route("/trajecten/<id:trajectory_id>/acties/nieuw", methods=["GET", "POST"])
@rule(read=can_edit)
@redisplay_on_csrf_failure
def new(trajectory: Trajectory):
    plans = plans_of(trajectory)
    if not plans:
        flash(_("Make an action plan first; actions belong to a plan."), "info")
        return redirect(url_for("plans.index", trajectory_id=trajectory.id))
    form = ActionForm()
    form.prepare(trajectory, plans)
    source = prefill.source_of(trajectory, request.args, form)
    if request.method == "GET":
        prefill.prefill(form, plans, request.args, source, membership_of(current_user, trajectory))
    if form.validate_on_submit() and (plan := form.chosen_plan(plans)) is not None:
        action = services.create_action(
            trajectory, plan, form.to_values(), source=source.reference(), source_key=source.key()
        )
        db.session.commit()
        flash(_("The action has been added."), "success")
        return redirect(_in_plan(action))
    return render_template(
        "actions/action_form.html",
        trajectory=trajectory,
        form=form,
        action=None,
        origins=source.origins(trajectory),
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>", methods=["GET"])
@rule()
@cached_page
def view(trajectory: Trajectory, action_id: int):
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    origin = sources.origin(trajectory, action)
    return render_template(
        "actions/action.html",
        trajectory=trajectory,
        action=action,
        origins=[origin] if origin else [],
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>", methods=["POST"])
@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>/bewerken", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
@redisplay_on_csrf_failure
def edit(trajectory: Trajectory, action_id: int):
    """The action's form; the action's own URL still takes the posted form."""
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    plans = plans_of(trajectory)
    form = ActionForm(obj=action)
    form.prepare(trajectory, plans)
    if request.method == "GET":
        form.load(action)
    conflict = None
    if form.validate_on_submit() and (plan := form.chosen_plan(plans)) is not None:
        if save_unless_stale(form, action, lambda: services.update_action(action, plan, form.to_values())):
            flash(_("The action has been saved."), "success")
            return redirect(_in_plan(action))
        conflict = action
    origin = sources.origin(trajectory, action)
    return render_template(
        "actions/action_form.html",
        trajectory=trajectory,
        form=form,
        action=action,
        origins=[origin] if origin else [],
        conflict=conflict,
        today=date.today(),
    )


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>/status", methods=["POST"])
@rule(write=can_edit)
def status(trajectory: Trajectory, action_id: int):
    """The status changed from a row of a list; back to that list, at the row."""
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    change_status(
        action,
        ActionStatus,
        lambda status: services.set_action_status(action, status),
        lambda: _("“%(title)s” is now: %(status)s.", title=action.title, status=action.status.label),
    )
    return redirect(back_to(_in_plan(action), f"actie-{action.id}"))


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>/archiveren", methods=["GET", "POST"])
@rule(read=can_edit, write=can_edit)
def archive(trajectory: Trajectory, action_id: int):
    """First a page that says what archiving does; its confirmation archives the action."""
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    if request.method == "GET" and action.archived_at is None:
        return render_template("actions/archive.html", trajectory=trajectory, action=action)
    if action.archived_at is None:
        with commit_or_conflict() as outcome:
            services.archive_action(action)
        if outcome.saved:
            flash(_("The action has been archived; its history stays and it can be restored."), "success")
    return redirect(url_for("plans.plan", trajectory_id=trajectory.id, plan_id=action.plan_id))


@bp.route("/trajecten/<id:trajectory_id>/acties/<id:action_id>/herstellen", methods=["POST"])
@rule(write=can_edit)
def restore(trajectory: Trajectory, action_id: int):
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    if action.archived_at is not None:
        with commit_or_conflict() as outcome:
            services.restore_action(action)
        if outcome.saved:
            flash(_("The action has been restored."), "success")
    return redirect(_in_plan(action))


# --- lists per layer and status, and their exports ------------------------------------------


def _filter() -> tuple[lists.ActionFilter, date]:
    return lists.ActionFilter.from_args(request.args), date.today()


def _streamed(stmt):
    """Every row of ``stmt``, fetched a batch at a time (an export's memory stays flat)."""
    return db.session.scalars(stmt.execution_options(yield_per=500))


@bp.route("/acties")
@bp.route("/trajecten/<id:trajectory_id>/acties")
@rule(optional=True)
@cached_page
def index(trajectory: Trajectory | None):
    flt, today = _filter()
    return render_template(
        "actions/actions.html",
        trajectory=trajectory,
        flt=flt,
        actions=paginate(
            lists.filtered_statement(current_user, flt, trajectory=trajectory, today=today),
            anchor="list-heading",
        ),
        today=today,
        matrix=lists.matrix(current_user, flt, trajectory=trajectory, today=today),
        layers=list(Layer),
        statuses=list(ActionStatus),
        choices=lists.filter_choices(current_user, trajectory),
        milestones=paginate(
            lists.milestones_statement(current_user, trajectory=trajectory, plan_id=flt.plan_id),
            arg="pagina_mijlpalen",
            anchor="ms-heading",
        ),
        editable=editable_trajectory_ids(current_user),
    )


@bp.route("/acties.<fmt>")
@bp.route("/trajecten/<id:trajectory_id>/acties.<fmt>")
@rule(optional=True)
def export(trajectory: Trajectory | None, fmt: str):
    flt, today = _filter()
    actions = _streamed(lists.filtered_statement(current_user, flt, trajectory=trajectory, today=today))
    header, rows = exports.action_rows(actions, today)
    return exports.download(fmt, header, rows, f"{_('actions')}-{today.isoformat()}", _("Actions"))


@bp.route("/mijlpalen.<fmt>")
@bp.route("/trajecten/<id:trajectory_id>/mijlpalen.<fmt>")
@rule(optional=True)
def milestones_export(trajectory: Trajectory | None, fmt: str):
    today = date.today()
    milestones = _streamed(
        lists.milestones_statement(current_user, trajectory=trajectory, plan_id=arg_id(request.args, "plan"))
    )
    header, rows = exports.milestone_rows(milestones, today)
    return exports.download(fmt, header, rows, f"{_('milestones')}-{today.isoformat()}", _("Milestones"))
