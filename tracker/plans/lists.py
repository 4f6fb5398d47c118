"""The actions on a plan's page, bounded whatever the plan's age: the current cycle's actions a
page at a time, every cycle's actions counted per status (one GROUP BY query), and the archived
actions a page at a time. The full list of an earlier cycle is the action list filtered on the
plan and the cycle (``?plan=…&cyclus=…``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Action, ActionStatus, Cycle, Milestone, Organisation, Plan, PlanKind, Trajectory
from tracker.models.plan import plan_title
from tracker.paging import PER_PAGE

# What a row of the plan page shows of an action, loaded with it.
_SHOWN = (
    joinedload(Action.owner),
    joinedload(Action.milestone).selectinload(Milestone.actions),
    joinedload(Action.carried_from),
)
_ORDER = (Action.due_date.is_(None), Action.due_date, Action.id)


@dataclass
class PlanCounts:
    """The plan's actions counted per cycle (its id) and status, and the archived ones."""

    per_cycle: dict[int, Counter] = field(default_factory=dict)
    archived: int = 0

    def of(self, cycle: Cycle) -> list[tuple[ActionStatus, int]]:
        """The cycle's counts per status, in the statuses' order (statuses without actions left out)."""
        found = self.per_cycle.get(cycle.id, Counter())
        return [(status, found[status]) for status in ActionStatus if found[status]]

    def total(self, cycle: Cycle) -> int:
        return sum(self.per_cycle.get(cycle.id, Counter()).values())


def counts(plan: Plan) -> PlanCounts:
    """Every action of the plan counted per cycle and status, the archived apart: one query."""
    archived = Action.archived_at.is_not(None)
    rows = db.session.execute(
        sa.select(Action.cycle_id, Action.status, archived.label("archived"), sa.func.count())
        .where(Action.plan_id == plan.id)
        .group_by(Action.cycle_id, Action.status, archived)
    )
    result = PlanCounts()
    for cycle_id, status, is_archived, n in rows:
        if is_archived:
            result.archived += n
        else:
            result.per_cycle.setdefault(cycle_id, Counter())[status] += n
    return result


def cycle_actions(cycle: Cycle) -> sa.Select:
    """The cycle's actions (archived ones apart) with what a row shows, by due date (none last)."""
    return (
        sa.select(Action)
        .where(Action.cycle_id == cycle.id, Action.archived_at.is_(None))
        .options(*_SHOWN)
        .order_by(*_ORDER)
    )


def archived_actions(plan: Plan) -> sa.Select:
    """The plan's archived actions, by due date (none last), then id."""
    return (
        sa.select(Action).where(Action.plan_id == plan.id, Action.archived_at.is_not(None)).order_by(*_ORDER)
    )


def place_of(action: Action) -> dict[str, Any]:
    """The page of the plan's page that shows ``action``, as query arguments: its page of the current
    cycle's actions or of the archive (one query of ids). An action of an earlier cycle is only
    counted on the plan's page, so there it is nothing: the plan's first page."""
    plan = action.plan
    if plan is None:
        return {}
    if action.archived_at is not None:
        stmt, arg = archived_actions(plan), "pagina_archief"
    elif plan.current_cycle is not None and action.cycle_id == plan.current_cycle.id:
        stmt, arg = cycle_actions(plan.current_cycle), "pagina_acties"
    else:
        return {}
    ids = list(db.session.scalars(stmt.with_only_columns(Action.id, maintain_column_froms=True)))
    if action.id not in ids:
        return {}
    page = ids.index(action.id) // PER_PAGE + 1
    return {arg: page} if page > 1 else {}


__all__ = ["PlanCounts", "archived_actions", "counts", "cycle_actions", "place_of"]


@dataclass(frozen=True)
class PlanChoice:
    """A plan as a filter lists it (columns, not a plan with its trajectory and organisation)."""

    id: int
    title: str
    trajectory_name: str
    kind: PlanKind


def plan_choices_in(trajectory_ids: list[int]) -> list[PlanChoice]:
    """The plans of these trajectories, by id."""
    rows = db.session.execute(
        sa.select(Plan.id, Plan.kind, Organisation.name, Trajectory.name)
        .join(Trajectory, Plan.trajectory_id == Trajectory.id)
        .outerjoin(Organisation, Plan.organisation_id == Organisation.id)
        .where(Plan.trajectory_id.in_(trajectory_ids))
        .order_by(Plan.id)
    )
    return [PlanChoice(id_, plan_title(kind, org), name, kind) for id_, kind, org, name in rows]
