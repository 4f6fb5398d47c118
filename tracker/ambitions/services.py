"""Shared ambitions (at most three active per trajectory), their objectives, and the actions
working towards them. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.models import (
    MAX_ACTIVE_AMBITIONS,
    Action,
    Ambition,
    Membership,
    Objective,
    ResultKind,
    Trajectory,
)


class AmbitionError(ValueError):
    """A user-facing refusal; the value names the reason ('too_many')."""


@dataclass(frozen=True)
class AmbitionValues:
    title: str
    result_kind: ResultKind
    result: str  # the result for children and youth
    active: bool = True


def ambitions_of(trajectory: Trajectory) -> list[Ambition]:
    return list(
        db.session.scalars(
            sa.select(Ambition)
            .where(Ambition.trajectory_id == trajectory.id)
            .options(selectinload(Ambition.objectives))
            .order_by(Ambition.active.desc(), Ambition.id)
        )
    )


def save_ambition(trajectory: Trajectory, ambition: Ambition | None, values: AmbitionValues) -> Ambition:
    """Add or change an ambition; at most MAX_ACTIVE_AMBITIONS are active (AmbitionError 'too_many')."""
    if values.active and (ambition is None or not ambition.active):
        count = (
            db.session.scalar(
                sa.select(sa.func.count(Ambition.id)).where(
                    Ambition.trajectory_id == trajectory.id, Ambition.active.is_(True)
                )
            )
            or 0
        )
        if count >= MAX_ACTIVE_AMBITIONS:
            raise AmbitionError("too_many")
    ambition = ambition or Ambition(trajectory_id=trajectory.id)
    ambition.title = values.title
    ambition.result_kind = values.result_kind
    ambition.result = values.result
    ambition.active = values.active
    db.session.add(ambition)
    db.session.flush()
    return ambition


def add_objective(ambition: Ambition, text: str) -> Objective:
    objective = Objective(ambition=ambition, text=text)
    db.session.add(objective)
    db.session.flush()
    return objective


def actions_by_objective(trajectory: Trajectory) -> dict[int, list[Action]]:
    result: dict[int, list[Action]] = {}
    for action in db.session.scalars(
        sa.select(Action)
        .where(
            Action.trajectory_id == trajectory.id,
            Action.objective_id.is_not(None),
            Action.archived_at.is_(None),
        )
        .options(joinedload(Action.owner).joinedload(Membership.user))
        .order_by(Action.id)
    ):
        if action.objective_id is not None:  # always: the query asks for it
            result.setdefault(action.objective_id, []).append(action)
    return result
