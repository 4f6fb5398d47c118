"""The action lists: filters, the layer × status matrix, milestones in view, the overview's counts.
Everything is limited to the trajectories the user may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.ids import arg_id
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Cycle,
    Layer,
    Membership,
    Milestone,
    Organisation,
    Plan,
    Trajectory,
    User,
)
from tracker.models.plan import DUE_SOON_DAYS
from tracker.plans.lists import plan_choices_in


@dataclass
class ActionFilter:
    layer: str | None = None
    organisation_id: int | None = None
    owner_user_id: int | None = None
    plan_id: int | None = None
    cycle: int | None = None  # a cycle's number (of the chosen plan, or of every plan)
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
            cycle=arg_id(args, "cyclus"),
            status=status if status in {m.value for m in ActionStatus} else None,
            overdue=args.get("te_laat") == "1",
            due_soon=args.get("binnenkort") == "1",
        )

    def link(self, endpoint: str, trajectory: Trajectory | None = None, **overrides) -> str:
        """The URL of ``endpoint`` with these filters (and overrides), within the trajectory if any."""
        extra: dict[str, Any] = {"trajectory_id": trajectory.id} if trajectory is not None else {}
        return url_for(endpoint, **extra, **self.args(**overrides))

    def args(self, **overrides) -> dict:
        values = {
            "laag": self.layer,
            "organisatie": self.organisation_id,
            "eigenaar": self.owner_user_id,
            "plan": self.plan_id,
            "cyclus": self.cycle,
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


def _conditions(
    user: User, flt: ActionFilter, trajectory: Trajectory | None, today: date
) -> list[sa.ColumnElement[bool]]:
    """What the filters ask of an action (joined to its owner's membership)."""
    where: list[sa.ColumnElement[bool]] = [Action.archived_at.is_(None)]
    if trajectory is not None:
        where.append(Action.trajectory_id == trajectory.id)
    else:
        where.append(Action.trajectory_id.in_(visible_trajectory_ids(user)))
    if flt.layer:
        where.append(Membership.layer == Layer(flt.layer))
    if flt.organisation_id:
        where.append(Membership.organisation_id == flt.organisation_id)
    if flt.owner_user_id:
        where.append(Membership.user_id == flt.owner_user_id)
    if flt.plan_id:
        where.append(Action.plan_id == flt.plan_id)
    if flt.cycle:
        where.append(Action.cycle_id.in_(sa.select(Cycle.id).where(Cycle.number == flt.cycle)))
    if flt.status:
        where.append(Action.status == ActionStatus(flt.status))
    if flt.overdue:
        where.append(_overdue(today))
    if flt.due_soon:
        where.append(_due_soon(today))
    return where


def _overdue(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_date < today)


def _due_soon(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        Action.status.in_(OPEN_ACTION_STATUSES),
        Action.due_date >= today,
        Action.due_date <= today + timedelta(days=DUE_SOON_DAYS),
    )


# What a list shows of an action, loaded with it.
_SHOWN = (
    joinedload(Action.owner).joinedload(Membership.user),
    joinedload(Action.owner).joinedload(Membership.organisation),
    joinedload(Action.plan).joinedload(Plan.organisation),
    joinedload(Action.plan).joinedload(Plan.trajectory),
    joinedload(Action.milestone),
    joinedload(Action.cycle),
)


def filtered_statement(
    user: User, flt: ActionFilter, *, trajectory: Trajectory | None = None, today: date | None = None
) -> sa.Select:
    """The filtered actions with what a list shows of them, by due date (none last), then id."""
    return (
        sa.select(Action)
        .outerjoin(Membership, Action.owner_id == Membership.id)
        .where(*_conditions(user, flt, trajectory, today or date.today()))
        .options(*_SHOWN)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )


def shown_actions() -> sa.Select:
    """The actions with what a list shows of them, with no limit of visibility: for rows already
    chosen by id from the visible ones."""
    return (
        sa.select(Action)
        .outerjoin(Membership, Action.owner_id == Membership.id)
        .options(*_SHOWN)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )


def filtered_actions(
    user: User, flt: ActionFilter, *, trajectory: Trajectory | None = None, today: date | None = None
) -> list[Action]:
    return list(db.session.scalars(filtered_statement(user, flt, trajectory=trajectory, today=today)))


@dataclass
class Matrix:
    """Counts of actions per layer × status, plus overdue and due soon per layer."""

    cells: Counter = field(default_factory=Counter)
    overdue: Counter = field(default_factory=Counter)
    due_soon: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)


def matrix(
    user: User, flt: ActionFilter, *, trajectory: Trajectory | None = None, today: date | None = None
) -> Matrix:
    """The filtered actions counted per layer of the owner (\"\" without owner) × status, in one
    GROUP BY query."""
    today = today or date.today()
    rows: Iterable[tuple[Layer | None, ActionStatus, int, int | None, int | None]] = db.session.execute(
        sa.select(
            Membership.layer,
            Action.status,
            sa.func.count(),
            sa.func.sum(sa.case((_overdue(today), 1), else_=0)),
            sa.func.sum(sa.case((_due_soon(today), 1), else_=0)),
        )
        .select_from(Action)
        .outerjoin(Membership, Action.owner_id == Membership.id)
        .where(*_conditions(user, flt, trajectory, today))
        .group_by(Membership.layer, Action.status)
    )
    result = Matrix()
    for layer, status, count, overdue, due_soon in rows:
        key = layer.value if layer is not None else ""
        result.cells[(key, status.value)] += count
        result.totals[key] += count
        result.overdue[key] += int(overdue or 0)
        result.due_soon[key] += int(due_soon or 0)
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
    plans = sorted(plan_choices_in(ids), key=lambda p: (p.trajectory_name, p.kind.value, p.title))
    return {
        "organisations": sorted({(o, n) for o, n, _, _ in members}, key=lambda x: x[1]),
        "owners": sorted({(u, n) for _, _, u, n in members}, key=lambda x: x[1]),
        "plans": plans,
    }


def milestones_statement(
    user: User, *, trajectory: Trajectory | None = None, plan_id: int | None = None
) -> sa.Select:
    """Milestones in view (of one plan), by target date, then id."""
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
    return stmt


@dataclass
class TrajectoryActionSummary:
    open: int = 0
    overdue: int = 0
    next_milestone: Milestone | None = None


def summaries(trajectory_ids: list[int], today: date | None = None) -> dict[int, TrajectoryActionSummary]:
    """Open and overdue actions (counted by the database) and the next milestone per trajectory
    (picked by the database), in three queries."""
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
    ranked = (
        sa.select(
            Milestone.id,
            sa.func.row_number()
            .over(partition_by=Milestone.trajectory_id, order_by=(Milestone.target_date, Milestone.id))
            .label("rank"),
        )
        .where(Milestone.trajectory_id.in_(trajectory_ids), Milestone.achieved_on.is_(None))
        .subquery()
    )
    upcoming = db.session.scalars(  # only each trajectory's first, not every open milestone
        sa.select(Milestone)
        .join(ranked, ranked.c.id == Milestone.id)
        .where(ranked.c.rank == 1)
        .options(selectinload(Milestone.actions))
    )
    for milestone in upcoming:
        result[milestone.trajectory_id].next_milestone = milestone
    return result
