"""Network meetings with their agreements, and the shared ambitions with their objectives."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import selectinload

from tracker.access import get_in_trajectory_or_404, rule
from tracker.api.core import arg_flag, bp, page, record
from tracker.api.openapi import filter_param, operation
from tracker.api.schemas import AmbitionSchema, MeetingSchema
from tracker.models import Ambition, Meeting, Trajectory

MEETING = MeetingSchema()
AMBITION = AmbitionSchema()


@bp.route("/v1/trajectories/<id:trajectory_id>/meetings")
@operation(
    "The trajectory's network meetings and their agreements",
    response=MeetingSchema,
    paged=True,
    tag="meetings",
)
@rule()
def meetings(trajectory: Trajectory):
    stmt = (
        sa.select(Meeting)
        .where(Meeting.trajectory_id == trajectory.id)
        .options(selectinload(Meeting.agreements))
    )
    return page(stmt, Meeting, MEETING.dump)


@bp.route("/v1/trajectories/<id:trajectory_id>/meetings/<id:meeting_id>")
@operation("A network meeting and its agreements", response=MeetingSchema, tag="meetings")
@rule()
def meeting(trajectory: Trajectory, meeting_id: int):
    found = get_in_trajectory_or_404(Meeting, trajectory, meeting_id)
    return record(found, MEETING.dump(found))


@bp.route("/v1/trajectories/<id:trajectory_id>/ambitions")
@operation(
    "The trajectory's shared ambitions and their objectives",
    response=AmbitionSchema,
    paged=True,
    query=(filter_param("active", "Only active (true) or only inactive (false) ones", {"type": "boolean"}),),
    tag="ambitions",
)
@rule()
def ambitions(trajectory: Trajectory):
    errors: dict[str, list[str]] = {}
    stmt = (
        sa.select(Ambition)
        .where(Ambition.trajectory_id == trajectory.id)
        .options(selectinload(Ambition.objectives))
    )
    if request.args.get("active") not in (None, ""):
        stmt = stmt.where(Ambition.active.is_(arg_flag("active", errors)))
    return page(stmt, Ambition, AMBITION.dump, errors)


@bp.route("/v1/trajectories/<id:trajectory_id>/ambitions/<id:ambition_id>")
@operation("A shared ambition and its objectives", response=AmbitionSchema, tag="ambitions")
@rule()
def ambition(trajectory: Trajectory, ambition_id: int):
    found = get_in_trajectory_or_404(Ambition, trajectory, ambition_id)
    return record(found, AMBITION.dump(found))
