from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, HiddenField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required
from tracker.ids import parse_id
from tracker.models import Trajectory
from tracker.models.enums import ItemStatus, Layer, choices
from tracker.phases.services import Assignment, ItemValues, PhasePlan

KEEP, NONE = "", "geen"


class ItemFieldsMixin:
    """The fields an item's edit and new forms share; ``to_values`` turns them into typed values."""

    status = ChoiceField(_l("Status"), choices=choices(ItemStatus), validators=[required()])
    owner_id = ChoiceField(_l("Owner"), validators=[Optional()])
    accountable_layer = ChoiceField(
        _l("Accountable layer"), choices=[("", _l("No layer"))] + choices(Layer), validators=[Optional()]
    )
    due_date = DutchDateField(_l("Due date"), validators=[Optional()])
    answer = TextAreaField(_l("Answer"), validators=[Optional(), max_length(20000)])

    def to_values(self, trajectory: Trajectory) -> ItemValues:
        form: Any = self
        owner_id = parse_id(form.owner_id.data)
        owner = next((m for m in trajectory.memberships if m.id == owner_id), None)
        text = form.text.data if "text" in form else None
        return ItemValues(
            status=ItemStatus(form.status.data),
            owner=owner,
            accountable_layer=Layer(form.accountable_layer.data) if form.accountable_layer.data else None,
            due_date=form.due_date.data,
            answer=form.answer.data or "",
            text=text or None,
        )


class ItemForm(ItemFieldsMixin, BaseForm):
    version = HiddenField()
    text = TextAreaField(_l("Question or point of attention"), validators=[Optional(), max_length(2000)])


class NewItemForm(ItemFieldsMixin, BaseForm):
    text = TextAreaField(_l("Question or point of attention"), validators=[required(), max_length(2000)])


class BulkAssignForm(BaseForm):
    """Owner, accountable layer and due date for the items ticked on the phase page; each is
    optional and left unchanged by default."""

    owner_id = ChoiceField(_l("Owner"), validators=[Optional()])
    accountable_layer = ChoiceField(_l("Accountable layer"), validators=[Optional()])
    due_date = DutchDateField(_l("Due date"), validators=[Optional()])

    def prepare(self, trajectory: Trajectory) -> None:
        keep = (KEEP, _l("Do not change"))
        self.owner_id.choices = [keep, (NONE, _l("No owner"))] + [
            (str(m.id), m.display_name) for m in trajectory.memberships
        ]
        self.accountable_layer.choices = [keep, (NONE, _l("No layer"))] + choices(Layer)

    def to_assignment(self) -> Assignment:
        owner, layer = self.owner_id.data or KEEP, self.accountable_layer.data or KEEP
        return Assignment(
            change_owner=owner != KEEP,
            owner_id=int(owner) if owner not in (KEEP, NONE) else None,
            change_layer=layer != KEEP,
            layer=Layer(layer) if layer not in (KEEP, NONE) else None,
            due_date=self.due_date.data,
        )


class PlanFieldsMixin:
    """A phase's planned start and target date; the target date cannot lie before the start."""

    planned_start = DutchDateField(_l("Planned start"), validators=[Optional()])
    target_date = DutchDateField(
        _l("Target date"),
        validators=[Optional()],
        description=_l("The date by which the phase should be finished."),
    )

    def validate_target_date(self, field) -> None:
        start = self.planned_start.data  # type: ignore[attr-defined]
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_l("The target date cannot be before the planned start."))

    def to_plan(self) -> PhasePlan:
        form: Any = self
        return PhasePlan(planned_start=form.planned_start.data, target_date=form.target_date.data)

    def show(self, plan: Any) -> None:
        form: Any = self
        form.planned_start.data, form.target_date.data = plan.planned_start, plan.target_date


class PhasePlanFields(PlanFieldsMixin, Form):
    """One phase's planning inside the trajectory's settings form."""


class PhasePlanForm(PlanFieldsMixin, BaseForm):
    """The planning of one phase, on its own page; carries the trajectory's version (every change of
    the planning moves it on, see :func:`tracker.phases.services.plan_phases`)."""

    version = HiddenField()
