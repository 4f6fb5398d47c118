"""Progress per phase, for one trajectory or many: counts per status, overdue items and their
owners, the phase's planning (planned start and target date) and whether the phase is behind.
Everything is counted in SQL (GROUP BY) in a fixed number of queries, whatever the number of items
or trajectories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import ChecklistItem, ItemStatus, Membership, Phase, Section, User

OPEN_ITEM_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_BEHANDELING)
PHASE_NUMBERS = range(1, 5)


@dataclass
class PhaseProgress:
    number: int
    total: int = 0
    applicable: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    planned_start: date | None = None
    target_date: date | None = None
    today: date | None = None
    # Who owns the overdue items (names, sorted; items without owner are not named).
    overdue_owners: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0

    @property
    def state(self) -> str:
        """'not_started', 'in_progress' or 'done' (all applicable items done)."""
        if self.applicable and self.done == self.applicable:
            return "done"
        if self.done or self.in_progress:
            return "in_progress"
        return "not_started"

    @property
    def still_open(self) -> int:
        """Applicable items not done yet."""
        return self.applicable - self.done

    @property
    def past_target(self) -> bool:
        return self.target_date is not None and self.today is not None and self.target_date < self.today

    @property
    def behind(self) -> bool:
        """Achter: the target date has passed with applicable items still open, or items are overdue."""
        return (self.past_target and self.still_open > 0) or self.overdue > 0

    @property
    def planned(self) -> bool:
        return self.planned_start is not None or self.target_date is not None

    @property
    def expected_percent(self) -> int | None:
        """How far the phase should be by today if work went evenly over the planned period
        (None without both dates): the planned side of 'planned against actual'."""
        if self.planned_start is None or self.target_date is None or self.today is None:
            return None
        span = (self.target_date - self.planned_start).days
        if span <= 0:
            return 100 if self.today >= self.target_date else 0
        elapsed = (self.today - self.planned_start).days
        return max(0, min(100, round(100 * elapsed / span)))


@dataclass
class TrajectoryProgress:
    phases: dict[int, PhaseProgress] = field(default_factory=dict)

    def phase(self, number: int) -> PhaseProgress:
        return self.phases.setdefault(number, PhaseProgress(number))

    @property
    def behind(self) -> list[PhaseProgress]:
        """The phases that are behind, in order."""
        return [self.phases[n] for n in sorted(self.phases) if self.phases[n].behind]


def progress_for(trajectory_ids: list[int], today: date | None = None) -> dict[int, TrajectoryProgress]:
    """Phase progress for many trajectories in three aggregate queries."""
    today = today or date.today()
    result = {tid: TrajectoryProgress() for tid in trajectory_ids}
    if not trajectory_ids:
        return result
    for progress in result.values():
        for number in PHASE_NUMBERS:
            progress.phase(number).today = today
    overdue = sa.and_(ChecklistItem.due_date < today, ChecklistItem.status.in_(OPEN_ITEM_STATUSES))
    rows: Iterable[tuple[int, int, ItemStatus, int, int | None]] = db.session.execute(
        sa.select(
            ChecklistItem.trajectory_id,
            Phase.number,
            ChecklistItem.status,
            sa.func.count(),
            sa.func.sum(sa.case((overdue, 1), else_=0)),
        )
        .join(Section, ChecklistItem.section_id == Section.id)
        .join(Phase, Section.phase_id == Phase.id)
        .where(ChecklistItem.trajectory_id.in_(trajectory_ids), ChecklistItem.archived_at.is_(None))
        .group_by(ChecklistItem.trajectory_id, Phase.number, ChecklistItem.status)
    )
    for tid, number, status, count, late in rows:
        p = result[tid].phase(number)
        p.total += count
        p.overdue += int(late or 0)
        if status != ItemStatus.NVT:
            p.applicable += count
        if status == ItemStatus.AFGEROND:
            p.done += count
        elif status == ItemStatus.IN_BEHANDELING:
            p.in_progress += count
    plans = db.session.execute(
        sa.select(Phase.trajectory_id, Phase.number, Phase.planned_start, Phase.target_date).where(
            Phase.trajectory_id.in_(trajectory_ids)
        )
    )
    for tid, number, planned_start, target_date in plans:
        p = result[tid].phase(number)
        p.planned_start, p.target_date = planned_start, target_date
    owners = db.session.execute(
        sa.select(ChecklistItem.trajectory_id, Phase.number, User.name)
        .join(Section, ChecklistItem.section_id == Section.id)
        .join(Phase, Section.phase_id == Phase.id)
        .join(Membership, ChecklistItem.owner_id == Membership.id)
        .join(User, Membership.user_id == User.id)
        .where(ChecklistItem.trajectory_id.in_(trajectory_ids), ChecklistItem.archived_at.is_(None), overdue)
        .distinct()
        .order_by(User.name)
    )
    for tid, number, name in owners:
        result[tid].phase(number).overdue_owners.append(name)
    return result
