"""The data of the 'Stand van zaken' report, built once for the HTML page and the PDF: the phases
with progress, planning and decisions; the timeline; what is behind per layer and owner; the latest
closed evaluation round with its trends and red cards; the shared ambitions. A fixed number of
queries, whatever the number of items, actions, milestones or rounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from tracker.ambitions.services import ambitions_of
from tracker.behind import query
from tracker.behind import services as behind
from tracker.behind.entries import EntryKind, LayerGroup, counts, grouped
from tracker.evaluations.results import FactorResult, follow_up, with_trends
from tracker.extensions import db
from tracker.models import Ambition, Decision, EvaluationRound, Layer, Phase, Trajectory
from tracker.report.timeline import Event, timeline
from tracker.trajectories.progress import PhaseProgress, progress_for


@dataclass
class PhaseRow:
    number: int
    title: str
    progress: PhaseProgress
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Evaluation:
    """The latest closed round, each factor with its trend against the round before it, and the
    factors with red cards (``open`` when no action follows them up yet)."""

    round: EvaluationRound
    previous: EvaluationRound | None
    factors: list[FactorResult]

    @property
    def red(self) -> list[FactorResult]:
        return [f for f in self.factors if f.counts["rood"]]

    @property
    def open_red(self) -> list[FactorResult]:
        return [f for f in self.red if not f.action_ids]


@dataclass
class ReportData:
    trajectory: Trajectory
    layer: Layer | None
    today: date
    phases: list[PhaseRow]
    timeline: list[Event]
    behind: list[LayerGroup]
    behind_counts: list[tuple[EntryKind, int]]
    evaluation: Evaluation | None
    ambitions: list[Ambition]


# Which phase a decision belongs to.
DECISION_PHASE = {"fase1": 1, "fase4": 4}


def _phases(trajectory: Trajectory, today: date) -> list[PhaseRow]:
    progress = progress_for([trajectory.id], today)[trajectory.id]
    titles = dict(
        db.session.execute(
            sa.select(Phase.number, Phase.title).where(Phase.trajectory_id == trajectory.id)
        ).all()
    )
    rows = {n: PhaseRow(n, titles.get(n, ""), progress.phase(n)) for n in sorted(progress.phases)}
    decisions = db.session.scalars(
        sa.select(Decision)
        .where(Decision.trajectory_id == trajectory.id)
        .order_by(Decision.decided_on, Decision.id)
    )
    for decision in decisions:
        number = DECISION_PHASE.get(decision.kind.value)
        if number in rows:
            rows[number].decisions.append(decision)
    return list(rows.values())


def _evaluation(trajectory: Trajectory, today: date) -> Evaluation | None:
    """The two latest closed rounds (two rows at most), their results with trends, and the
    actions that follow up the latest one's cards."""
    closed = list(
        db.session.scalars(
            sa.select(EvaluationRound)
            .where(EvaluationRound.trajectory_id == trajectory.id, EvaluationRound.closes_on < today)
            .order_by(EvaluationRound.closes_on.desc(), EvaluationRound.id.desc())
            .limit(2)
        )
    )
    if not closed:
        return None
    series = with_trends(list(reversed(closed)))
    latest, factors = series[-1]
    follow_up(latest, factors)
    return Evaluation(latest, closed[1] if len(closed) > 1 else None, factors)


def report_data(trajectory: Trajectory, layer: Layer | None = None, today: date | None = None) -> ReportData:
    """Everything the report shows; with a layer, what is behind is that layer's only."""
    today = today or date.today()
    # Red cards without an action are in the evaluation section, not among what is behind.
    # The report shows every entry (it is not paged), so it builds them all: one query.
    entries = behind.behind([trajectory.id], today, kinds=(query.items, query.actions, query.milestones))
    if layer is not None:
        entries = [e for e in entries if e.layer == layer]
    return ReportData(
        trajectory=trajectory,
        layer=layer,
        today=today,
        phases=_phases(trajectory, today),
        timeline=timeline(trajectory, today),
        behind=grouped(entries),
        behind_counts=counts(entries),
        evaluation=_evaluation(trajectory, today),
        ambitions=[a for a in ambitions_of(trajectory) if a.active],
    )
