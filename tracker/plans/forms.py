"""The forms of plans, their cycles and milestones; the plan choices the action form shares; and
what the features that turn their items into actions say when there is no plan to add them to."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from tracker.forms import (
    BaseForm,
    ChoiceField,
    DutchDateField,
    max_length,
    member_choices,
    required,
    required_input,
)
from tracker.ids import parse_id
from tracker.models import Plan, Trajectory
from tracker.models.enums import choices as _enum_choices
from tracker.models.plan import ActDecision, PdcaStage, PlanKind, PlanStatus
from tracker.plans.services import CycleValues, MilestoneValues, PlanValues


def _choices(enum_cls):
    return _enum_choices(enum_cls)


# Shown when an agreement, a bottleneck or a first step cannot become an action
# (``PlanError('no_plan')`` from :func:`tracker.plans.services.action_from_source`).
NO_PLAN = _l(
    "There is no external action plan with an open cycle yet; "
    "make one first, then agreements and first steps become actions."
)


def plan_choices(plans: list[Plan]) -> list[tuple[str, str]]:
    return [("", _("Choose a plan"))] + [(str(p.id), p.title) for p in plans]


class PlanForm(BaseForm):
    version = HiddenField()
    kind = ChoiceField(_l("Kind of plan"), choices=_choices(PlanKind), validators=[required()])
    organisation_id = ChoiceField(
        _l("Organisation (internal plan)"),
        description=_l("An internal plan belongs to one partner organisation."),
    )
    responsible_id = ChoiceField(_l("Responsible for execution and follow-up"), validators=[required()])
    purpose = TextAreaField(_l("Purpose"), validators=[required(), max_length(5000)])
    status = ChoiceField(_l("Status"), choices=_choices(PlanStatus), validators=[required()])

    def validate_organisation_id(self, field):
        if self.kind.data == PlanKind.INTERN.value and not field.data:
            raise ValidationError(_l("An internal plan needs the organisation it is for."))

    def prepare(self, trajectory: Trajectory) -> None:
        orgs = {m.organisation_id: m.organisation.name for m in trajectory.memberships}
        self.organisation_id.choices = [("", _("Not applicable (external plan)"))] + [
            (str(i), n) for i, n in sorted(orgs.items(), key=lambda x: x[1])
        ]
        self.responsible_id.choices = member_choices(trajectory)

    def to_values(self) -> PlanValues:
        return PlanValues(
            kind=PlanKind(self.kind.data),
            organisation_id=parse_id(self.organisation_id.data),
            responsible_id=int(self.responsible_id.data),
            purpose=self.purpose.data,
            status=PlanStatus(self.status.data),
        )


class NewPlanForm(PlanForm):
    cycle_start = DutchDateField(_l("First cycle starts"), validators=[required_input()])
    cycle_end = DutchDateField(_l("First cycle ends"), validators=[required_input()])

    def validate_cycle_end(self, field):
        if self.cycle_start.data and field.data and field.data <= self.cycle_start.data:
            raise ValidationError(_l("The end comes after the start."))


class CycleForm(BaseForm):
    version = HiddenField()
    stage = ChoiceField(_l("Stage of the cycle"), choices=_choices(PdcaStage), validators=[required()])
    plan_text = TextAreaField(_l("Plan: what, and which targets"), validators=[Optional(), max_length(10000)])
    do_text = TextAreaField(_l("Do: what was done"), validators=[Optional(), max_length(10000)])
    check_text = TextAreaField(
        _l("Check: findings against milestones and results"), validators=[Optional(), max_length(10000)]
    )
    act_text = TextAreaField(_l("Act: what we adjust"), validators=[Optional(), max_length(10000)])
    act_decision = ChoiceField(
        _l("Act: decision"),
        choices=[("", _l("Not decided yet"))] + _choices(ActDecision),
        validators=[Optional()],
    )

    def to_values(self) -> CycleValues:
        return CycleValues(
            stage=PdcaStage(self.stage.data),
            plan_text=self.plan_text.data or "",
            do_text=self.do_text.data or "",
            check_text=self.check_text.data or "",
            act_text=self.act_text.data or "",
            act_decision=ActDecision(self.act_decision.data) if self.act_decision.data else None,
        )


class CloseCycleForm(BaseForm):
    confirm = HiddenField()
    next_end = DutchDateField(
        _l("Next cycle ends"),
        validators=[Optional()],
        description=_l("Leave empty for a cycle as long as this one."),
    )


class MilestoneForm(BaseForm):
    version = HiddenField()
    plan_id = ChoiceField(_l("Plan"), validators=[required()])
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    target_date = DutchDateField(_l("Target date"), validators=[required_input()])
    expected_result = TextAreaField(_l("Expected result"), validators=[Optional(), max_length(10000)])
    achieved_on = DutchDateField(_l("Achieved on"), validators=[Optional()])
    actual_result = TextAreaField(_l("Actual result"), validators=[Optional(), max_length(10000)])

    def to_values(self) -> MilestoneValues:
        return MilestoneValues(
            title=self.title.data,
            target_date=self.target_date.data,
            expected_result=self.expected_result.data or "",
            achieved_on=self.achieved_on.data,
            actual_result=self.actual_result.data or "",
        )
