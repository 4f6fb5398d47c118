"""Actions: the list with the web list's filters, one action, and changes to it, through the
same form checks and service as the web page."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from tracker.access import can_edit, get_in_trajectory_or_404, rule
from tracker.actions import services
from tracker.actions.forms import ActionForm
from tracker.actions.lists import ActionFilter, filtered_statement
from tracker.api.core import (
    arg_choice,
    arg_flag,
    arg_id,
    bp,
    form_errors,
    invalid,
    json_fields,
    page,
    record,
    require_fresh,
    stale,
)
from tracker.api.openapi import enum_param, filter_param, operation
from tracker.api.problems import Problem
from tracker.api.schemas import ActionChangeSchema, ActionSchema
from tracker.extensions import db
from tracker.models import Action, ActionStatus, Layer, Trajectory
from tracker.plans.services import plans_of

SCHEMA = ActionSchema()
FIELDS = set(ActionChangeSchema().fields)
FILTERS = (
    enum_param("layer", Layer, "The owner's layer"),
    enum_param("status", ActionStatus, "The status"),
    filter_param("owner", "The owner's user id", {"type": "integer", "minimum": 1}),
    filter_param("organisation", "The owner's organisation id", {"type": "integer", "minimum": 1}),
    filter_param("plan", "The plan's id", {"type": "integer", "minimum": 1}),
    filter_param("overdue", "Only open actions past their due date", {"type": "boolean"}),
    filter_param("due_soon", "Only open actions due within 14 days", {"type": "boolean"}),
)


def _filter(errors: dict[str, list[str]]) -> ActionFilter:
    layer, status = arg_choice("layer", Layer, errors), arg_choice("status", ActionStatus, errors)
    return ActionFilter(
        layer=layer.value if layer else None,
        status=status.value if status else None,
        owner_user_id=arg_id("owner", errors),
        organisation_id=arg_id("organisation", errors),
        plan_id=arg_id("plan", errors),
        overdue=arg_flag("overdue", errors),
        due_soon=arg_flag("due_soon", errors),
    )


@bp.route("/v1/trajectories/<id:trajectory_id>/actions")
@operation("The trajectory's actions (not archived)", response=ActionSchema, paged=True, query=FILTERS)
@rule()
def actions(trajectory: Trajectory):
    errors: dict[str, list[str]] = {}
    flt = _filter(errors)
    stmt = filtered_statement(current_user, flt, trajectory=trajectory)
    return page(stmt, Action, SCHEMA.dump, errors)


@bp.route("/v1/trajectories/<id:trajectory_id>/actions/<id:action_id>")
@operation("An action", response=ActionSchema)
@rule()
def action(trajectory: Trajectory, action_id: int):
    return record(*_dumped(get_in_trajectory_or_404(Action, trajectory, action_id)))


def _dumped(action: Action):
    return action, SCHEMA.dump(action)


def _form_data(action: Action | None, changes: dict[str, str]) -> MultiDict:
    """The action's current values as the web form has them, with the changes on top."""
    current: dict[str, str] = {}
    if action is not None:
        current = {
            "plan_id": str(action.plan_id),
            "title": action.title,
            "description": action.description,
            "owner_id": str(action.owner_id or ""),
            "status": action.status.value,
            "stage": action.stage.value,
            "due_date": action.due_date.isoformat() if action.due_date else "",
            "milestone_id": str(action.milestone_id or ""),
            "objective_id": str(action.objective_id or ""),
            "result": action.result,
        }
    else:
        current = {"status": ActionStatus.GEPLAND.value, "stage": "plan"}
    return MultiDict({**current, **changes})


def _status(value: str) -> ActionStatus:
    try:
        return ActionStatus(value)
    except ValueError:
        message = _("Choose one of: %(values)s.", values=", ".join(s.value for s in ActionStatus))
        raise invalid({"status": [message]}) from None


def _validated(trajectory: Trajectory, action: Action | None, changes: dict[str, str]):
    """The web form, filled and checked: the plan and the typed values, or 422 with its messages."""
    plans = plans_of(trajectory)
    if not plans:
        raise invalid({"plan_id": [_("Make an action plan first; actions belong to a plan.")]})
    form = ActionForm(formdata=_form_data(action, changes), meta={"csrf": False})
    form.prepare(trajectory, plans)
    plan = form.chosen_plan(plans) if form.validate() else None
    if plan is None:
        raise invalid(form_errors(form, FIELDS))
    return plan, form.to_values()


@bp.route("/v1/trajectories/<id:trajectory_id>/actions/<id:action_id>", methods=["PATCH"])
@operation("Change an action (the fields given)", response=ActionSchema, body=ActionChangeSchema)
@rule(write=can_edit)
def action_update(trajectory: Trajectory, action_id: int):
    action = get_in_trajectory_or_404(Action, trajectory, action_id)
    require_fresh(action, SCHEMA.dump)
    if action.archived_at is not None:
        raise Problem(409, _("This action is archived; restore it in the web app first."))
    changes = json_fields(FIELDS)
    try:
        if changes.keys() == {"status"}:
            # Only the status, as from a list's row in the web app: the other fields are not
            # checked again (an old action may have a due date its plan's current cycle refuses).
            services.set_action_status(action, _status(changes["status"]))
        else:
            plan, values = _validated(trajectory, action, changes)
            services.update_action(action, plan, values)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale(db.session.get_one(Action, action_id), SCHEMA.dump) from None
    return record(*_dumped(action))


@bp.route("/v1/trajectories/<id:trajectory_id>/actions", methods=["POST"])
@operation(
    "Add an action to a plan's current cycle",
    response=ActionSchema,
    body=ActionChangeSchema,
    status=201,
)
@rule(write=can_edit)
def action_create(trajectory: Trajectory):
    plan, values = _validated(trajectory, None, json_fields(FIELDS))
    action = services.create_action(trajectory, plan, values)
    db.session.commit()
    response = record(action, SCHEMA.dump(action), status=201)
    response.headers["Location"] = f"{request.path}/{action.id}"
    return response
