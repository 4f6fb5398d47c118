"""Keeping the search index up to date.

A session ``after_flush`` hook (like the audit trail's) sees every record of an indexed model that
the flush created, changed or deleted, and rewrites its row in ``search_entries`` in the same
transaction; so every write path (the services, the import, the demo) keeps the index current. An
archived item or action leaves the index and comes back when it is restored. When the name of a
meeting, ambition or workshop changes, the rows of its agreements, objectives or notes follow (they
show it as their context). :func:`rebuild` writes the whole index again (``flask search rebuild``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, object_session

from tracker.extensions import db
from tracker.models import (
    Action,
    Agreement,
    Ambition,
    ChecklistItem,
    Meeting,
    Milestone,
    Objective,
    Phase,
    SearchEntry,
    SearchKind,
    Section,
    Workshop,
    WorkshopNote,
)

Row = dict[str, Any]
T = TypeVar("T")


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _parent(obj: Any, model: type[T], parent_id: int) -> T:
    """The parent record by its id: from the session's identity map, else loaded. (A record made
    with only its parent's id has no parent object yet while the flush runs.)"""
    return cast(T, object_session(obj).get(model, parent_id))  # type: ignore[union-attr]


def _item(item: ChecklistItem) -> Row | None:
    if item.archived_at is not None:
        return None
    section = _parent(item, Section, item.section_id)
    return {
        "trajectory_id": item.trajectory_id,
        "page_id": _parent(item, Phase, section.phase_id).number,
        "title": item.text,
        "body": item.answer or "",
        "context": f"{section.code}. {section.title}",
    }


def _action(action: Action) -> Row | None:
    if action.archived_at is not None:
        return None
    return {
        "trajectory_id": action.trajectory_id,
        "page_id": action.id,
        "title": action.title,
        "body": _join(action.description, action.result),
    }


def _milestone(milestone: Milestone) -> Row:
    return {
        "trajectory_id": milestone.trajectory_id,
        "page_id": milestone.plan_id,
        "title": milestone.title,
        "body": _join(milestone.expected_result, milestone.actual_result),
    }


def _meeting(meeting: Meeting) -> Row:
    return {
        "trajectory_id": meeting.trajectory_id,
        "page_id": meeting.id,
        "title": meeting.purpose or meeting.place or "",
        "body": _join(
            meeting.place,
            meeting.outcome_bestuur,
            meeting.outcome_management,
            meeting.outcome_uitvoerend,
            meeting.outcome_mixed,
            meeting.notes,
        ),
    }


def _agreement(agreement: Agreement) -> Row:
    meeting = _parent(agreement, Meeting, agreement.meeting_id)
    return {
        "trajectory_id": meeting.trajectory_id,
        "page_id": meeting.id,
        "title": agreement.text,
        "context": meeting.purpose or meeting.place or "",
    }


def _ambition(ambition: Ambition) -> Row:
    return {
        "trajectory_id": ambition.trajectory_id,
        "page_id": ambition.id,
        "title": ambition.title,
        "body": ambition.result or "",
    }


def _objective(objective: Objective) -> Row:
    ambition = _parent(objective, Ambition, objective.ambition_id)
    return {
        "trajectory_id": ambition.trajectory_id,
        "page_id": ambition.id,
        "title": objective.text,
        "context": ambition.title,
    }


def _note(note: WorkshopNote) -> Row:
    workshop = _parent(note, Workshop, note.workshop_id)
    return {
        "trajectory_id": workshop.trajectory_id,
        "page_id": workshop.id,
        "title": note.text,
        "context": workshop.title,
    }


@dataclass(frozen=True)
class Indexed:
    """How one model is indexed: its kind, the attributes whose change rewrites its row, and how
    its row is built (None: not in the index, such as an archived item)."""

    kind: SearchKind
    watched: frozenset[str]
    build: Callable[[Any], Row | None]


MEETING_TEXT = {
    "purpose",
    "place",
    "notes",
    *(f"outcome_{g}" for g in ("bestuur", "management", "uitvoerend", "mixed")),
}
INDEXED: dict[type, Indexed] = {
    ChecklistItem: Indexed(
        SearchKind.ITEM, frozenset({"text", "answer", "archived_at", "section_id"}), _item
    ),
    Action: Indexed(SearchKind.ACTION, frozenset({"title", "description", "result", "archived_at"}), _action),
    Milestone: Indexed(
        SearchKind.MILESTONE, frozenset({"title", "expected_result", "actual_result", "plan_id"}), _milestone
    ),
    Meeting: Indexed(SearchKind.MEETING, frozenset(MEETING_TEXT), _meeting),
    Agreement: Indexed(SearchKind.AGREEMENT, frozenset({"text", "meeting_id"}), _agreement),
    Ambition: Indexed(SearchKind.AMBITION, frozenset({"title", "result"}), _ambition),
    Objective: Indexed(SearchKind.OBJECTIVE, frozenset({"text", "ambition_id"}), _objective),
    WorkshopNote: Indexed(SearchKind.WORKSHOP_NOTE, frozenset({"text", "workshop_id"}), _note),
}
# A parent whose name is shown as its children's context: (attributes, the children).
CONTEXT_OF: dict[type, tuple[frozenset[str], Callable[[Any], Iterable[Any]]]] = {
    Meeting: (frozenset({"purpose", "place"}), lambda meeting: meeting.agreements),
    Ambition: (frozenset({"title"}), lambda ambition: ambition.objectives),
    Workshop: (frozenset({"title"}), lambda workshop: workshop.notes),
}


def _changed(obj: Any, attributes: frozenset[str]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _touched(session: Session) -> dict[int, Any]:
    """The indexed records this flush created or changed in a way the index shows."""
    touched: dict[int, Any] = {}
    for obj in session.new:
        if type(obj) in INDEXED:
            touched[id(obj)] = obj
    for obj in session.dirty:
        spec = INDEXED.get(type(obj))
        if spec is not None and _changed(obj, spec.watched):
            touched[id(obj)] = obj
        parent = CONTEXT_OF.get(type(obj))
        if parent is not None and _changed(obj, parent[0]):
            touched.update((id(child), child) for child in parent[1](obj))
    return touched


def _deleted(session: Session, flush_context) -> list[Any]:
    """Every indexed record this flush deleted, also through a cascade (see ``tracker.audit``)."""
    seen = {id(obj): obj for obj in session.deleted}
    for state, (isdelete, listonly) in flush_context.states.items():
        obj = state.obj()
        if isdelete and not listonly and obj is not None:
            seen.setdefault(id(obj), obj)
    return [obj for obj in seen.values() if type(obj) in INDEXED]


def row_for(obj: Any) -> Row | None:
    """The index row of a record, or None when it is not in the index."""
    spec = INDEXED[type(obj)]
    row = spec.build(obj)
    if row is None:
        return None
    return {"kind": spec.kind, "record_id": obj.id, "body": "", "context": "", **row}


def write(connection: sa.Connection, stale: Iterable[Any], current: Iterable[Any]) -> None:
    """Remove the rows of the ``stale`` records (deleted or changed) and write those of the
    ``current`` ones (created or changed): one delete per kind, one insert."""
    table = cast(sa.Table, SearchEntry.__table__)
    ids: dict[SearchKind, set[int]] = {}
    for obj in stale:
        ids.setdefault(INDEXED[type(obj)].kind, set()).add(obj.id)
    for kind, record_ids in ids.items():
        connection.execute(
            sa.delete(table).where(table.c.kind == kind, table.c.record_id.in_(sorted(record_ids)))
        )
    _insert(connection, current)


def _insert(connection: sa.Connection, records: Iterable[Any]) -> None:
    rows = [row for row in map(row_for, records) if row is not None]
    if rows:
        connection.execute(sa.insert(cast(sa.Table, SearchEntry.__table__)), rows)


def _after_flush(session: Session, flush_context) -> None:
    gone = _deleted(session, flush_context)
    gone_ids = {id(obj) for obj in gone}
    current = [obj for key, obj in _touched(session).items() if key not in gone_ids]
    if gone or current:
        # New records too: a row left by a change the session did not see (a plain SQL delete)
        # must not block the record that takes its id.
        write(session.connection(), gone + current, current)


def _all_records() -> Iterable[Any]:
    """Every indexable record, with what its row needs loaded in a fixed number of queries."""
    loads = [
        sa.select(ChecklistItem).options(joinedload(ChecklistItem.section).joinedload(Section.phase)),
        sa.select(Action),
        sa.select(Milestone),
        sa.select(Meeting),
        sa.select(Agreement).options(joinedload(Agreement.meeting)),
        sa.select(Ambition),
        sa.select(Objective).options(joinedload(Objective.ambition)),
        sa.select(WorkshopNote).options(joinedload(WorkshopNote.workshop)),
    ]
    for stmt in loads:
        yield from db.session.scalars(stmt)


def rebuild() -> int:
    """Write the whole index again from the records; returns the number of rows. The caller
    commits. On SQLite the FTS5 table is rebuilt from the rows as well."""
    connection = db.session.connection()
    connection.execute(sa.delete(cast(sa.Table, SearchEntry.__table__)))
    _insert(connection, _all_records())
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("INSERT INTO search_entries_fts(search_entries_fts) VALUES ('rebuild')")
    return int(db.session.scalar(sa.select(sa.func.count(SearchEntry.id))) or 0)


def register() -> None:
    """Listen on every ORM session (idempotent)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
