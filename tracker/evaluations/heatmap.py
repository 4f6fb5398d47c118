"""The evaluations page's lists: the rounds (paged) with their number of ballots, and the heatmap of
results over time: the last ``HEATMAP_ROUNDS`` closed rounds, older ones a page further. The cards
are counted by the database (one GROUP BY per round, factor and colour); no ballot or vote is
loaded, so the page costs the same after ten years of rounds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from tracker.content import default_framework, frameworks
from tracker.evaluations.results import FactorResult
from tracker.extensions import db
from tracker.models import Ballot, Color, EvaluationRound, EvaluationSchedule, Trajectory, Vote
from tracker.paging import Page, clamp, paginate, requested_page

HEATMAP_ROUNDS = 8


@dataclass(frozen=True)
class RoundColumn:
    """A closed round in the heatmap: its id and name, the rest is in its results."""

    id: int
    name: str


def rounds_page(trajectory: Trajectory) -> Page[EvaluationRound]:
    """The trajectory's rounds, newest first, a page at a time."""
    return paginate(
        sa.select(EvaluationRound)
        .where(EvaluationRound.trajectory_id == trajectory.id)
        .order_by(EvaluationRound.opens_on.desc(), EvaluationRound.id.desc()),
        arg="pagina_rondes",
        anchor="rounds-heading",
    )


def ballot_counts(round_ids: Iterable[int]) -> dict[int, int]:
    """The number of ballots per round, counted by the database."""
    ids = list(round_ids)
    if not ids:
        return {}
    rows: Iterable[tuple[int, int]] = db.session.execute(
        sa.select(Ballot.round_id, sa.func.count()).where(Ballot.round_id.in_(ids)).group_by(Ballot.round_id)
    )
    return {round_id: n for round_id, n in rows}


def _closed_with_ballots(trajectory: Trajectory, today: date) -> list[RoundColumn]:
    """Every round whose results are visible (closed) and that has ballots, oldest first."""
    rows: Iterable[tuple[int, str]] = db.session.execute(
        sa.select(EvaluationRound.id, EvaluationRound.name)
        .where(
            EvaluationRound.trajectory_id == trajectory.id,
            EvaluationRound.closes_on < today,
            EvaluationRound.id.in_(sa.select(Ballot.round_id)),
        )
        .order_by(EvaluationRound.opens_on, EvaluationRound.id)
    )
    return [RoundColumn(round_id, name) for round_id, name in rows]


def _counts(round_ids: list[int]) -> dict[int, dict[str, FactorResult]]:
    """The cards per round, factor and colour, in one GROUP BY query."""
    result: dict[int, dict[str, FactorResult]] = {round_id: {} for round_id in round_ids}
    if not round_ids:
        return result
    rows: Iterable[tuple[int, str, Color, int]] = db.session.execute(
        sa.select(Ballot.round_id, Vote.factor, Vote.color, sa.func.count())
        .join(Vote, Vote.ballot_id == Ballot.id)
        .where(Ballot.round_id.in_(round_ids))
        .group_by(Ballot.round_id, Vote.factor, Vote.color)
    )
    for round_id, factor, color, n in rows:
        factor_result = result[round_id].setdefault(factor, FactorResult(factor, factor))
        factor_result.counts[color.value] += n
    for factors in result.values():
        for factor_result in factors.values():
            for color_name in ("groen", "oranje", "rood"):
                factor_result.counts.setdefault(color_name, 0)
    return result


def _trend(before: FactorResult | None, now: FactorResult) -> str | None:
    if before is None or before.score is None or now.score is None:
        return None
    delta = now.score - before.score
    return "up" if delta > 0.05 else ("down" if delta < -0.05 else "same")


def heatmap(trajectory: Trajectory, today: date) -> Page[tuple[RoundColumn, list[FactorResult]]]:
    """One page of the heatmap: page 1 the last ``HEATMAP_ROUNDS`` closed rounds, page 2 the ones
    before, ...; each round's columns oldest first, each factor with its arrow against the last
    earlier round that had cards for it (also when that round is on another page)."""
    columns = _closed_with_ballots(trajectory, today)
    counts = _counts([c.id for c in columns])
    series: list[tuple[RoundColumn, list[FactorResult]]] = []
    previous: dict[str, FactorResult] = {}
    for column in columns:
        current = list(counts[column.id].values())
        for factor_result in current:
            factor_result.trend = _trend(previous.get(factor_result.key), factor_result)
        previous.update({r.key: r for r in current if r.total})
        series.append((column, current))
    number = clamp(requested_page("pagina_heatmap"), len(series), HEATMAP_ROUNDS)
    end = len(series) - (number - 1) * HEATMAP_ROUNDS
    shown = series[max(0, end - HEATMAP_ROUNDS) : end]
    return Page(shown, number, HEATMAP_ROUNDS, len(series), "pagina_heatmap", "heatmap-heading")


def factors_shown(schedule: EvaluationSchedule | None, trajectory: Trajectory) -> list[dict]:
    """The heatmap's rows: the schedule's framework, else the latest round's factors."""
    if schedule:
        return frameworks()[schedule.framework]["factors"]
    latest = db.session.scalar(
        sa.select(EvaluationRound)
        .where(EvaluationRound.trajectory_id == trajectory.id)
        .order_by(EvaluationRound.opens_on.desc(), EvaluationRound.id.desc())
        .limit(1)
    )
    return latest.factors if latest else frameworks()[default_framework()]["factors"]


__all__ = ["HEATMAP_ROUNDS", "ballot_counts", "factors_shown", "heatmap", "rounds_page"]
