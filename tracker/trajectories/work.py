"""'Mijn werk': the checklist items and actions a user owns across trajectories, in three parts:
overdue, due within 14 days, and the rest (later or without a due date; with ``include_done`` also
what is done). Paged across the sections, counted and ordered in the database: a fixed number of
queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.actions import lists as action_lists
from tracker.extensions import db
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ChecklistItem,
    Membership,
    Phase,
    Section,
    Trajectory,
    User,
)
from tracker.models.plan import DUE_SOON_DAYS
from tracker.paging import PER_PAGE, Page, clamp, requested_page
from tracker.trajectories.progress import OPEN_ITEM_STATUSES


@dataclass(frozen=True)
class WorkRow:
    """One row of the lists: a checklist item or an action."""

    item: ChecklistItem | None = None
    action: Action | None = None

    @property
    def due(self) -> date | None:
        record = self.item if self.item is not None else self.action
        return record.due_date if record is not None else None

    @property
    def trajectory_id(self) -> int:
        record = self.item if self.item is not None else self.action
        assert record is not None
        return record.trajectory_id

    def is_open(self) -> bool:
        if self.item is not None:
            return self.item.status in OPEN_ITEM_STATUSES
        return self.action is not None and self.action.is_open

    def is_overdue(self, today: date) -> bool:
        if self.item is not None:
            return self.item.is_overdue(today)
        return self.action is not None and self.action.is_overdue(today)


SECTIONS = ("overdue", "due_soon", "rest")


@dataclass
class MyWork:
    """One page of the user's work, split in its sections, and the whole list's count per section."""

    overdue: list[WorkRow] = field(default_factory=list)
    due_soon: list[WorkRow] = field(default_factory=list)
    rest: list[WorkRow] = field(default_factory=list)
    trajectory_names: dict[int, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    page: Page[Any] = field(default_factory=lambda: Page([], 1, PER_PAGE, 0))

    @property
    def empty(self) -> bool:
        return not self.page.total


def _section(overdue: sa.ColumnElement[bool], due_soon: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.case((overdue, 0), (due_soon, 1), else_=2)


def _rows(user: User, include_done: bool, today: date) -> sa.Subquery:
    """Every item and action of the user as (kind, id, section, and the order's keys), one UNION."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    item_open = ChecklistItem.status.in_(OPEN_ITEM_STATUSES)
    items = (
        sa.select(
            sa.literal(0).label("kind"),
            ChecklistItem.id.label("id"),
            _section(
                sa.and_(item_open, ChecklistItem.due_date < today),
                sa.and_(item_open, ChecklistItem.due_date >= today, ChecklistItem.due_date <= soon),
            ).label("section"),
            ChecklistItem.due_date.label("due"),
            ChecklistItem.trajectory_id.label("trajectory_id"),
            Phase.number.label("phase"),
            Section.position.label("section_position"),
            ChecklistItem.position.label("position"),
        )
        .join(Membership, ChecklistItem.owner_id == Membership.id)
        .join(Section, ChecklistItem.section_id == Section.id)
        .join(Phase, Section.phase_id == Phase.id)
        .where(Membership.user_id == user.id, ChecklistItem.archived_at.is_(None))
    )
    if not include_done:
        items = items.where(item_open)
    action_open = Action.status.in_(OPEN_ACTION_STATUSES)
    actions = (
        sa.select(
            sa.literal(1),
            Action.id,
            _section(
                sa.and_(action_open, Action.due_date < today),
                sa.and_(action_open, Action.due_date >= today, Action.due_date <= soon),
            ),
            Action.due_date,
            Action.trajectory_id,
            sa.literal(0),
            sa.literal(0),
            sa.literal(0),
        )
        .join(Membership, Action.owner_id == Membership.id)
        .where(
            Membership.user_id == user.id,
            Action.archived_at.is_(None),
            Action.trajectory_id.in_(action_lists.visible_trajectory_ids(user)),
        )
    )
    if not include_done:
        actions = actions.where(action_open)
    return sa.union_all(items, actions).subquery()


def _load(ids: dict[int, list[int]]) -> tuple[dict[int, ChecklistItem], dict[int, Action]]:
    items = {
        i.id: i
        for i in db.session.scalars(
            sa.select(ChecklistItem)
            .where(ChecklistItem.id.in_(ids[0]))
            .options(joinedload(ChecklistItem.section).joinedload(Section.phase))
        )
    }
    actions = {a.id: a for a in db.session.scalars(action_lists.shown_actions().where(Action.id.in_(ids[1])))}
    return items, actions


def my_work(user: User, *, include_done: bool = False, today: date | None = None) -> MyWork:
    """One page (``?pagina=N``) of the user's items and actions: overdue, then due within 14
    days, then the rest; each by due date (none last), items before actions. Five queries."""
    today = today or date.today()
    rows = _rows(user, include_done, today)
    counted: Iterable[tuple[int, int]] = db.session.execute(
        sa.select(rows.c.section, sa.func.count()).group_by(rows.c.section)
    )
    counts = {section: count for section, count in counted}
    total = sum(counts.values())
    number = clamp(requested_page(), total, PER_PAGE)
    work = MyWork(counts={key: counts.get(n, 0) for n, key in enumerate(SECTIONS)})
    if not total:
        return work
    stmt = (
        sa.select(rows.c.kind, rows.c.id, rows.c.section)
        .order_by(
            rows.c.section,
            rows.c.due.is_(None),
            rows.c.due,
            rows.c.kind,
            rows.c.trajectory_id,
            rows.c.phase,
            rows.c.section_position,
            rows.c.position,
            rows.c.id,
        )
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    )
    fetched: Iterable[tuple[int, int, int]] = db.session.execute(stmt)
    page = list(fetched)
    ids: dict[int, list[int]] = {0: [], 1: []}
    for kind, record_id, _section_number in page:
        ids[kind].append(record_id)
    items, actions = _load(ids)
    shown: list[WorkRow] = []
    for kind, record_id, section_number in page:
        row = WorkRow(item=items[record_id]) if kind == 0 else WorkRow(action=actions[record_id])
        getattr(work, SECTIONS[section_number]).append(row)
        shown.append(row)
    work.page = Page(shown, number, PER_PAGE, total, anchor=None)
    names = {row.trajectory_id for row in shown}
    work.trajectory_names = dict(
        db.session.execute(sa.select(Trajectory.id, Trajectory.name).where(Trajectory.id.in_(names))).all()
    )
    return work
