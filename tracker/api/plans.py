"""Action plans with their PDCA cycles, and milestones."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.access import get_in_trajectory_or_404, rule
from tracker.api.core import arg_choice, arg_id, bp, page, record
from tracker.api.openapi import enum_param, filter_param, operation
from tracker.api.schemas import MilestoneSchema, PlanSchema
from tracker.models import Milestone, Plan, PlanKind, PlanStatus, Trajectory

PLAN = PlanSchema()
MILESTONE = MilestoneSchema()


@bp.route("/v1/trajectories/<id:trajectory_id>/plans")
@operation(
    "The trajectory's action plans with their cycles",
    response=PlanSchema,
    paged=True,
    query=(
        enum_param("kind", PlanKind, "External or internal"),
        enum_param("status", PlanStatus, "The status"),
    ),
    tag="plans",
)
@rule()
def plans(trajectory: Trajectory):
    errors: dict[str, list[str]] = {}
    stmt = (
        sa.select(Plan)
        .where(Plan.trajectory_id == trajectory.id)
        .options(joinedload(Plan.organisation), selectinload(Plan.cycles))
    )
    if (kind := arg_choice("kind", PlanKind, errors)) is not None:
        stmt = stmt.where(Plan.kind == kind)
    if (status := arg_choice("status", PlanStatus, errors)) is not None:
        stmt = stmt.where(Plan.status == status)
    return page(stmt, Plan, PLAN.dump, errors)


@bp.route("/v1/trajectories/<id:trajectory_id>/plans/<id:plan_id>")
@operation("An action plan with its cycles", response=PlanSchema, tag="plans")
@rule()
def plan(trajectory: Trajectory, plan_id: int):
    found = get_in_trajectory_or_404(Plan, trajectory, plan_id)
    return record(found, PLAN.dump(found))


@bp.route("/v1/trajectories/<id:trajectory_id>/milestones")
@operation(
    "The trajectory's milestones",
    response=MilestoneSchema,
    paged=True,
    query=(filter_param("plan", "The plan's id", {"type": "integer", "minimum": 1}),),
    tag="plans",
)
@rule()
def milestones(trajectory: Trajectory):
    errors: dict[str, list[str]] = {}
    stmt = sa.select(Milestone).where(Milestone.trajectory_id == trajectory.id)
    if (plan_id := arg_id("plan", errors)) is not None:
        stmt = stmt.where(Milestone.plan_id == plan_id)
    return page(stmt, Milestone, MILESTONE.dump, errors)


@bp.route("/v1/trajectories/<id:trajectory_id>/milestones/<id:milestone_id>")
@operation("A milestone", response=MilestoneSchema, tag="plans")
@rule()
def milestone(trajectory: Trajectory, milestone_id: int):
    found = get_in_trajectory_or_404(Milestone, trajectory, milestone_id)
    return record(found, MILESTONE.dump(found))
