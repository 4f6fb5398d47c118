"""Checklist items: the list with filters like the phase pages', one item, and changes to its
status, owner, accountable layer, due date and answer through the web form's checks and service."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from tracker.access import can_edit, get_item_or_404, rule
from tracker.api.core import (
    arg_choice,
    arg_flag,
    arg_id,
    bp,
    form_errors,
    invalid,
    json_fields,
    page,
    record,
    require_fresh,
    stale,
)
from tracker.api.openapi import enum_param, filter_param, operation
from tracker.api.schemas import ItemChangeSchema, ItemSchema
from tracker.extensions import db
from tracker.models import ChecklistItem, ItemStatus, Layer, Membership, Phase, Section, Trajectory
from tracker.phases import services
from tracker.phases.forms import ItemForm

SCHEMA = ItemSchema()
FIELDS = set(ItemChangeSchema().fields)
FILTERS = (
    filter_param("phase", "The phase (1 to 4)", {"type": "integer", "minimum": 1, "maximum": 4}),
    enum_param("status", ItemStatus, "The status"),
    enum_param("layer", Layer, "The accountable layer"),
    filter_param("owner", "The owner's user id", {"type": "integer", "minimum": 1}),
    filter_param("archived", "Archived items instead of the current ones", {"type": "boolean"}),
)


def _statement(trajectory: Trajectory, errors: dict[str, list[str]]) -> sa.Select:
    stmt = (
        sa.select(ChecklistItem)
        .join(Section, ChecklistItem.section_id == Section.id)
        .join(Phase, Section.phase_id == Phase.id)
        .where(ChecklistItem.trajectory_id == trajectory.id)
        .options(
            joinedload(ChecklistItem.section).joinedload(Section.phase),
            joinedload(ChecklistItem.owner).joinedload(Membership.user),
        )
    )
    archived = arg_flag("archived", errors)
    stmt = stmt.where(
        ChecklistItem.archived_at.is_not(None) if archived else ChecklistItem.archived_at.is_(None)
    )
    if (number := arg_id("phase", errors, high=4)) is not None:
        stmt = stmt.where(Phase.number == number)
    if (status := arg_choice("status", ItemStatus, errors)) is not None:
        stmt = stmt.where(ChecklistItem.status == status)
    if (layer := arg_choice("layer", Layer, errors)) is not None:
        stmt = stmt.where(ChecklistItem.accountable_layer == layer)
    if (owner := arg_id("owner", errors)) is not None:
        owners = sa.select(Membership.id).where(Membership.user_id == owner)
        stmt = stmt.where(ChecklistItem.owner_id.in_(owners))
    return stmt


@bp.route("/v1/trajectories/<id:trajectory_id>/items")
@operation(
    "The trajectory's checklist items", response=ItemSchema, paged=True, query=FILTERS, tag="checklists"
)
@rule()
def items(trajectory: Trajectory):
    errors: dict[str, list[str]] = {}
    stmt = _statement(trajectory, errors)
    return page(stmt, ChecklistItem, SCHEMA.dump, errors)


@bp.route("/v1/trajectories/<id:trajectory_id>/items/<id:item_id>")
@operation("A checklist item", response=ItemSchema, tag="checklists")
@rule()
def item(trajectory: Trajectory, item_id: int):
    found = get_item_or_404(trajectory, item_id)
    return record(found, SCHEMA.dump(found))


def _form_data(item: ChecklistItem, changes: dict[str, str]) -> MultiDict:
    current = {
        "status": item.status.value,
        "owner_id": str(item.owner_id or ""),
        "accountable_layer": item.accountable_layer.value if item.accountable_layer else "",
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "answer": item.answer,
        "text": item.text if item.is_custom else "",
    }
    return MultiDict({**current, **changes})


@bp.route("/v1/trajectories/<id:trajectory_id>/items/<id:item_id>", methods=["PATCH"])
@operation(
    "Change a checklist item (the fields given)", response=ItemSchema, body=ItemChangeSchema, tag="checklists"
)
@rule(write=can_edit)
def item_update(trajectory: Trajectory, item_id: int):
    found = get_item_or_404(trajectory, item_id)
    require_fresh(found, SCHEMA.dump)
    form = ItemForm(formdata=_form_data(found, json_fields(FIELDS)), meta={"csrf": False})
    form.owner_id.choices = [("", "")] + [(str(m.id), m.display_name) for m in trajectory.memberships]
    if not form.validate():
        raise invalid(form_errors(form, FIELDS))
    try:
        services.update_item(found, form.to_values(trajectory))
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale(db.session.get_one(ChecklistItem, item_id), SCHEMA.dump) from None
    return record(found, SCHEMA.dump(found))
