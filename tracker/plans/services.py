"""Plans, PDCA cycles, actions and milestones. Writes flush; views commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.ids import arg_id
from tracker.models import (
    OPEN_ACTION_STATUSES,
    ActDecision,
    Action,
    ActionSource,
    ActionStatus,
    ChecklistItem,
    Cycle,
    Layer,
    Membership,
    Milestone,
    Organisation,
    PdcaStage,
    Plan,
    PlanKind,
    PlanStatus,
    Trajectory,
    User,
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


# --- actions and milestones -----------------------------------------------------------------


def _action_values(data: dict) -> dict:
    return {
        "title": data["title"],
        "description": data.get("description") or "",
        "owner_id": int(data["owner_id"]),
        "due_date": data.get("due_date"),
        "status": ActionStatus(data["status"]),
        "stage": PdcaStage(data["stage"]),
        "milestone_id": int(data["milestone_id"]) if data.get("milestone_id") else None,
        "objective_id": int(data["objective_id"]) if data.get("objective_id") else None,
        "result": data.get("result") or "",
    }


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


def create_action(
    trajectory: Trajectory, plan: Plan, data: dict, *, source: tuple[ActionSource, int] | None = None
) -> Action:
    action = Action(trajectory_id=trajectory.id, plan=plan, cycle=plan.current_cycle, **_action_values(data))
    if source:
        action.source_type, action.source_id = source
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: Action, plan: Plan, data: dict) -> None:
    if plan.id != action.plan_id:
        action.plan = plan
        action.cycle = cast(Cycle, plan.current_cycle)  # a plan is made with its first cycle
    for key, value in _action_values(data).items():
        setattr(action, key, value)
    db.session.flush()


def archive_action(action: Action) -> None:
    """Actions are never deleted: their history stays, and they can be restored."""
    action.archived_at = utcnow()
    db.session.flush()


def restore_action(action: Action) -> None:
    action.archived_at = None
    db.session.flush()


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


def actions_from_item(item: ChecklistItem) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.source_type == ActionSource.CHECKLIST_ITEM, Action.source_id == item.id)
            .options(joinedload(Action.owner).joinedload(Membership.user))
            .order_by(Action.id)
        )
    )


# --- filtered lists, the layer × status matrix, the overview -------------------------------


@dataclass
class ActionFilter:
    layer: str | None = None
    organisation_id: int | None = None
    owner_user_id: int | None = None
    plan_id: int | None = None
    status: str | None = None
    overdue: bool = False
    due_soon: bool = False

    @classmethod
    def from_args(cls, args) -> ActionFilter:
        layer = args.get("laag")
        status = args.get("status")
        return cls(
            layer=layer if layer in {m.value for m in Layer} else None,
            organisation_id=arg_id(args, "organisatie"),
            owner_user_id=arg_id(args, "eigenaar"),
            plan_id=arg_id(args, "plan"),
            status=status if status in {m.value for m in ActionStatus} else None,
            overdue=args.get("te_laat") == "1",
            due_soon=args.get("binnenkort") == "1",
        )

    def link(self, endpoint: str, trajectory: Trajectory | None = None, **overrides) -> str:
        """The URL of ``endpoint`` with these filters (and overrides), within the trajectory if any."""
        from flask import url_for

        extra: dict[str, Any] = {"trajectory_id": trajectory.id} if trajectory is not None else {}
        return url_for(endpoint, **extra, **self.args(**overrides))

    def args(self, **overrides) -> dict:
        values = {
            "laag": self.layer,
            "organisatie": self.organisation_id,
            "eigenaar": self.owner_user_id,
            "plan": self.plan_id,
            "status": self.status,
            "te_laat": "1" if self.overdue else None,
            "binnenkort": "1" if self.due_soon else None,
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v not in (None, "")}


def visible_trajectory_ids(user: User):
    """A subquery of the trajectories the user may see."""
    if user.is_admin:
        return sa.select(Trajectory.id)
    return sa.select(Membership.trajectory_id).where(Membership.user_id == user.id)


def filtered_actions(
    user: User, flt: ActionFilter, *, trajectory: Trajectory | None = None, today: date | None = None
) -> list[Action]:
    today = today or date.today()
    stmt = (
        sa.select(Action)
        .outerjoin(Membership, Action.owner_id == Membership.id)
        .where(Action.archived_at.is_(None))
        .options(
            joinedload(Action.owner).joinedload(Membership.user),
            joinedload(Action.owner).joinedload(Membership.organisation),
            joinedload(Action.plan).joinedload(Plan.organisation),
            joinedload(Action.milestone),
            joinedload(Action.cycle),
        )
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    if trajectory is not None:
        stmt = stmt.where(Action.trajectory_id == trajectory.id)
    else:
        stmt = stmt.where(Action.trajectory_id.in_(visible_trajectory_ids(user)))
    if flt.layer:
        stmt = stmt.where(Membership.layer == Layer(flt.layer))
    if flt.organisation_id:
        stmt = stmt.where(Membership.organisation_id == flt.organisation_id)
    if flt.owner_user_id:
        stmt = stmt.where(Membership.user_id == flt.owner_user_id)
    if flt.plan_id:
        stmt = stmt.where(Action.plan_id == flt.plan_id)
    if flt.status:
        stmt = stmt.where(Action.status == ActionStatus(flt.status))
    if flt.overdue:
        stmt = stmt.where(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_date < today)
    if flt.due_soon:
        stmt = stmt.where(
            Action.status.in_(OPEN_ACTION_STATUSES),
            Action.due_date >= today,
            Action.due_date <= today + timedelta(days=14),
        )
    return list(db.session.scalars(stmt).unique())


@dataclass
class Matrix:
    """Counts of actions per layer × status, plus overdue and due soon per layer."""

    cells: Counter = field(default_factory=Counter)
    overdue: Counter = field(default_factory=Counter)
    due_soon: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)


def matrix(actions: list[Action], today: date | None = None) -> Matrix:
    today = today or date.today()
    result = Matrix()
    for action in actions:
        layer = action.owner.layer.value if action.owner else ""
        result.cells[(layer, action.status.value)] += 1
        result.totals[layer] += 1
        if action.is_overdue(today):
            result.overdue[layer] += 1
        if action.is_due_soon(today):
            result.due_soon[layer] += 1
    return result


def filter_choices(user: User, trajectory: Trajectory | None) -> dict:
    """Organisations, owners and plans to filter on, limited to what the user can see."""
    ids = [trajectory.id] if trajectory is not None else visible_trajectory_ids(user)
    members = db.session.execute(
        sa.select(Membership.organisation_id, Organisation.name, Membership.user_id, User.name)
        .join(Organisation, Membership.organisation_id == Organisation.id)
        .join(User, Membership.user_id == User.id)
        .where(Membership.trajectory_id.in_(ids))
    ).all()
    plans = db.session.scalars(
        sa.select(Plan)
        .where(Plan.trajectory_id.in_(ids))
        .options(joinedload(Plan.organisation), joinedload(Plan.trajectory))
    ).all()
    return {
        "organisations": sorted({(o, n) for o, n, _, _ in members}, key=lambda x: x[1]),
        "owners": sorted({(u, n) for _, _, u, n in members}, key=lambda x: x[1]),
        "plans": sorted(plans, key=lambda p: (p.trajectory.name, p.kind.value, p.title)),
    }


def milestones_for(
    user: User, *, trajectory: Trajectory | None = None, plan_id: int | None = None
) -> list[Milestone]:
    stmt = (
        sa.select(Milestone)
        .options(
            selectinload(Milestone.actions),
            joinedload(Milestone.plan).joinedload(Plan.organisation),
            joinedload(Milestone.plan).joinedload(Plan.trajectory),
        )
        .order_by(Milestone.target_date, Milestone.id)
    )
    if trajectory is not None:
        stmt = stmt.where(Milestone.trajectory_id == trajectory.id)
    else:
        stmt = stmt.where(Milestone.trajectory_id.in_(visible_trajectory_ids(user)))
    if plan_id:
        stmt = stmt.where(Milestone.plan_id == plan_id)
    return list(db.session.scalars(stmt))


@dataclass
class TrajectoryActionSummary:
    open: int = 0
    overdue: int = 0
    next_milestone: Milestone | None = None


def summaries(trajectory_ids: list[int], today: date | None = None) -> dict[int, TrajectoryActionSummary]:
    """Open and overdue actions and the next milestone per trajectory, in two queries."""
    today = today or date.today()
    result = {tid: TrajectoryActionSummary() for tid in trajectory_ids}
    if not trajectory_ids:
        return result
    rows: Iterable[tuple[int, int, int | None]] = db.session.execute(
        sa.select(
            Action.trajectory_id,
            sa.func.count(),
            sa.func.sum(sa.case((Action.due_date < today, 1), else_=0)),
        )
        .where(
            Action.trajectory_id.in_(trajectory_ids),
            Action.archived_at.is_(None),
            Action.status.in_(OPEN_ACTION_STATUSES),
        )
        .group_by(Action.trajectory_id)
    )
    for tid, open_count, overdue in rows:
        result[tid].open, result[tid].overdue = open_count, int(overdue or 0)
    upcoming = db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.trajectory_id.in_(trajectory_ids), Milestone.achieved_on.is_(None))
        .options(selectinload(Milestone.actions))
        .order_by(Milestone.target_date, Milestone.id)
    )
    for milestone in upcoming:
        if result[milestone.trajectory_id].next_milestone is None:
            result[milestone.trajectory_id].next_milestone = milestone
    return result
