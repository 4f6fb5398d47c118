"""Results of evaluation rounds: the cards per factor, layer and organisation, trends between
rounds, and the follow-up of red and orange cards."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionSource,
    Ballot,
    Color,
    EvaluationRound,
    Layer,
    Membership,
    Organisation,
    Trajectory,
    Vote,
)

SOURCE_RED_CARD = ActionSource.RED_CARD
MIN_GROUP_FOR_ANONYMOUS = 3
SCORES = {Color.GROEN: 2, Color.ORANJE: 1, Color.ROOD: 0}


@dataclass
class FactorResult:
    key: str
    title: str
    counts: Counter = field(default_factory=Counter)
    by_layer: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_organisation: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    comments: list[tuple[str | None, str]] = field(default_factory=list)
    trend: str | None = None  # "up", "down", "same" against the previous round
    action_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def score(self) -> float | None:
        return (
            (sum(SCORES[Color(c)] * n for c, n in self.counts.items()) / (2 * self.total))
            if self.total
            else None
        )

    @property
    def band(self) -> str:
        s = self.score
        if s is None:
            return "none"
        return "groen" if s >= 0.75 else ("oranje" if s >= 0.4 else "rood")

    @property
    def disagreement(self) -> bool:
        """Partners see it differently: both green and red cards, or organisations whose most
        common card differs."""
        if self.counts["groen"] and self.counts["rood"]:
            return True
        majorities = {c.most_common(1)[0][0] for c in self.by_organisation.values() if c}
        return len(majorities) > 1

    @property
    def needs_action(self) -> bool:
        return self.counts["rood"] > 0

    @property
    def attention(self) -> bool:
        return self.counts["rood"] > 0 or self.counts["oranje"] > 0


def _distribution(evaluation_round: EvaluationRound) -> sa.Select:
    """The cards of a round counted per factor, layer, organisation and colour (GROUP BY), each
    group in the order of its first ballot, so ties break as they did when counted one by one."""
    first = sa.func.min(Ballot.id)
    return (
        sa.select(Vote.factor, Ballot.layer, Ballot.organisation_id, Vote.color, sa.func.count())
        .join(Vote, Vote.ballot_id == Ballot.id)
        .where(Ballot.round_id == evaluation_round.id)
        .group_by(Vote.factor, Ballot.layer, Ballot.organisation_id, Vote.color)
        .order_by(first, sa.func.min(Vote.id))
    )


def results(evaluation_round: EvaluationRound, names: dict[int, str] | None = None) -> list[FactorResult]:
    """Per factor: the distribution overall, per layer and per organisation (counted by the
    database), and the comments. Comments carry the voter's name only in named rounds."""
    by_key = {f["key"]: FactorResult(f["key"], f["title"]) for f in evaluation_round.factors}
    counted: Iterable[tuple[str, str, int | None, Color, int]] = db.session.execute(
        _distribution(evaluation_round)
    )
    for factor, layer, organisation_id, vote_color, n in counted:
        result = by_key.get(factor)
        if result is None:
            continue
        color = vote_color.value
        result.counts[color] += n
        result.by_layer[layer][color] += n
        if organisation_id:
            result.by_organisation[organisation_id][color] += n
    comments = db.session.execute(
        sa.select(Ballot.membership_id, Ballot.voter_name, Vote.factor, Vote.comment)
        .join(Vote, Vote.ballot_id == Ballot.id)
        .where(Ballot.round_id == evaluation_round.id, Vote.comment != "")
        .order_by(Ballot.id, Vote.id)
    )
    for membership_id, voter_name, factor, comment in comments:
        result = by_key.get(factor)
        if result is None:
            continue
        name = (names or {}).get(membership_id) if membership_id is not None else None
        who = None if evaluation_round.anonymous else (name or voter_name or None)
        result.comments.append((who, comment))
    for result in by_key.values():
        for color in ("groen", "oranje", "rood"):
            result.counts.setdefault(color, 0)
    return list(by_key.values())


def shown_groups(evaluation_round: EvaluationRound) -> tuple[list[Layer], list[int]]:
    """The layers and organisations whose results are shown separately: all of them, except that
    in an anonymous round a group with fewer than ``MIN_GROUP_FOR_ANONYMOUS`` ballots is not.
    The ballots are counted by the database."""
    layers: Counter[str] = Counter(
        dict(
            db.session.execute(
                sa.select(Ballot.layer, sa.func.count())
                .where(Ballot.round_id == evaluation_round.id)
                .group_by(Ballot.layer)
            ).all()
        )
    )
    organisations: Iterable[tuple[int, int]] = db.session.execute(
        sa.select(Ballot.organisation_id, sa.func.count())
        .where(Ballot.round_id == evaluation_round.id, Ballot.organisation_id.is_not(None))
        .group_by(Ballot.organisation_id)
        .order_by(sa.func.min(Ballot.id))
    )
    enough = (lambda n: n >= MIN_GROUP_FOR_ANONYMOUS) if evaluation_round.anonymous else (lambda n: True)
    return (
        [layer for layer in Layer if enough(layers[layer.value])],
        [oid for oid, n in organisations if enough(n)],
    )


def with_trends(rounds: list[EvaluationRound]) -> list[tuple[EvaluationRound, list[FactorResult]]]:
    """Results of each round with an arrow per factor against the round before it."""
    series = []
    previous: dict[str, FactorResult] = {}
    for evaluation_round in rounds:
        current = results(evaluation_round)
        for result in current:
            before = previous.get(result.key)
            if before is not None and before.score is not None and result.score is not None:
                delta = result.score - before.score
                result.trend = "up" if delta > 0.05 else ("down" if delta < -0.05 else "same")
        previous.update({r.key: r for r in current if r.total})
        series.append((evaluation_round, current))
    return series


def follow_up(evaluation_round: EvaluationRound, factor_results: list[FactorResult]) -> list[FactorResult]:
    """Factors with red cards (actie nodig), then orange ones, by how many red and orange cards."""
    linked = db.session.execute(
        sa.select(Action.source_key, Action.id).where(
            Action.source_type == SOURCE_RED_CARD,
            Action.source_id == evaluation_round.id,
            Action.archived_at.is_(None),
        )
    )
    by_factor = defaultdict(list)
    for key, action_id in linked:
        by_factor[key].append(action_id)
    for result in factor_results:
        result.action_ids = by_factor.get(result.key, [])
    flagged = [r for r in factor_results if r.attention]
    return sorted(flagged, key=lambda r: (-r.counts["rood"], -r.counts["oranje"], r.title))


def open_follow_up_actions(trajectory: Trajectory, before: date | None = None) -> list[Action]:
    """Open actions that came from red cards of earlier rounds: each new round opens with them."""
    stmt = (
        sa.select(Action)
        .join(
            EvaluationRound,
            sa.and_(Action.source_type == SOURCE_RED_CARD, Action.source_id == EvaluationRound.id),
        )
        .where(
            Action.trajectory_id == trajectory.id,
            Action.archived_at.is_(None),
            Action.status.in_(OPEN_ACTION_STATUSES),
        )
        .options(joinedload(Action.owner).joinedload(Membership.user))
        .order_by(Action.due_date.is_(None), Action.due_date)
    )
    if before:
        stmt = stmt.where(EvaluationRound.opens_on < before)
    return list(db.session.scalars(stmt).unique())


def organisation_names(ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )
