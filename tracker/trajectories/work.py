"""'Mijn werk': the checklist items and actions a user owns across trajectories, in three parts:
overdue, due within 14 days, and the rest (later or without a due date; with ``include_done`` also
what is done). A fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from tracker.actions import lists as action_lists
from tracker.extensions import db
from tracker.models import Action, ChecklistItem, Trajectory, User
from tracker.models.plan import DUE_SOON_DAYS
from tracker.trajectories.progress import OPEN_ITEM_STATUSES
from tracker.trajectories.services import my_items


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


@dataclass
class MyWork:
    overdue: list[WorkRow] = field(default_factory=list)
    due_soon: list[WorkRow] = field(default_factory=list)
    rest: list[WorkRow] = field(default_factory=list)
    trajectory_names: dict[int, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.rest)


def _sort_key(row: WorkRow) -> tuple:
    return (row.due is None, row.due or date.max, row.item is None, row.trajectory_id)


def my_work(user: User, *, include_done: bool = False, today: date | None = None) -> MyWork:
    today = today or date.today()
    items = my_items(user, include_done=include_done)
    mine = action_lists.ActionFilter(owner_user_id=user.id)
    actions = action_lists.filtered_actions(user, mine, today=today)
    if not include_done:
        actions = [a for a in actions if a.is_open]
    rows = [WorkRow(item=i) for i in items] + [WorkRow(action=a) for a in actions]
    work = MyWork()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    for row in sorted(rows, key=_sort_key):
        if row.is_overdue(today):
            work.overdue.append(row)
        elif row.is_open() and row.due is not None and today <= row.due <= soon:
            work.due_soon.append(row)
        else:
            work.rest.append(row)
    ids = {row.trajectory_id for row in rows}
    if ids:
        work.trajectory_names = dict(
            db.session.execute(sa.select(Trajectory.id, Trajectory.name).where(Trajectory.id.in_(ids))).all()
        )
    return work
