"""Evaluation rounds a member votes in: who is asked, their ballot, casting it. Writes flush;
views commit. Whether a member may vote at all is :func:`tracker.access.may_vote`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Ballot, Color, EvaluationRound, Membership, Role, Trajectory, Vote

Cards = dict[str, tuple[Color, str]]  # per factor key: the card's colour and the comment


@dataclass(frozen=True)
class MyCard:
    """A member's card for one factor of a round, as the summary after voting shows it."""

    factor: dict[str, Any]
    color: Color | None
    comment: str = ""


def my_cards(evaluation_round: EvaluationRound, ballot: Ballot | None) -> list[MyCard]:
    """The member's cards in the order of the round's factors (none: no ballot yet)."""
    if ballot is None:
        return []
    votes = {v.factor: v for v in ballot.votes}
    return [
        MyCard(f, votes[f["key"]].color, votes[f["key"]].comment) if f["key"] in votes else MyCard(f, None)
        for f in evaluation_round.factors
    ]


def invited_members(evaluation_round: EvaluationRound, trajectory: Trajectory) -> list[Membership]:
    return [m for m in trajectory.memberships if m.role != Role.MEEKIJKER and evaluation_round.invites(m)]


def _ballot_query(evaluation_round: EvaluationRound, membership: Membership) -> sa.Select[Ballot]:
    return (
        sa.select(Ballot)
        .where(Ballot.round_id == evaluation_round.id, Ballot.membership_id == membership.id)
        .options(selectinload(Ballot.votes))
    )


def ballot_of(evaluation_round: EvaluationRound, membership: Membership) -> Ballot | None:
    return db.session.scalar(_ballot_query(evaluation_round, membership))


def cast_ballot(evaluation_round: EvaluationRound, membership: Membership, choices: Cards) -> Ballot:
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
        vote.color = color
        vote.comment = comment
        db.session.add(vote)
    ballot.layer, ballot.organisation_id = membership.layer.value, membership.organisation_id
    db.session.flush()
    db.session.expire(evaluation_round, ["ballots"])
    return ballot
