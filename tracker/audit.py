"""Records every change as an audit event: who, what, when (UTC), old → new.

A session ``after_flush`` hook inspects what the flush wrote and inserts one row per changed
record in the same transaction, so a change and its trail commit or roll back together. Deletions
include those made by ORM cascades (see :func:`_deleted`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user
from sqlalchemy.orm import Session

from tracker.models import (
    Action,
    Agreement,
    Ambition,
    AuditEvent,
    ChecklistItem,
    Cycle,
    Decision,
    EvaluationRound,
    EvaluationSchedule,
    Invitation,
    Meeting,
    Membership,
    Milestone,
    Objective,
    Organisation,
    Plan,
    ProcessStep,
    StartReflection,
    Trajectory,
    User,
    Workshop,
    WorkshopNote,
    WorkshopParticipant,
    utcnow,
)
from tracker.models.audit import is_audited

# What is audited is marked on the models (``__audit_label__``). Ballots and votes are deliberately
# not audited: anonymous rounds must not reveal who voted what.
IGNORED_FIELDS = {"version", "updated_at", "created_at", "last_login_at", "id", "calendar_token", "factors"}
SECRET_FIELDS = {"password_hash", "session_token", "totp_secret", "token_hash"}


def _value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, bool, str)):
        return value
    return str(value)


# What names a record in its trail, by type: its own text, or the values that name it (worded when
# shown, in the reader's language: see ``AuditEvent.summary_text``). The first matching entry wins.
_SUMMARIES: tuple[tuple[tuple[type, ...], Callable[[Any], str]], ...] = (
    ((ChecklistItem, Agreement, Objective, WorkshopNote), lambda obj: obj.text[:300]),
    ((StartReflection, Action, Milestone, ProcessStep, Ambition, Workshop), lambda obj: obj.title),
    ((Membership,), lambda obj: obj.user.name if obj.user else str(obj.user_id)),
    ((Trajectory, Organisation), lambda obj: obj.name),
    ((User, Invitation), lambda obj: obj.email),
    ((Decision,), lambda obj: f"{obj.kind.value}: {obj.outcome.value}"),
    ((Plan,), lambda obj: obj.scope),
    ((Cycle,), lambda obj: str(obj.number)),
    ((EvaluationRound,), lambda obj: obj.name),
    ((Meeting,), lambda obj: obj.held_on.isoformat() if obj.held_on else ""),
    ((EvaluationSchedule,), lambda obj: obj.framework),
)


def _summary(obj) -> str:
    """What the record is (see ``_SUMMARIES``); empty for a type without a summary."""
    for types, summarise in _SUMMARIES:
        if isinstance(obj, types):
            return summarise(obj)
    return ""


def _trajectory_id(obj) -> int | None:
    if isinstance(obj, Trajectory):
        return obj.id
    if isinstance(obj, Cycle):
        return obj.plan.trajectory_id if obj.plan else None
    if isinstance(obj, Agreement):
        return obj.meeting.trajectory_id if obj.meeting else None
    if isinstance(obj, Objective):
        return obj.ambition.trajectory_id if obj.ambition else None
    if isinstance(obj, (WorkshopParticipant, WorkshopNote)):
        return obj.workshop.trajectory_id if obj.workshop else None
    return getattr(obj, "trajectory_id", None)


def _changes(obj, *, new: bool) -> dict[str, list[Any]]:
    state = sa.inspect(obj)
    changes: dict[str, list[Any]] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        if key in IGNORED_FIELDS:
            continue
        history = state.attrs[key].history
        if new:
            value = state.attrs[key].value
            if value not in (None, ""):
                changes[key] = [None, "***" if key in SECRET_FIELDS else _value(value)]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new_value = history.added[0] if history.added else None
            if old == new_value:
                continue
            changes[key] = ["***", "***"] if key in SECRET_FIELDS else [_value(old), _value(new_value)]
    return changes


def _actor() -> tuple[int | None, str]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.name
    return None, ""  # the history shows "system"


def _audits_creation(obj) -> bool:
    """Standard checklist items and start reflections are created with their trajectory, not by
    someone's change: their creation is not recorded."""
    if isinstance(obj, ChecklistItem) and not obj.is_custom:
        return False
    return is_audited(obj) and not isinstance(obj, StartReflection)


def _created_rows(session: Session) -> list[dict[str, Any]]:
    return [_row(obj, "create", _changes(obj, new=True)) for obj in session.new if _audits_creation(obj)]


def _update_action(changes: dict[str, list[Any]]) -> str:
    if "archived_at" not in changes:
        return "update"
    return "archive" if changes["archived_at"][1] else "restore"


def _updated_rows(session: Session) -> list[dict[str, Any]]:
    rows = []
    for obj in session.dirty:
        if is_audited(obj) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj, new=False)
            if changes:
                rows.append(_row(obj, _update_action(changes), changes))
    return rows


def _deleted_rows(session: Session, flush_context) -> list[dict[str, Any]]:
    return [_row(obj, "delete", {}) for obj in _deleted(session, flush_context) if is_audited(obj)]


def _after_flush(session: Session, flush_context) -> None:
    now = utcnow()
    user_id, actor = _actor()
    rows = _created_rows(session) + _updated_rows(session) + _deleted_rows(session, flush_context)
    if rows:
        for row in rows:
            row.update(at=now, user_id=user_id, actor=actor)
        session.connection().execute(sa.insert(cast(sa.Table, AuditEvent.__table__)), rows)


def record(session: Session, obj, action: str, changes: dict[str, list[Any]]) -> None:
    """An audit event for a change written outside the unit of work (a plain UPDATE statement,
    such as a new position), in the same transaction as that change."""
    if not is_audited(obj):
        return
    user_id, actor = _actor()
    row = _row(obj, action, {key: [_value(old), _value(new)] for key, (old, new) in changes.items()})
    row.update(at=utcnow(), user_id=user_id, actor=actor)
    session.connection().execute(sa.insert(cast(sa.Table, AuditEvent.__table__)), [row])


def _deleted(session: Session, flush_context) -> list:
    """Every object this flush deleted. ``session.deleted`` only holds what was passed to
    ``session.delete()``; rows removed by a cascade (``delete-orphan``: an object taken out of a
    collection, or the children of a deleted parent) are only known to the flush itself."""
    seen = {id(obj): obj for obj in session.deleted}
    for state, (isdelete, listonly) in flush_context.states.items():
        obj = state.obj()
        if isdelete and not listonly and obj is not None:
            seen.setdefault(id(obj), obj)
    return list(seen.values())


def _row(obj, action: str, changes: dict) -> dict[str, Any]:
    trajectory_id = _trajectory_id(obj)
    if isinstance(obj, Trajectory) and action == "delete":
        trajectory_id = None
    return {
        "trajectory_id": trajectory_id,
        "entity": type(obj).__name__,
        "entity_id": obj.id,
        "action": action,
        "summary": _summary(obj),
        "changes": changes,
    }


def register() -> None:
    """Listen on every ORM session (idempotent)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
