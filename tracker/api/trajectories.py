"""Trajectories: the ones the token's user may see, and one with its members, the progress of its
phases and its decisions."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import joinedload

from tracker.access import rule, signed_in, viewable_trajectory_ids
from tracker.api.core import bp, page, record
from tracker.api.openapi import operation
from tracker.api.schemas import TrajectoryDetailSchema, TrajectorySchema
from tracker.extensions import db
from tracker.models import Decision, Membership, Trajectory
from tracker.trajectories.progress import progress_for

LIST = TrajectorySchema()
DETAIL = TrajectoryDetailSchema()


@bp.route("/v1/trajectories")
@operation("The trajectories you are a member of", response=TrajectorySchema, paged=True)
@signed_in
def trajectories():
    stmt = sa.select(Trajectory).where(Trajectory.id.in_(viewable_trajectory_ids(current_user)))
    return page(stmt, Trajectory, LIST.dump)


@bp.route("/v1/trajectories/<id:trajectory_id>")
@operation("A trajectory: members, progress per phase, decisions", response=TrajectoryDetailSchema)
@rule()
def trajectory(trajectory: Trajectory):
    members = db.session.scalars(
        sa.select(Membership)
        .where(Membership.trajectory_id == trajectory.id)
        .options(joinedload(Membership.user), joinedload(Membership.organisation))
        .order_by(Membership.id)
    ).all()
    decisions = db.session.scalars(
        sa.select(Decision)
        .where(Decision.trajectory_id == trajectory.id)
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    ).all()
    progress = progress_for([trajectory.id])[trajectory.id]
    body = DETAIL.dump(
        {
            **{key: getattr(trajectory, key) for key in TrajectorySchema().fields},
            "target_groups": trajectory.target_groups,
            "memberships": members,
            "phases": [progress.phases[n] for n in sorted(progress.phases)],
            "decisions": decisions,
        }
    )
    return record(trajectory, body)
