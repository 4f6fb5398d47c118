"""The history of a trajectory: its audit events, newest first, page by page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import AuditEvent, Trajectory

HISTORY_PAGE = 100


def history_events(
    trajectory: Trajectory,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    before: int | None = None,
) -> list[AuditEvent]:
    """Audit events of the trajectory, newest first; optionally of one record."""
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.trajectory_id == trajectory.id)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.id.desc())
        .limit(HISTORY_PAGE)
    )
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    return list(db.session.scalars(stmt))
