"""Evaluation rounds, and their results once closed: the same rule (``results_visible``) and the
same result services as the pages, so anonymous rounds never name voters and small groups of an
anonymous round are not shown apart."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker.access import get_in_trajectory_or_404, results_visible, rule
from tracker.api.core import bp, page, record
from tracker.api.openapi import operation
from tracker.api.schemas import RoundDetailSchema, RoundSchema
from tracker.evaluations import results
from tracker.models import EvaluationRound, Trajectory

LIST = RoundSchema()
DETAIL = RoundDetailSchema()


def _summary(evaluation_round: EvaluationRound, today: date) -> dict[str, Any]:
    body = {key: getattr(evaluation_round, key) for key in RoundSchema().fields if key != "state"}
    body["state"] = evaluation_round.state(today).value
    return body


@bp.route("/v1/trajectories/<id:trajectory_id>/rounds")
@operation("The trajectory's evaluation rounds", response=RoundSchema, paged=True, tag="evaluations")
@rule()
def rounds(trajectory: Trajectory):
    today = date.today()
    stmt = sa.select(EvaluationRound).where(EvaluationRound.trajectory_id == trajectory.id)
    return page(stmt, EvaluationRound, lambda r: LIST.dump(_summary(r, today)))


def _results(evaluation_round: EvaluationRound, trajectory: Trajectory) -> list[dict[str, Any]]:
    names = {m.id: m.user.name for m in trajectory.memberships}
    shown_layers, shown_orgs = results.shown_groups(evaluation_round)
    org_names = results.organisation_names(shown_orgs)
    return [
        {
            "key": r.key,
            "title": r.title,
            "counts": r.counts,
            "score": r.score,
            "band": r.band,
            "disagreement": r.disagreement,
            "by_layer": [{"group": layer.value, **r.by_layer[layer.value]} for layer in shown_layers],
            "by_organisation": [{"group": org_names.get(o, ""), **r.by_organisation[o]} for o in shown_orgs],
            "comments": [{"who": who, "text": text} for who, text in r.comments],
        }
        for r in results.results(evaluation_round, names)
    ]


@bp.route("/v1/trajectories/<id:trajectory_id>/rounds/<id:round_id>")
@operation(
    "An evaluation round, with its results once it has closed", response=RoundDetailSchema, tag="evaluations"
)
@rule()
def evaluation_round(trajectory: Trajectory, round_id: int):
    found = get_in_trajectory_or_404(EvaluationRound, trajectory, round_id)
    body = _summary(found, date.today())
    body["results"] = _results(found, trajectory) if results_visible(found) else None
    return record(found, DETAIL.dump(body))
