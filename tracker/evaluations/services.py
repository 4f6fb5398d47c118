"""Evaluation schedules, rounds, ballots, results and follow-up. Writes flush; views commit."""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from babel import dates as babel_dates
from flask import current_app, has_app_context
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from tracker.content import default_framework, frameworks
from tracker.extensions import db
from tracker.models import (
    CADENCE_MONTHS,
    OPEN_ACTION_STATUSES,
    Action,
    ActionSource,
    Ballot,
    Cadence,
    Color,
    EvaluationRound,
    EvaluationSchedule,
    Layer,
    Membership,
    Organisation,
    Role,
    RoundState,
    Trajectory,
    Vote,
)
from tracker.models.evaluation import round_state

SOURCE_RED_CARD = ActionSource.RED_CARD
MIN_GROUP_FOR_ANONYMOUS = 3
SCORES = {Color.GROEN: 2, Color.ORANJE: 1, Color.ROOD: 0}


class ScheduleError(ValueError):
    pass


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def period_name(d: date, cadence: Cadence) -> str:
    """The name of a scheduled round ("2027 K1", "maart 2027"). A name is data: it is made in the
    installation's default language, so a round keeps one name from planned to stored, whoever
    looks at it; quarter and month names come from the locale data (CLDR)."""
    locale = (current_app.config.get("BABEL_DEFAULT_LOCALE") if has_app_context() else None) or "nl"
    if cadence == Cadence.KWARTAAL:
        return babel_dates.format_date(d, "y QQQ", locale=locale)
    if cadence == Cadence.HALFJAAR:
        return f"{d.year} H{(d.month - 1) // 6 + 1}"
    if cadence == Cadence.JAAR:
        return str(d.year)
    return babel_dates.format_date(d, "LLLL y", locale=locale)


def validate_schedule(cadence: Cadence, open_days: int, remind_days: int) -> str | None:
    """Why this schedule is refused (rounds would overlap), or None."""
    shortest = {Cadence.MAAND: 28, Cadence.KWARTAAL: 89, Cadence.HALFJAAR: 181, Cadence.JAAR: 365}[cadence]
    if open_days < 1:
        return "open_days_min"
    if open_days >= shortest:
        return "overlap"
    if remind_days >= open_days:
        return "remind"
    return None


@dataclass
class PlannedRound:
    """A round as the schedule defines it; ``round`` is the stored row once it exists."""

    name: str
    opens_on: date
    closes_on: date
    remind_on: date | None
    round: EvaluationRound | None = None

    def state(self, today: date) -> RoundState:
        return round_state(self.opens_on, self.closes_on, today)


def planned_rounds(schedule: EvaluationSchedule, until: date) -> list[PlannedRound]:
    rounds: list[PlannedRound] = []
    k = 0
    months = CADENCE_MONTHS[schedule.cadence]
    while True:
        opens = add_months(schedule.first_date, k * months)
        if opens > until:
            return rounds
        closes = opens + timedelta(days=schedule.open_days - 1)
        remind = closes - timedelta(days=schedule.remind_days_before) if schedule.remind_days_before else None
        rounds.append(PlannedRound(period_name(opens, schedule.cadence), opens, closes, remind))
        k += 1
        if k > 1200:  # a hundred years of monthly rounds: a guard, not a limit anyone meets
            return rounds


def current_planned(schedule: EvaluationSchedule, today: date) -> PlannedRound | None:
    """The open round of the schedule today, else the next one; derived from the dates alone."""
    rounds = planned_rounds(schedule, add_months(today, CADENCE_MONTHS[schedule.cadence] + 1))
    for planned in rounds:
        if planned.closes_on >= today:
            return planned
    return None


def materialise(schedule: EvaluationSchedule, planned: PlannedRound) -> EvaluationRound:
    """The stored round for a planned one (created when first needed; safe under concurrency)."""
    existing = db.session.scalar(
        sa.select(EvaluationRound).where(
            EvaluationRound.trajectory_id == schedule.trajectory_id,
            EvaluationRound.opens_on == planned.opens_on,
        )
    )
    if existing:
        return existing
    framework = frameworks()[schedule.framework]
    evaluation_round = EvaluationRound(
        trajectory_id=schedule.trajectory_id,
        schedule_id=schedule.id,
        name=planned.name,
        framework=schedule.framework,
        factors=_factor_snapshot(framework),
        opens_on=planned.opens_on,
        closes_on=planned.closes_on,
        remind_on=planned.remind_on,
        layers=schedule.layers,
        anonymous=schedule.anonymous,
    )
    try:
        with db.session.begin_nested():
            db.session.add(evaluation_round)
    except IntegrityError:  # stored at the same moment by another request: that round
        return db.session.scalars(
            sa.select(EvaluationRound).where(
                EvaluationRound.trajectory_id == schedule.trajectory_id,
                EvaluationRound.opens_on == planned.opens_on,
            )
        ).one()
    return evaluation_round


def _factor_snapshot(framework: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": f["key"], "title": f["title"], "questions": list(f["questions"])}
        for f in framework["factors"]
    ]


def open_manual_round(trajectory: Trajectory, today: date) -> EvaluationRound:
    schedule = schedule_of(trajectory)
    framework_key = schedule.framework if schedule else default_framework()
    open_days = schedule.open_days if schedule else 14
    closes = today + timedelta(days=open_days - 1)
    overlapping = db.session.scalar(
        sa.select(EvaluationRound.id).where(
            EvaluationRound.trajectory_id == trajectory.id,
            EvaluationRound.opens_on <= closes,
            EvaluationRound.closes_on >= today,
        )
    )
    if overlapping or (schedule and _planned_overlap(schedule, today, closes)):
        raise ScheduleError("overlap")
    evaluation_round = EvaluationRound(
        trajectory_id=trajectory.id,
        schedule_id=None,
        name=_("Extra round %(date)s", date=format_date(today, "short")),
        framework=framework_key,
        factors=_factor_snapshot(frameworks()[framework_key]),
        opens_on=today,
        closes_on=closes,
        remind_on=closes - timedelta(days=schedule.remind_days_before) if schedule else None,
        layers=schedule.layers if schedule else "",
        anonymous=schedule.anonymous if schedule else False,
    )
    db.session.add(evaluation_round)
    db.session.flush()
    return evaluation_round


def _planned_overlap(schedule: EvaluationSchedule, start: date, end: date) -> bool:
    return any(p.opens_on <= end and p.closes_on >= start for p in planned_rounds(schedule, end))


def schedule_of(trajectory: Trajectory) -> EvaluationSchedule | None:
    return db.session.scalar(
        sa.select(EvaluationSchedule).where(EvaluationSchedule.trajectory_id == trajectory.id)
    )


def save_schedule(trajectory: Trajectory, data: dict) -> EvaluationSchedule:
    schedule = schedule_of(trajectory) or EvaluationSchedule(trajectory_id=trajectory.id)
    schedule.framework = data["framework"]
    schedule.cadence = Cadence(data["cadence"])
    schedule.first_date = data["first_date"]
    schedule.open_days = data["open_days"]
    schedule.remind_days_before = data["remind_days_before"]
    schedule.layers = ",".join(data.get("layers") or [])
    schedule.anonymous = bool(data.get("anonymous"))
    schedule.active = True
    db.session.add(schedule)
    db.session.flush()
    return schedule


# --- rounds a user sees ---------------------------------------------------------------------


def rounds_of(trajectory: Trajectory) -> list[EvaluationRound]:
    return list(
        db.session.scalars(
            sa.select(EvaluationRound)
            .where(EvaluationRound.trajectory_id == trajectory.id)
            .options(selectinload(EvaluationRound.ballots).selectinload(Ballot.votes))
            .order_by(EvaluationRound.opens_on)
        )
    )


def invited_members(evaluation_round: EvaluationRound, trajectory: Trajectory) -> list[Membership]:
    return [m for m in trajectory.memberships if m.role != Role.MEEKIJKER and evaluation_round.invites(m)]


def may_vote(
    membership: Membership | None,
    evaluation_round: EvaluationRound | PlannedRound,
    schedule: EvaluationSchedule | None = None,
) -> bool:
    if membership is None or membership.role == Role.MEEKIJKER:
        return False
    layers = (
        evaluation_round.layers
        if isinstance(evaluation_round, EvaluationRound)
        else (schedule.layers if schedule else "")
    )
    allowed = [x for x in layers.split(",") if x]
    return not allowed or membership.layer.value in allowed


def _ballot_query(evaluation_round: EvaluationRound, membership: Membership) -> sa.Select[Ballot]:
    return (
        sa.select(Ballot)
        .where(Ballot.round_id == evaluation_round.id, Ballot.membership_id == membership.id)
        .options(selectinload(Ballot.votes))
    )


def ballot_of(evaluation_round: EvaluationRound, membership: Membership) -> Ballot | None:
    return db.session.scalar(_ballot_query(evaluation_round, membership))


def cast_ballot(
    evaluation_round: EvaluationRound, membership: Membership, choices: dict[str, tuple[str, str]]
) -> Ballot:
    """Store the member's cards (one ballot per member per round; voting again replaces it)."""
    ballot = ballot_of(evaluation_round, membership)
    if ballot is None:
        ballot = Ballot(
            round_id=evaluation_round.id,
            membership_id=membership.id,
            layer=membership.layer.value,
            organisation_id=membership.organisation_id,
        )
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
        except IntegrityError:  # a second tab voted at the same moment: use that ballot
            ballot = db.session.scalars(_ballot_query(evaluation_round, membership)).one()
    existing = {v.factor: v for v in ballot.votes}
    for factor, (color, comment) in choices.items():
        vote = existing.get(factor) or Vote(ballot=ballot, factor=factor)
        vote.color = Color(color)
        vote.comment = comment
        db.session.add(vote)
    ballot.layer, ballot.organisation_id = membership.layer.value, membership.organisation_id
    db.session.flush()
    db.session.expire(evaluation_round, ["ballots"])
    return ballot


# --- results --------------------------------------------------------------------------------


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


def results(evaluation_round: EvaluationRound, names: dict[int, str] | None = None) -> list[FactorResult]:
    """Per factor: the distribution overall, per layer and per organisation, and the comments.
    Comments carry the voter's name only in named rounds."""
    by_key = {f["key"]: FactorResult(f["key"], f["title"]) for f in evaluation_round.factors}
    rows = db.session.execute(  # every vote of the round in one query
        sa.select(
            Ballot.layer,
            Ballot.organisation_id,
            Ballot.membership_id,
            Ballot.voter_name,
            Vote.factor,
            Vote.color,
            Vote.comment,
        )
        .join(Vote, Vote.ballot_id == Ballot.id)
        .where(Ballot.round_id == evaluation_round.id)
        .order_by(Ballot.id, Vote.id)
    )
    for layer, organisation_id, membership_id, voter_name, factor, vote_color, comment in rows:
        result = by_key.get(factor)
        if result is None:
            continue
        color = vote_color.value
        result.counts[color] += 1
        result.by_layer[layer][color] += 1
        if organisation_id:
            result.by_organisation[organisation_id][color] += 1
        if comment:
            name = (names or {}).get(membership_id) if membership_id is not None else None
            who = None if evaluation_round.anonymous else (name or voter_name or None)
            result.comments.append((who, comment))
    for result in by_key.values():
        for color in ("groen", "oranje", "rood"):
            result.counts.setdefault(color, 0)
    return list(by_key.values())


def shown_groups(evaluation_round: EvaluationRound) -> tuple[list[Layer], list[int]]:
    """The layers and organisations whose results are shown separately: all of them, except that
    in an anonymous round a group with fewer than ``MIN_GROUP_FOR_ANONYMOUS`` ballots is not."""
    layers: Counter[str] = Counter()
    organisations: Counter[int] = Counter()
    for ballot in evaluation_round.ballots:
        layers[ballot.layer] += 1
        if ballot.organisation_id:
            organisations[ballot.organisation_id] += 1
    enough = (lambda n: n >= MIN_GROUP_FOR_ANONYMOUS) if evaluation_round.anonymous else (lambda n: True)
    return (
        [layer for layer in Layer if enough(layers[layer.value])],
        [oid for oid, n in organisations.items() if enough(n)],
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


def next_rounds(trajectory_ids: list[int], today: date) -> dict[int, PlannedRound]:
    """The open or next evaluation round per trajectory (from the schedules), for the overview."""
    result = {}
    for schedule in db.session.scalars(
        sa.select(EvaluationSchedule).where(
            EvaluationSchedule.trajectory_id.in_(trajectory_ids), EvaluationSchedule.active.is_(True)
        )
    ):
        planned = current_planned(schedule, today)
        if planned:
            result[schedule.trajectory_id] = planned
    return result
