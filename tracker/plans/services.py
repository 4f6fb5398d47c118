"""Plans, their PDCA cycles and milestones, and the one way other features make an action in a
plan (:func:`action_from_source`). Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.models import (
    OPEN_ACTION_STATUSES,
    ActDecision,
    Action,
    ActionSource,
    ActionStatus,
    Cycle,
    Membership,
    Milestone,
    PdcaStage,
    Plan,
    PlanKind,
    PlanStatus,
    Trajectory,
    utcnow,
)


class PlanError(ValueError):
    """A user-facing reason why a plan change is refused (the message key is the value)."""


# --- plans and cycles -----------------------------------------------------------------------


def plans_of(trajectory: Trajectory) -> list[Plan]:
    return list(
        db.session.scalars(
            sa.select(Plan)
            .where(Plan.trajectory_id == trajectory.id)
            .options(
                joinedload(Plan.organisation),
                joinedload(Plan.responsible).joinedload(Membership.user),
                selectinload(Plan.cycles),
                selectinload(Plan.milestones).selectinload(Milestone.actions),
            )
            .order_by(Plan.kind, Plan.id)
        )
    )


def _scope(kind: PlanKind, organisation_id: int | None) -> str:
    return "extern" if kind == PlanKind.EXTERN else f"intern-{organisation_id}"


def create_plan(trajectory: Trajectory, data: dict) -> Plan:
    kind = PlanKind(data["kind"])
    organisation_id = int(data["organisation_id"]) if kind == PlanKind.INTERN else None
    scope = _scope(kind, organisation_id)
    if db.session.scalar(sa.select(Plan.id).where(Plan.trajectory_id == trajectory.id, Plan.scope == scope)):
        raise PlanError("duplicate")
    plan = Plan(
        trajectory=trajectory,
        kind=kind,
        scope=scope,
        organisation_id=organisation_id,
        responsible_id=int(data["responsible_id"]),
        purpose=data["purpose"],
        status=PlanStatus(data["status"]),
    )
    plan.cycles.append(Cycle(number=1, start_date=data["cycle_start"], end_date=data["cycle_end"]))
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(plan: Plan, data: dict) -> None:
    kind = PlanKind(data["kind"])
    organisation_id = int(data["organisation_id"]) if kind == PlanKind.INTERN else None
    scope = _scope(kind, organisation_id)
    other = db.session.scalar(
        sa.select(Plan.id).where(
            Plan.trajectory_id == plan.trajectory_id, Plan.scope == scope, Plan.id != plan.id
        )
    )
    if other:
        raise PlanError("duplicate")
    plan.kind, plan.scope, plan.organisation_id = kind, scope, organisation_id
    plan.responsible_id = int(data["responsible_id"])
    plan.purpose = data["purpose"]
    plan.status = PlanStatus(data["status"])
    db.session.flush()


def update_cycle(cycle: Cycle, data: dict) -> None:
    cycle.stage = PdcaStage(data["stage"])
    for key in ("plan_text", "do_text", "check_text", "act_text"):
        setattr(cycle, key, data.get(key) or "")
    cycle.act_decision = ActDecision(data["act_decision"]) if data.get("act_decision") else None
    db.session.flush()


@dataclass
class ClosePreview:
    """What closing a cycle will do, shown before it is done."""

    stops: bool
    start: date
    end: date
    carried: list[Action]


def close_preview(cycle: Cycle, next_end: date | None) -> ClosePreview:
    start = cycle.end_date + timedelta(days=1)
    end = next_end if next_end and next_end > start else start + timedelta(days=max(cycle.period_days, 1))
    carried = [a for a in cycle.actions if a.archived_at is None and a.status in OPEN_ACTION_STATUSES]
    return ClosePreview(
        stops=cycle.act_decision == ActDecision.STOPPEN,
        start=start,
        end=end,
        carried=sorted(carried, key=lambda a: (a.due_date is None, a.due_date or date.min, a.id)),
    )


def close_cycle(cycle: Cycle, next_end: date | None) -> Cycle | None:
    """Close the cycle; unless the Act decision is to stop, open the next one and carry the
    unfinished actions over (they show where they came from)."""
    preview = close_preview(cycle, next_end)
    cycle.closed_at = utcnow()
    cycle.stage = PdcaStage.ACT
    if preview.stops:
        cycle.plan.status = PlanStatus.AFGEROND
        db.session.flush()
        return None
    following = Cycle(
        plan=cycle.plan, number=cycle.number + 1, start_date=preview.start, end_date=preview.end
    )
    db.session.add(following)
    for action in preview.carried:
        action.carried_from = cycle
        action.cycle = following
    db.session.flush()
    return following


def external_plan(trajectory: Trajectory) -> Plan | None:
    return db.session.scalar(
        sa.select(Plan).where(Plan.trajectory_id == trajectory.id, Plan.kind == PlanKind.EXTERN)
    )


def action_from_source(
    trajectory: Trajectory,
    source: ActionSource,
    source_id: int,
    *,
    title: str,
    owner_id: int | None,
    due_date: date | None,
    description: str = "",
) -> Action:
    """A planned action in the current cycle of the trajectory's external plan, linked to where it
    came from (a meeting agreement, a bottleneck, a workshop's first step, a red card …).
    Raises ``PlanError('no_plan')`` when the trajectory has no external plan with an open cycle."""
    plan = external_plan(trajectory)
    if plan is None or plan.current_cycle is None or plan.current_cycle.closed_at is not None:
        raise PlanError("no_plan")
    action = Action(
        trajectory_id=trajectory.id,
        plan=plan,
        cycle=plan.current_cycle,
        title=title[:300],
        description=description,
        owner_id=owner_id,
        due_date=due_date,
        status=ActionStatus.GEPLAND,
        stage=PdcaStage.PLAN,
        source_type=source,
        source_id=source_id,
    )
    db.session.add(action)
    db.session.flush()
    return action


def actions_of(plan: Plan) -> list[Action]:
    """Every action of the plan, archived ones too, by due date."""
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.plan_id == plan.id)
            .options(joinedload(Action.owner), joinedload(Action.milestone), joinedload(Action.carried_from))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        ).unique()
    )


# --- milestones -----------------------------------------------------------------------------


def _milestone_values(data: dict) -> dict:
    return {
        "title": data["title"],
        "target_date": data["target_date"],
        "expected_result": data.get("expected_result") or "",
        "achieved_on": data.get("achieved_on"),
        "actual_result": data.get("actual_result") or "",
    }


def create_milestone(trajectory: Trajectory, plan: Plan, data: dict) -> Milestone:
    milestone = Milestone(trajectory_id=trajectory.id, plan=plan, **_milestone_values(data))
    db.session.add(milestone)
    db.session.flush()
    return milestone


def update_milestone(milestone: Milestone, plan: Plan, data: dict) -> None:
    milestone.plan = plan
    for key, value in _milestone_values(data).items():
        setattr(milestone, key, value)
    db.session.flush()
