"""What a notification mail lists: pending notifications claimed for one mail, the user's due
work, and both as entries grouped per trajectory for the templates (``templates/email/``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

import sqlalchemy as sa

from tracker.extensions import db
from tracker.mail.services import absolute_url
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ChecklistItem,
    EvaluationRound,
    ItemStatus,
    Membership,
    Notification,
    Trajectory,
    utcnow,
)
from tracker.models.plan import DUE_SOON_DAYS

OPEN_ITEM_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_BEHANDELING)
MODELS: dict[str, type] = {"item": ChecklistItem, "action": Action, "round": EvaluationRound}


@dataclass
class Entry:
    """One line of a mail: an item, action or round, with its link and what to say about it."""

    kind: str  # "item", "action" or "round"
    title: str
    link: str
    due: date | None = None
    by: str = ""
    closes: date | None = None


@dataclass
class TrajectoryEntries:
    """A trajectory's part of a mail, one list per section."""

    name: str
    link: str
    assigned: list[Entry] = field(default_factory=list)
    rounds: list[Entry] = field(default_factory=list)
    overdue: list[Entry] = field(default_factory=list)
    due_soon: list[Entry] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.assigned) + len(self.rounds) + len(self.overdue) + len(self.due_soon)


# (trajectory id, section, entry)
Found = tuple[int, str, Entry]


def claim(user_id: int, *, digest: bool) -> list[Notification]:
    """Take the user's pending notifications (of the batch mail, or of the weekly overview) for
    one mail: each is marked sent with a conditional update, so a concurrent run that claimed it
    first keeps it. The caller queues the mail and commits in the same transaction."""
    pending = db.session.scalars(
        sa.select(Notification.id)
        .where(
            Notification.user_id == user_id,
            Notification.sent_at.is_(None),
            Notification.digest.is_(digest),
        )
        .order_by(Notification.id)
    ).all()
    now, claimed = utcnow(), []
    for notification_id in pending:
        result = cast(
            "sa.CursorResult[Any]",
            db.session.execute(
                sa.update(Notification)
                .where(Notification.id == notification_id, Notification.sent_at.is_(None))
                .values(sent_at=now)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount:
            claimed.append(notification_id)
    if not claimed:
        return []
    return list(db.session.scalars(sa.select(Notification).where(Notification.id.in_(claimed))))


def _subjects(notifications: Iterable[Notification]) -> dict[tuple[str, int], Any]:
    """The records the notifications are about, as they are now, by (kind, id)."""
    wanted: dict[str, set[int]] = {}
    for notification in notifications:
        wanted.setdefault(notification.subject_kind, set()).add(notification.subject_id)
    found: dict[tuple[str, int], Any] = {}
    for kind, ids in wanted.items():
        model: Any = MODELS.get(kind)
        if model is not None:
            records: Iterable[Any] = db.session.scalars(sa.select(model).where(model.id.in_(sorted(ids))))
            found.update(((kind, obj.id), obj) for obj in records)
    return found


def _still_assigned(obj: Any, user_id: int) -> bool:
    return obj.archived_at is None and obj.owner is not None and obj.owner.user_id == user_id


def from_notifications(notifications: list[Notification], today: date) -> list[Found]:
    """Entries for the notifications that still hold: the work is still the user's and not
    archived (a burst that gave it to someone else and back again says nothing), the round is
    still open. The title is the current one."""
    subjects = _subjects(notifications)
    found: list[Found] = []
    seen: set[tuple[str, int]] = set()
    for n in sorted(notifications, key=lambda n: n.id):
        obj = subjects.get((n.subject_kind, n.subject_id))
        if obj is None or n.trajectory_id is None or (n.subject_kind, n.subject_id) in seen:
            continue
        seen.add((n.subject_kind, n.subject_id))
        if isinstance(obj, EvaluationRound):
            if obj.closes_on >= today:
                found.append((n.trajectory_id, "rounds", _round_entry(obj)))
        elif _still_assigned(obj, n.user_id):
            found.append((n.trajectory_id, "assigned", _work_entry(obj, by=str(n.params.get("by", "")))))
    return found


def due_work(user_id: int, today: date) -> list[Found]:
    """The user's open items and actions that are overdue or due within two weeks."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    found: list[Found] = []
    for model, statuses in ((ChecklistItem, OPEN_ITEM_STATUSES), (Action, OPEN_ACTION_STATUSES)):
        records: Iterable[Any] = db.session.scalars(
            sa.select(model)
            .join(Membership, model.owner_id == Membership.id)
            .where(
                Membership.user_id == user_id,
                model.archived_at.is_(None),
                model.status.in_(statuses),
                model.due_date.is_not(None),
                model.due_date <= horizon,
            )
            .order_by(model.due_date, model.id)
        )
        for obj in records:
            section = "overdue" if obj.due_date < today else "due_soon"
            found.append((obj.trajectory_id, section, _work_entry(obj)))
    return found


def _work_entry(obj: ChecklistItem | Action, by: str = "") -> Entry:
    if isinstance(obj, ChecklistItem):
        link = absolute_url("phases.item", trajectory_id=obj.trajectory_id, item_id=obj.id)
        return Entry("item", obj.text, link, due=obj.due_date, by=by)
    link = absolute_url("actions.view", trajectory_id=obj.trajectory_id, action_id=obj.id)
    return Entry("action", obj.title, link, due=obj.due_date, by=by)


def _round_entry(evaluation_round: EvaluationRound) -> Entry:
    link = absolute_url(
        "evaluations.round_view",
        trajectory_id=evaluation_round.trajectory_id,
        round_id=evaluation_round.id,
    )
    return Entry("round", evaluation_round.name, link, closes=evaluation_round.closes_on)


def group(found: list[Found]) -> list[TrajectoryEntries]:
    """The entries per trajectory, trajectories by name; due work by date within each section."""
    ids = sorted({trajectory_id for trajectory_id, _section, _entry in found})
    if not ids:
        return []
    groups = {
        trajectory.id: TrajectoryEntries(
            trajectory.name, absolute_url("trajectories.detail", trajectory_id=trajectory.id)
        )
        for trajectory in db.session.scalars(sa.select(Trajectory).where(Trajectory.id.in_(ids)))
    }
    for trajectory_id, section, entry in found:
        if trajectory_id in groups:
            getattr(groups[trajectory_id], section).append(entry)
    return sorted(groups.values(), key=lambda g: g.name.casefold())


def settings_link() -> str:
    return absolute_url("notifications.settings")
