"""Actions of a plan: made, changed, archived and restored. Writes flush; views commit."""

from __future__ import annotations

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
