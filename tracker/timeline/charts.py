"""The data of the three charts, each counted in SQL (GROUP BY) in a fixed number of queries:

- checklist progress per phase, week by week: today's share of done items, walked back through the
  audit trail's status changes to and from 'afgerond' (so the last point is always today's figure);
- actions opened and finished per month: ``Action.created_at``, and the audit trail's status
  changes to 'gereed';
- each success factor's green / orange / red share in the last closed evaluation rounds (results are
  only shown once a round has closed, :func:`tracker.access.results_visible`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Ballot,
    ChecklistItem,
    Color,
    EvaluationRound,
    ItemStatus,
    Phase,
    Section,
    Trajectory,
    Vote,
)
from tracker.trajectories.progress import TrajectoryProgress

WEEKS = 26
MONTHS = 12
ROUNDS = 6
COLORS = (Color.GROEN, Color.ORANJE, Color.ROOD)


def _status_change(entity: str, status: str):
    """+1 when an audited record of ``entity`` got ``status``, -1 when it lost it, else 0."""
    old = AuditEvent.changes[("status", 0)].as_string()
    new = AuditEvent.changes[("status", 1)].as_string()
    delta = sa.case((new == status, 1), (old == status, -1), else_=0)
    relevant = sa.and_(AuditEvent.entity == entity, sa.or_(new == status, old == status))
    return delta, relevant


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass
class PhaseSeries:
    number: int
    percents: list[int]  # one per week in ChecklistHistory.weeks

    @property
    def last(self) -> int:
        return self.percents[-1] if self.percents else 0


@dataclass
class ChecklistHistory:
    weeks: list[date]  # the last day of each week; the last one is today
    phases: list[PhaseSeries]


def checklist_history(trajectory: Trajectory, progress: TrajectoryProgress, today: date) -> ChecklistHistory:
    weeks = [today - timedelta(days=7 * k) for k in range(WEEKS - 1, -1, -1)]
    delta, relevant = _status_change("ChecklistItem", ItemStatus.AFGEROND.value)
    day = sa.func.date(AuditEvent.at, type_=sa.Date)
    rows = db.session.execute(
        sa.select(Phase.number, day, sa.func.sum(delta))
        .select_from(AuditEvent)
        .join(ChecklistItem, ChecklistItem.id == AuditEvent.entity_id)
        .join(Section, ChecklistItem.section_id == Section.id)
        .join(Phase, Section.phase_id == Phase.id)
        .where(
            AuditEvent.trajectory_id == trajectory.id,
            relevant,
            AuditEvent.at >= _start_of(weeks[0] + timedelta(days=1)),
        )
        .group_by(Phase.number, day)
    ).all()
    changes: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for number, on, net in cast(list[tuple[int, Any, Any]], rows):
        day_of = on if isinstance(on, date) else date.fromisoformat(str(on))
        changes[number].append((day_of, int(net or 0)))
    series = []
    for number in range(1, 5):
        p = progress.phase(number)
        percents = []
        for week_end in weeks:
            later = sum(net for on, net in changes[number] if on > week_end)
            done = p.done - later
            percents.append(max(0, min(100, round(100 * done / p.applicable))) if p.applicable else 0)
        series.append(PhaseSeries(number, percents))
    return ChecklistHistory(weeks, series)


@dataclass
class MonthCount:
    month: date  # the first of the month
    opened: int = 0
    finished: int = 0


def actions_per_month(trajectory: Trajectory, today: date) -> list[MonthCount]:
    firsts = []
    year, month = today.year, today.month
    for _i in range(MONTHS):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    by_month = {(d.year, d.month): MonthCount(d) for d in reversed(firsts)}
    since = _start_of(firsts[-1])
    opened = db.session.execute(
        sa.select(
            sa.extract("year", Action.created_at), sa.extract("month", Action.created_at), sa.func.count()
        )
        .where(Action.trajectory_id == trajectory.id, Action.created_at >= since)
        .group_by(sa.extract("year", Action.created_at), sa.extract("month", Action.created_at))
    )
    for y, m, n in opened:
        if (int(y), int(m)) in by_month:
            by_month[int(y), int(m)].opened = n
    new = AuditEvent.changes[("status", 1)].as_string()
    year_of, month_of = sa.extract("year", AuditEvent.at), sa.extract("month", AuditEvent.at)
    finished = db.session.execute(
        sa.select(year_of, month_of, sa.func.count(sa.distinct(AuditEvent.entity_id)))
        .where(
            AuditEvent.trajectory_id == trajectory.id,
            AuditEvent.entity == "Action",
            new == ActionStatus.GEREED.value,
            AuditEvent.at >= since,
        )
        .group_by(year_of, month_of)
    )
    for y, m, n in finished:
        if (int(y), int(m)) in by_month:
            by_month[int(y), int(m)].finished = n
    return list(by_month.values())


@dataclass
class Share:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def percent(self, color: str) -> int:
        return round(100 * self.counts.get(color, 0) / self.total) if self.total else 0


@dataclass
class FactorSeries:
    key: str
    title: str
    shares: list[Share]  # one per round in FactorShares.rounds


@dataclass
class FactorShares:
    rounds: list[tuple[str, date]]  # name and opening date, oldest first
    factors: list[FactorSeries]


def factor_shares(trajectory: Trajectory, today: date) -> FactorShares:
    rounds = db.session.execute(
        sa.select(EvaluationRound.id, EvaluationRound.name, EvaluationRound.opens_on, EvaluationRound.factors)
        .where(EvaluationRound.trajectory_id == trajectory.id, EvaluationRound.closes_on < today)
        .order_by(EvaluationRound.opens_on.desc())
        .limit(ROUNDS)
    ).all()[::-1]
    ids = [r.id for r in rounds]
    titles: dict[str, str] = {}
    for r in rounds:
        for factor in r.factors or []:
            titles.setdefault(str(factor.get("key")), str(factor.get("title", factor.get("key"))))
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    if ids:
        rows = db.session.execute(
            sa.select(Ballot.round_id, Vote.factor, Vote.color, sa.func.count())
            .join(Vote, Vote.ballot_id == Ballot.id)
            .where(Ballot.round_id.in_(ids))
            .group_by(Ballot.round_id, Vote.factor, Vote.color)
        )
        for round_id, factor, color, n in rows:
            counts[round_id, factor][Color(color).value] = n
    factors = [
        FactorSeries(key, title, [Share(dict(counts.get((rid, key), {}))) for rid in ids])
        for key, title in titles.items()
    ]
    return FactorShares([(r.name, r.opens_on) for r in rounds], factors)
