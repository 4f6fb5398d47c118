"""'Wat loopt achter' in SQL: each kind of entry as a select of the same columns, all of them as
one UNION ALL, ordered as shown (layer, owner, date, then trajectory, kind, title and a unique
tiebreak). The columns hold all an entry shows, so a page needs no further query."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for

from tracker.behind.entries import Entry, EntryKind
from tracker.extensions import db
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionSource,
    ActionStatus,
    Ballot,
    ChecklistItem,
    Color,
    EvaluationRound,
    Layer,
    Membership,
    Milestone,
    Plan,
    Trajectory,
    User,
    Vote,
)
from tracker.models.plan import DUE_SOON_DAYS
from tracker.trajectories.progress import OPEN_ITEM_STATUSES

Trajectories = list[int] | sa.Select
IDS: sa.BindParameter[list[int]] = sa.bindparam("trajectories", expanding=True)
TODAY = sa.bindparam("today", type_=sa.Date())
SOON = sa.bindparam("soon", type_=sa.Date())  # today and the days a milestone is due soon
LAYER = sa.bindparam("layer", type_=sa.String())


def _text(value: Any) -> sa.ColumnElement:
    return sa.cast(value, sa.String)


def _row(kind, record_id, trajectory_id, title, due, layer, owner, **extra) -> list[sa.ColumnElement]:
    """The union's columns, the same for every kind; the kind-specific ones default to nothing."""
    return [
        _text(kind).label("kind"),
        record_id.label("id"),
        _text(extra.get("key", sa.literal(""))).label("key"),
        trajectory_id.label("trajectory_id"),
        _text(Trajectory.name).label("trajectory_name"),
        _text(title).label("title"),
        due.label("due"),
        _text(layer).label("layer"),
        _text(owner).label("owner"),
        sa.cast(extra.get("dutch", sa.false()), sa.Boolean).label("dutch"),
        _text(extra.get("round_name", sa.literal(""))).label("round_name"),
        sa.cast(extra.get("red_cards", sa.literal(0)), sa.Integer).label("red_cards"),
    ]


def items(dialect: str) -> sa.Select:
    """Open items past their due date; their layer is the accountable layer, else the owner's."""
    return (
        sa.select(
            *_row(
                sa.literal(EntryKind.ITEM_OVERDUE.value),
                ChecklistItem.id,
                ChecklistItem.trajectory_id,
                ChecklistItem.text,
                ChecklistItem.due_date,
                sa.func.coalesce(_text(ChecklistItem.accountable_layer), _text(Membership.layer)),
                User.name,
                dutch=sa.not_(ChecklistItem.is_custom),
            )
        )
        .join(Trajectory, ChecklistItem.trajectory_id == Trajectory.id)
        .outerjoin(Membership, ChecklistItem.owner_id == Membership.id)
        .outerjoin(User, Membership.user_id == User.id)
        .where(
            ChecklistItem.trajectory_id.in_(IDS),
            ChecklistItem.archived_at.is_(None),
            ChecklistItem.status.in_(OPEN_ITEM_STATUSES),
            ChecklistItem.due_date < TODAY,
        )
    )


def actions(dialect: str) -> sa.Select:
    """Open actions past their due date, and blocked actions."""
    blocked = Action.status == ActionStatus.GEBLOKKEERD
    overdue = sa.and_(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_date < TODAY)
    kind = sa.case((blocked, EntryKind.ACTION_BLOCKED.value), else_=EntryKind.ACTION_OVERDUE.value)
    return (
        sa.select(
            *_row(
                kind,
                Action.id,
                Action.trajectory_id,
                Action.title,
                Action.due_date,
                Membership.layer,
                User.name,
            )
        )
        .join(Trajectory, Action.trajectory_id == Trajectory.id)
        .outerjoin(Membership, Action.owner_id == Membership.id)
        .outerjoin(User, Membership.user_id == User.id)
        .where(Action.trajectory_id.in_(IDS), Action.archived_at.is_(None), sa.or_(overdue, blocked))
    )


def milestones(dialect: str) -> sa.Select:
    """Milestones late or at risk, as :meth:`Milestone.state` says, owned by their plan's
    responsible member."""
    live = sa.and_(Action.milestone_id == Milestone.id, Action.archived_at.is_(None))
    is_open = Action.status.in_(OPEN_ACTION_STATUSES)
    troubled = sa.or_(sa.and_(is_open, Action.due_date < TODAY), Action.status == ActionStatus.GEBLOKKEERD)
    late = Milestone.target_date < TODAY
    at_risk = sa.or_(
        sa.exists().where(live, troubled),
        sa.and_(Milestone.target_date <= SOON, sa.exists().where(live, is_open)),
    )
    kind = sa.case((late, EntryKind.MILESTONE_LATE.value), else_=EntryKind.MILESTONE_AT_RISK.value)
    return (
        sa.select(
            *_row(
                kind,
                Milestone.id,
                Milestone.trajectory_id,
                Milestone.title,
                Milestone.target_date,
                Membership.layer,
                User.name,
            )
        )
        .join(Trajectory, Milestone.trajectory_id == Trajectory.id)
        .join(Plan, Milestone.plan_id == Plan.id)
        .outerjoin(Membership, Plan.responsible_id == Membership.id)
        .outerjoin(User, Membership.user_id == User.id)
        .where(Milestone.trajectory_id.in_(IDS), Milestone.achieved_on.is_(None), sa.or_(late, at_risk))
    )


def _factors(dialect: str) -> tuple[Any, sa.ColumnElement, sa.ColumnElement]:
    """The rounds' factors as rows (the JSON list unnested), with each factor's key and title."""
    if dialect == "postgresql":
        each = sa.func.json_array_elements(EvaluationRound.factors).table_valued("value")
        return each, each.c.value.op("->>")("key"), each.c.value.op("->>")("title")
    each = sa.func.json_each(EvaluationRound.factors).table_valued("value")
    return each, sa.func.json_extract(each.c.value, "$.key"), sa.func.json_extract(each.c.value, "$.title")


def red_cards(dialect: str) -> sa.Select:
    """Factors with red cards in each trajectory's latest closed round, with no action made from
    them. Nobody owns them yet: that is what is behind."""
    latest = (
        sa.select(EvaluationRound.trajectory_id, sa.func.max(EvaluationRound.closes_on).label("closes_on"))
        .where(EvaluationRound.trajectory_id.in_(IDS), EvaluationRound.closes_on < TODAY)
        .group_by(EvaluationRound.trajectory_id)
        .subquery()
    )
    red = (
        sa.select(Ballot.round_id, Vote.factor, sa.func.count().label("n"))
        .join(Vote, Vote.ballot_id == Ballot.id)
        .where(Vote.color == Color.ROOD)
        .group_by(Ballot.round_id, Vote.factor)
        .subquery()
    )
    each, key, title = _factors(dialect)
    followed = sa.exists().where(
        Action.source_type == ActionSource.RED_CARD,
        Action.source_id == EvaluationRound.id,
        Action.source_key == red.c.factor,
        Action.archived_at.is_(None),
    )
    row = _row(
        EntryKind.RED_CARD.value,
        EvaluationRound.id,
        EvaluationRound.trajectory_id,
        title,
        EvaluationRound.closes_on,
        sa.null(),
        sa.null(),
        key=red.c.factor,
        round_name=EvaluationRound.name,
        red_cards=red.c.n,
    )
    return (
        sa.select(*row)
        .join(Trajectory, EvaluationRound.trajectory_id == Trajectory.id)
        .join(
            latest,
            sa.and_(
                EvaluationRound.trajectory_id == latest.c.trajectory_id,
                EvaluationRound.closes_on == latest.c.closes_on,
            ),
        )
        .join(red, red.c.round_id == EvaluationRound.id)
        .join(each, sa.true())
        .where(_text(key) == red.c.factor, ~followed)
    )


ALL = (items, actions, milestones, red_cards)


def _sortable(column: sa.ColumnElement, dialect: str) -> sa.ColumnElement:
    """Text compared by code point, as Python compares strings (PostgreSQL: the "C" collation)."""
    return column.collate("C") if dialect == "postgresql" else column


def _ordered(union: sa.Subquery, dialect: str) -> sa.Select:
    """The entries in the order they are shown (and paged): by layer (none last), owner (by name,
    nobody last), date (undated last), trajectory, kind and title; then as their links sort
    (trajectory id, then record id, as text), then the unique (kind, id, key)."""
    c = union.c
    layer = sa.case({layer.value: n for n, layer in enumerate(Layer)}, value=c.layer, else_=len(Layer))
    link = _text(c.trajectory_id) + "/" + _text(c.id)
    return sa.select(union).order_by(
        layer,
        c.owner.is_(None),
        _sortable(c.owner, dialect),
        c.due.is_(None),
        c.due,
        _sortable(c.trajectory_name, dialect),
        c.kind,
        _sortable(c.title, dialect),
        _sortable(link, dialect),
        c.id,
        c.key,
    )


@dataclass(frozen=True)
class Statements:
    """The union's rows in the shown order, and their number per kind and layer."""

    ordered: sa.Select
    counted: sa.Select


@functools.lru_cache(maxsize=64)
def _statements(dialect: str, kinds: tuple, layered: bool) -> Statements:
    union = sa.union_all(*(kind(dialect) for kind in kinds)).subquery()
    if layered:
        union = sa.select(union).where(union.c.layer == LAYER).subquery()
    counted = sa.select(union.c.kind, union.c.layer, sa.func.count()).group_by(union.c.kind, union.c.layer)
    return Statements(_ordered(union, dialect), counted)


def statements(kinds: tuple = ALL, layered: bool = False) -> Statements:
    """The statements for these kinds (in one layer: the parameter ``layer``), built once per
    database dialect: they take their values as parameters (:func:`params`)."""
    return _statements(db.session.get_bind().dialect.name, kinds, layered)


def params(trajectories: Trajectories, today: date, layer: Layer | None = None) -> dict[str, Any]:
    """The statements' parameters: the trajectories (ids; a subquery of ids is read first), the
    day, and the layer (if any)."""
    ids = trajectories if isinstance(trajectories, list) else list(db.session.scalars(trajectories))
    values = {"trajectories": ids, "today": today, "soon": today + timedelta(days=DUE_SOON_DAYS)}
    return values | ({"layer": layer.value} if layer is not None else {})


def entry(row: Any) -> Entry:
    """One row of the union as the entry shown, with its link."""
    kind = EntryKind(row.kind)
    tid = row.trajectory_id
    if kind == EntryKind.ITEM_OVERDUE:
        url = url_for("phases.item", trajectory_id=tid, item_id=row.id)
    elif kind in (EntryKind.ACTION_OVERDUE, EntryKind.ACTION_BLOCKED):
        url = url_for("actions.view", trajectory_id=tid, action_id=row.id)
    elif kind == EntryKind.RED_CARD:
        url = url_for("evaluations.round_view", trajectory_id=tid, round_id=row.id, _anchor="follow-heading")
    else:
        url = url_for("plans.milestone", trajectory_id=tid, milestone_id=row.id)
    return Entry(
        kind,
        row.title,
        url,
        tid,
        row.trajectory_name,
        Layer(row.layer) if row.layer else None,
        row.owner,
        row.due,
        round_name=row.round_name,
        red_cards=row.red_cards,
        dutch=bool(row.dutch),
    )
