"""The history of a trajectory: its audit events, newest first, a page at a time, optionally of
one record type or one record. Paged by key (``voor``/``na`` an event id, not a page number), so
a page stays put while new events are recorded; the total is counted like every paged list's."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import AuditEvent, Trajectory
from tracker.models.audit import audited_models
from tracker.paging import count_of

HISTORY_PAGE = 25


@dataclass(frozen=True)
class HistoryFilter:
    """Which events a history page shows and where it starts: ``before`` pages to older events
    (``voor``), ``after`` to newer ones (``na``)."""

    entity: str | None = None
    entity_id: int | None = None
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True)
class HistoryPage:
    events: list[AuditEvent]
    newer: int | None  # the ``na`` of the link to newer events, or None: this is the newest page
    older: int | None  # the ``voor`` of the link to older events, or None: this is the oldest page
    total: int = 0  # the number of events in the (filtered) history


def _filtered(trajectory: Trajectory, chosen: HistoryFilter) -> sa.Select:
    stmt = sa.select(AuditEvent).where(AuditEvent.trajectory_id == trajectory.id)
    if chosen.entity:
        stmt = stmt.where(AuditEvent.entity == chosen.entity)
    if chosen.entity_id:
        stmt = stmt.where(AuditEvent.entity_id == chosen.entity_id)
    return stmt


def _exists(stmt: sa.Select) -> bool:
    return db.session.scalar(sa.select(stmt.with_only_columns(AuditEvent.id).limit(1).exists())) or False


def history_page(trajectory: Trajectory, chosen: HistoryFilter) -> HistoryPage:
    """One page of the trajectory's events, newest first, and whether there are newer and older
    ones (a bounded number of queries: the page, and one look each way)."""
    base = _filtered(trajectory, chosen)
    stmt = base.options(joinedload(AuditEvent.user)).limit(HISTORY_PAGE)
    if chosen.after and not chosen.before:
        stmt = stmt.where(AuditEvent.id > chosen.after).order_by(AuditEvent.id.asc())
        events = list(reversed(db.session.scalars(stmt).all()))
    else:
        if chosen.before:
            stmt = stmt.where(AuditEvent.id < chosen.before)
        events = list(db.session.scalars(stmt.order_by(AuditEvent.id.desc())))
    if not events:
        return HistoryPage([], None, None)
    newest, oldest = events[0].id, events[-1].id
    newer = newest if _exists(base.where(AuditEvent.id > newest)) else None
    older = oldest if _exists(base.where(AuditEvent.id < oldest)) else None
    return HistoryPage(events, newer, older, count_of(base.with_only_columns(AuditEvent.id)))


def history_types(trajectory: Trajectory, chosen: str | None = None) -> list[tuple[str, str]]:
    """The record types in the trajectory's history (and the chosen one), as (type, label) by
    label: the choices of the history's filter."""
    present = {chosen} | set(
        db.session.scalars(
            sa.select(AuditEvent.entity).where(AuditEvent.trajectory_id == trajectory.id).distinct()
        )
    )
    models = audited_models()
    return sorted(
        ((name, str(model.__audit_label__)) for name, model in models.items() if name in present),  # type: ignore[attr-defined]
        key=lambda pair: pair[1].lower(),
    )
