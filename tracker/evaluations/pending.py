"""The rounds a member still has to vote in: open today, asking the member's layer, and without
the member's ballot. One function for the overview, the trajectory page and "my work"; a bounded
number of queries whatever the number of trajectories and rounds."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.access import EDITOR_ROLES, may_vote
from tracker.evaluations.schedules import current_planned
from tracker.extensions import db
from tracker.models import (
    Ballot,
    EvaluationRound,
    EvaluationSchedule,
    Membership,
    RoundState,
    Trajectory,
    User,
)


@dataclass(frozen=True)
class PendingVote:
    """An open round without the member's cards; ``round_id`` is None while the schedule's round
    is not stored yet (its ballot is then reached by the date it opens)."""

    trajectory: Trajectory
    name: str
    opens_on: date
    closes_on: date
    round_id: int | None = None


def _memberships(user: User, trajectory_ids: Collection[int] | None) -> dict[int, Membership]:
    """The user's voting memberships (observers never vote), by trajectory."""
    stmt = (
        sa.select(Membership)
        .where(Membership.user_id == user.id, Membership.role.in_(list(EDITOR_ROLES)))
        .options(joinedload(Membership.trajectory))
    )
    if trajectory_ids is not None:
        stmt = stmt.where(Membership.trajectory_id.in_(trajectory_ids))
    return {m.trajectory_id: m for m in db.session.scalars(stmt)}


def rounds_to_vote(
    user: User, today: date, trajectory_ids: Collection[int] | None = None
) -> list[PendingVote]:
    """The open rounds in which the user is asked and has not voted yet, in the given trajectories
    (None: all of the user's), the soonest to close first."""
    if trajectory_ids is not None and not trajectory_ids:
        return []
    mine = _memberships(user, trajectory_ids)
    if not mine:
        return []
    stored = list(
        db.session.scalars(
            sa.select(EvaluationRound).where(
                EvaluationRound.trajectory_id.in_(mine),
                EvaluationRound.opens_on <= today,
                EvaluationRound.closes_on >= today,
            )
        )
    )
    voted = set(
        db.session.scalars(
            sa.select(Ballot.round_id).where(
                Ballot.round_id.in_([r.id for r in stored]),
                Ballot.membership_id.in_([m.id for m in mine.values()]),
            )
        )
        if stored
        else []
    )
    pending = [
        PendingVote(mine[r.trajectory_id].trajectory, r.name, r.opens_on, r.closes_on, r.id)
        for r in stored
        if r.id not in voted and may_vote(mine[r.trajectory_id], r.layers)
    ]
    stored_dates = {(r.trajectory_id, r.opens_on) for r in stored}
    for schedule in db.session.scalars(
        sa.select(EvaluationSchedule).where(
            EvaluationSchedule.trajectory_id.in_(mine), EvaluationSchedule.active.is_(True)
        )
    ):
        planned = current_planned(schedule, today)
        if (
            planned is not None
            and planned.state(today) == RoundState.OPEN
            and (schedule.trajectory_id, planned.opens_on) not in stored_dates
            and may_vote(mine[schedule.trajectory_id], schedule.layers)
        ):
            trajectory = mine[schedule.trajectory_id].trajectory
            pending.append(PendingVote(trajectory, planned.name, planned.opens_on, planned.closes_on))
    return sorted(pending, key=lambda p: (p.closes_on, p.trajectory.name, p.name))
