"""Plans, their PDCA cycles and milestones, and the one way other features make an action in a
plan (:func:`action_from_source`). Writes flush; views commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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


@dataclass(frozen=True)
class PlanValues:
    """A plan as the user sets it. An internal plan is for one organisation; an external plan has
    none (an organisation given with it is ignored)."""

    kind: PlanKind
    responsible_id: int
    purpose: str
    status: PlanStatus = PlanStatus.ACTIEF
    organisation_id: int | None = None

    @property
    def scope(self) -> str:
        """One external plan per trajectory, and one internal plan per organisation."""
        return "extern" if self.kind == PlanKind.EXTERN else f"intern-{self.organisation_id}"


def _apply(plan: Plan, values: PlanValues) -> None:
    other = db.session.scalar(
        sa.select(Plan.id).where(
            Plan.trajectory_id == plan.trajectory_id, Plan.scope == values.scope, Plan.id != plan.id
        )
    )
    if other:
        raise PlanError("duplicate")
    plan.kind, plan.scope = values.kind, values.scope
    plan.organisation_id = values.organisation_id if values.kind == PlanKind.INTERN else None
    plan.responsible_id = values.responsible_id
    plan.purpose = values.purpose
    plan.status = values.status


def create_plan(trajectory: Trajectory, values: PlanValues, *, cycle_start: date, cycle_end: date) -> Plan:
    """The plan with its first cycle; ``PlanError('duplicate')`` when the trajectory has it already."""
    plan = Plan(trajectory=trajectory, trajectory_id=trajectory.id)
    _apply(plan, values)
    plan.cycles.append(Cycle(number=1, start_date=cycle_start, end_date=cycle_end))
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(plan: Plan, values: PlanValues) -> None:
    _apply(plan, values)
    db.session.flush()


@dataclass(frozen=True)
class CycleValues:
    """The PDCA record of a cycle: its stage, the four texts and the Act decision."""

    stage: PdcaStage
    plan_text: str = ""
    do_text: str = ""
    check_text: str = ""
    act_text: str = ""
    act_decision: ActDecision | None = None


def update_cycle(cycle: Cycle, values: CycleValues) -> None:
    for key, value in asdict(values).items():
        setattr(cycle, key, value)
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


# --- milestones -----------------------------------------------------------------------------


def milestones_of(plan: Plan) -> sa.Select:
    """The plan's milestones (with their actions, for their state) by target date, then id."""
    return (
        sa.select(Milestone)
        .where(Milestone.plan_id == plan.id)
        .options(selectinload(Milestone.actions))
        .order_by(Milestone.target_date, Milestone.id)
    )


@dataclass(frozen=True)
class MilestoneValues:
    title: str
    target_date: date
    expected_result: str = ""
    achieved_on: date | None = None
    actual_result: str = ""


def create_milestone(trajectory: Trajectory, plan: Plan, values: MilestoneValues) -> Milestone:
    milestone = Milestone(trajectory_id=trajectory.id, plan=plan, **asdict(values))
    db.session.add(milestone)
    db.session.flush()
    return milestone


def update_milestone(milestone: Milestone, plan: Plan, values: MilestoneValues) -> None:
    milestone.plan = plan
    for key, value in asdict(values).items():
        setattr(milestone, key, value)
    db.session.flush()
