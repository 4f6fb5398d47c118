"""Checklist items: edit, add, reorder, archive and restore. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.concurrency import lock_parent, set_positions
from tracker.extensions import db
from tracker.models import ChecklistItem, ItemStatus, Layer, Membership, Phase, Section, Trajectory, utcnow


@dataclass(frozen=True)
class PhasePlan:
    """A phase's planning: when work is meant to start and the date it should be finished by."""

    planned_start: date | None = None
    target_date: date | None = None


def plan_phases(trajectory: Trajectory, plans: dict[int, PhasePlan]) -> None:
    """Set the planning of the phases with these numbers. A change also marks the trajectory as
    changed, so its version moves on: every form that sets phase dates carries that version, and a
    concurrent change of the planning is reported instead of lost."""
    changed = False
    for phase in trajectory.phases:
        plan = plans.get(phase.number)
        if plan is None or (phase.planned_start, phase.target_date) == (plan.planned_start, plan.target_date):
            continue
        phase.planned_start, phase.target_date = plan.planned_start, plan.target_date
        changed = True
    if changed:
        trajectory.updated_at = utcnow()
    db.session.flush()


def phase_with_items(trajectory: Trajectory, number: int) -> Phase | None:
    """The phase with sections, items and owners loaded in a fixed number of queries."""
    return db.session.scalar(
        sa.select(Phase)
        .where(Phase.trajectory_id == trajectory.id, Phase.number == number)
        .options(
            selectinload(Phase.sections)
            .selectinload(Section.items)
            .joinedload(ChecklistItem.owner)
            .joinedload(Membership.user)
        )
    )


@dataclass(frozen=True)
class ItemValues:
    """What a member sets on a checklist item; ``text`` only for the trajectory's own items."""

    status: ItemStatus
    owner: Membership | None = None
    accountable_layer: Layer | None = None
    due_date: date | None = None
    answer: str = ""
    text: str | None = None


def _apply(item: ChecklistItem, values: ItemValues) -> None:
    if values.owner is not None and values.owner.trajectory_id != item.trajectory_id:
        raise ValueError("the owner is not a member of this trajectory")
    item.status = values.status
    item.owner = values.owner
    item.accountable_layer = values.accountable_layer
    item.due_date = values.due_date
    item.answer = values.answer


def update_item(item: ChecklistItem, values: ItemValues) -> None:
    _apply(item, values)
    if item.is_custom and values.text:
        item.text = values.text
    db.session.flush()


def add_item(section: Section, trajectory: Trajectory, values: ItemValues) -> ChecklistItem:
    position = (
        db.session.scalar(
            sa.select(sa.func.max(ChecklistItem.position)).where(ChecklistItem.section_id == section.id)
        )
        or 0
    ) + 1
    item = ChecklistItem(
        trajectory=trajectory, section=section, position=position, text=values.text or "", is_custom=True
    )
    _apply(item, values)
    db.session.add(item)
    db.session.flush()
    return item


def move_item(item: ChecklistItem, direction: int) -> bool:
    """Swap the item with its active neighbour above (-1) or below (+1). False at the edge.

    Movers of one section take turns (the section row is locked) and read the latest positions;
    the positions are written without bumping the items' versions, so an open edit form of a
    moved item still saves."""
    lock_parent(Section, item.section_id)
    siblings = db.session.execute(
        sa.select(ChecklistItem.id, ChecklistItem.position)
        .where(ChecklistItem.section_id == item.section_id, ChecklistItem.archived_at.is_(None))
        .order_by(ChecklistItem.position, ChecklistItem.id)
    ).all()
    index = next((i for i, row in enumerate(siblings) if row.id == item.id), None)
    if index is None:  # archived in the meantime
        return False
    other_index = index + direction
    if not 0 <= other_index < len(siblings):
        return False
    other = siblings[other_index]
    positions = {item.id: other.position, other.id: siblings[index].position}
    if other.position == siblings[index].position:  # equal positions never stall a move
        positions = {row.id: number for number, row in enumerate(siblings, start=1)}
        positions[item.id], positions[other.id] = other_index + 1, index + 1
    set_positions(ChecklistItem, positions)
    return True


def removed_for_good(item: ChecklistItem) -> bool:
    """An own item without answer is deleted; everything else is archived, never lost."""
    return item.is_custom and not item.answer.strip()


def archive_or_delete(item: ChecklistItem) -> str:
    """An own item without answer is deleted; everything else is archived, never lost."""
    if removed_for_good(item):
        db.session.delete(item)
        db.session.flush()
        return "deleted"
    item.archived_at = utcnow()
    db.session.flush()
    return "archived"


def restore(item: ChecklistItem) -> None:
    item.archived_at = None
    db.session.flush()


def set_status(item: ChecklistItem, status: ItemStatus) -> None:
    """Only the status changes (a quick change from a list row)."""
    item.status = status
    db.session.flush()


@dataclass(frozen=True)
class Assignment:
    """What a bulk assignment sets; what it does not change is left out (``change_*`` False, no
    due date)."""

    change_owner: bool = False
    owner_id: int | None = None
    change_layer: bool = False
    layer: Layer | None = None
    due_date: date | None = None

    @property
    def changes_anything(self) -> bool:
        return self.change_owner or self.change_layer or self.due_date is not None


def items_by_id(trajectory: Trajectory, ids: set[int]) -> list[ChecklistItem]:
    """The trajectory's items with these ids (an id of another trajectory is not among them)."""
    return list(
        db.session.scalars(
            sa.select(ChecklistItem)
            .where(ChecklistItem.trajectory_id == trajectory.id, ChecklistItem.id.in_(ids))
            .order_by(ChecklistItem.id)
        )
    )


def assign(items: list[ChecklistItem], assignment: Assignment) -> None:
    """Owner, accountable layer and due date for all the items at once (one transaction; each
    changed item gets its audit event)."""
    for item in items:
        if assignment.change_owner:
            item.owner_id = assignment.owner_id
        if assignment.change_layer:
            item.accountable_layer = assignment.layer
        if assignment.due_date is not None:
            item.due_date = assignment.due_date
    db.session.flush()
