"""'Wat loopt achter': what is behind in one trajectory or across all a user may see: overdue
checklist items, overdue or blocked actions, milestones at risk or late, and success factors with a
red card in the latest closed evaluation round that no action follows up. Grouped by layer and
owner; each entry links to the record. A fixed number of queries, whatever the number of records;
the trajectories are limited in SQL (a list of ids, or the viewable-trajectories subquery)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload, selectinload

from tracker.behind.entries import Entry, EntryKind
from tracker.extensions import db
from tracker.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionSource,
    ActionStatus,
    Ballot,
    ChecklistItem,
    Color,
    EvaluationRound,
    Membership,
    Milestone,
    MilestoneState,
    Plan,
    Trajectory,
    User,
    Vote,
)
from tracker.trajectories.progress import OPEN_ITEM_STATUSES

Trajectories = list[int] | sa.Select


def _names(trajectories: Trajectories) -> dict[int, str]:
    return dict(
        db.session.execute(
            sa.select(Trajectory.id, Trajectory.name).where(Trajectory.id.in_(trajectories))
        ).all()
    )


def overdue_items(trajectories: Trajectories, today: date, names: dict[int, str]) -> list[Entry]:
    """Open items past their due date; their layer is the accountable layer, else the owner's."""
    rows = db.session.execute(
        sa.select(
            ChecklistItem.id,
            ChecklistItem.trajectory_id,
            ChecklistItem.text,
            ChecklistItem.is_custom,
            ChecklistItem.due_date,
            ChecklistItem.accountable_layer,
            Membership.layer,
            User.name,
        )
        .outerjoin(Membership, ChecklistItem.owner_id == Membership.id)
        .outerjoin(User, Membership.user_id == User.id)
        .where(
            ChecklistItem.trajectory_id.in_(trajectories),
            ChecklistItem.archived_at.is_(None),
            ChecklistItem.status.in_(OPEN_ITEM_STATUSES),
            ChecklistItem.due_date < today,
        )
    )
    return [
        Entry(
            EntryKind.ITEM_OVERDUE,
            text,
            url_for("phases.item", trajectory_id=tid, item_id=item_id),
            tid,
            names.get(tid, ""),
            accountable or owner_layer,
            owner,
            due,
            dutch=not custom,
        )
        for item_id, tid, text, custom, due, accountable, owner_layer, owner in rows
    ]


def late_actions(trajectories: Trajectories, today: date, names: dict[int, str]) -> list[Entry]:
    """Open actions past their due date, and blocked actions."""
    overdue = sa.and_(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_date < today)
    rows = db.session.execute(
        sa.select(
            Action.id,
            Action.trajectory_id,
            Action.title,
            Action.due_date,
            Action.status,
            Membership.layer,
            User.name,
        )
        .outerjoin(Membership, Action.owner_id == Membership.id)
        .outerjoin(User, Membership.user_id == User.id)
        .where(
            Action.trajectory_id.in_(trajectories),
            Action.archived_at.is_(None),
            sa.or_(overdue, Action.status == ActionStatus.GEBLOKKEERD),
        )
    )
    return [
        Entry(
            EntryKind.ACTION_BLOCKED if status == ActionStatus.GEBLOKKEERD else EntryKind.ACTION_OVERDUE,
            title,
            url_for("actions.view", trajectory_id=tid, action_id=action_id),
            tid,
            names.get(tid, ""),
            layer,
            owner,
            due,
        )
        for action_id, tid, title, due, status, layer, owner in rows
    ]


def troubled_milestones(trajectories: Trajectories, today: date, names: dict[int, str]) -> list[Entry]:
    """Milestones at risk or late (:meth:`Milestone.state`), owned by their plan's responsible member."""
    milestones = db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.trajectory_id.in_(trajectories), Milestone.achieved_on.is_(None))
        .options(
            selectinload(Milestone.actions),
            joinedload(Milestone.plan).joinedload(Plan.responsible).joinedload(Membership.user),
        )
    )
    entries = []
    for milestone in milestones:
        state = milestone.state(today)
        if state not in (MilestoneState.TE_LAAT, MilestoneState.RISICO):
            continue
        responsible = milestone.plan.responsible
        entries.append(
            Entry(
                EntryKind.MILESTONE_LATE if state == MilestoneState.TE_LAAT else EntryKind.MILESTONE_AT_RISK,
                milestone.title,
                url_for("plans.milestone", trajectory_id=milestone.trajectory_id, milestone_id=milestone.id),
                milestone.trajectory_id,
                names.get(milestone.trajectory_id, ""),
                responsible.layer if responsible else None,
                responsible.user.name if responsible else None,
                milestone.target_date,
            )
        )
    return entries


def unanswered_red_cards(trajectories: Trajectories, today: date, names: dict[int, str]) -> list[Entry]:
    """Factors with red cards in each trajectory's latest closed round, with no action made from
    them. Nobody owns them yet: that is what is behind."""
    latest = (
        sa.select(EvaluationRound.trajectory_id, sa.func.max(EvaluationRound.closes_on).label("closes_on"))
        .where(EvaluationRound.trajectory_id.in_(trajectories), EvaluationRound.closes_on < today)
        .group_by(EvaluationRound.trajectory_id)
        .subquery()
    )
    rounds = {
        r.id: r
        for r in db.session.scalars(
            sa.select(EvaluationRound).join(
                latest,
                sa.and_(
                    EvaluationRound.trajectory_id == latest.c.trajectory_id,
                    EvaluationRound.closes_on == latest.c.closes_on,
                ),
            )
        )
    }
    if not rounds:
        return []
    red = db.session.execute(
        sa.select(Ballot.round_id, Vote.factor, sa.func.count())
        .join(Vote, Vote.ballot_id == Ballot.id)
        .where(Ballot.round_id.in_(list(rounds)), Vote.color == Color.ROOD)
        .group_by(Ballot.round_id, Vote.factor)
    ).all()
    followed = set(
        db.session.execute(
            sa.select(Action.source_id, Action.source_key).where(
                Action.source_type == ActionSource.RED_CARD,
                Action.source_id.in_(list(rounds)),
                Action.archived_at.is_(None),
            )
        ).all()
    )
    entries = []
    for round_id, factor, count in red:
        if (round_id, factor) in followed:
            continue
        evaluation_round = rounds[round_id]
        titles: dict[str, Any] = {f["key"]: f["title"] for f in evaluation_round.factors}
        if factor not in titles:
            continue
        tid = evaluation_round.trajectory_id
        entries.append(
            Entry(
                EntryKind.RED_CARD,
                titles[factor],
                url_for(
                    "evaluations.round_view", trajectory_id=tid, round_id=round_id, _anchor="follow-heading"
                ),
                tid,
                names.get(tid, ""),
                None,
                None,
                evaluation_round.closes_on,
                round_name=evaluation_round.name,
                red_cards=count,
            )
        )
    return entries


def behind(trajectories: Trajectories, today: date | None = None) -> list[Entry]:
    """Everything that is behind in these trajectories (ids, or a subquery of ids)."""
    today = today or date.today()
    names = _names(trajectories)
    if not names:
        return []
    return (
        overdue_items(trajectories, today, names)
        + late_actions(trajectories, today, names)
        + troubled_milestones(trajectories, today, names)
        + unanswered_red_cards(trajectories, today, names)
    )
