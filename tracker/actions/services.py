"""Actions of a plan: made, changed, archived and restored. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionSource,
    ActionStatus,
    Ambition,
    ChecklistItem,
    Cycle,
    Membership,
    Objective,
    PdcaStage,
    Plan,
    Trajectory,
    utcnow,
)


@dataclass(frozen=True)
class ActionValues:
    """An action as the user sets it; the plan it belongs to is given apart."""

    title: str
    owner_id: int | None
    status: ActionStatus = ActionStatus.GEPLAND
    stage: PdcaStage = PdcaStage.PLAN
    due_date: date | None = None
    description: str = ""
    milestone_id: int | None = None
    objective_id: int | None = None
    result: str = ""


def create_action(
    trajectory: Trajectory,
    plan: Plan,
    values: ActionValues,
    *,
    source: tuple[ActionSource, int] | None = None,
    source_key: str | None = None,
) -> Action:
    """A new action in the plan's current cycle; ``source`` says where it came from (the kind and
    the source's id), ``source_key`` which part of it (a red card's factor)."""
    action = Action(trajectory_id=trajectory.id, plan=plan, cycle=plan.current_cycle, **asdict(values))
    if source:
        action.source_type, action.source_id = source
        action.source_key = source_key
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: Action, plan: Plan, values: ActionValues) -> None:
    if plan.id != action.plan_id:
        action.plan = plan
        action.cycle = cast(Cycle, plan.current_cycle)  # a plan is made with its first cycle
    for key, value in asdict(values).items():
        setattr(action, key, value)
    db.session.flush()


def set_action_status(action: Action, status: ActionStatus) -> None:
    """Only the status changes (a quick change from a list row)."""
    action.status = status
    db.session.flush()


def archive_action(action: Action) -> None:
    """Actions are never deleted: their history stays, and they can be restored."""
    action.archived_at = utcnow()
    db.session.flush()


def restore_action(action: Action) -> None:
    action.archived_at = None
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


def objectives_of(trajectory: Trajectory) -> list[Objective]:
    """The objectives of the trajectory's active shared ambitions, which an action can serve."""
    return list(
        db.session.scalars(
            sa.select(Objective)
            .join(Ambition, Objective.ambition_id == Ambition.id)
            .where(Ambition.trajectory_id == trajectory.id, Ambition.active.is_(True))
            .options(joinedload(Objective.ambition))
            .order_by(Ambition.id, Objective.id)
        )
    )
