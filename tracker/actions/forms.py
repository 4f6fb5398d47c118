"""The action form: its choices within the trajectory, and its checks against the chosen plan."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.actions.services import ActionValues, objectives_of
from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, member_choices, required
from tracker.ids import parse_id
from tracker.models import Action, Plan, Trajectory
from tracker.models.enums import choices
from tracker.models.plan import ActionStatus, PdcaStage
from tracker.plans.forms import plan_choices


class ActionForm(BaseForm):
    version = HiddenField()
    plan_id = ChoiceField(_l("Plan"), validators=[required()])
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), max_length(10000)])
    owner_id = ChoiceField(_l("Owner"), validators=[required()])
    due_date = DutchDateField(_l("Due date"), validators=[Optional()])
    status = ChoiceField(_l("Status"), choices=choices(ActionStatus), validators=[required()])
    stage = ChoiceField(_l("PDCA stage"), choices=choices(PdcaStage), validators=[required()])
    milestone_id = ChoiceField(_l("Leads to milestone"), validators=[Optional()])
    objective_id = ChoiceField(_l("Serves objective (shared ambition)"), validators=[Optional()])
    result = TextAreaField(_l("Result achieved"), validators=[Optional(), max_length(10000)])
    source_type = HiddenField()
    source_id = HiddenField()

    def prepare(self, trajectory: Trajectory, plans: list[Plan]) -> None:
        """The choices: the trajectory's plans, members, milestones and active objectives."""
        self.plan_id.choices = plan_choices(plans)
        self.owner_id.choices = member_choices(trajectory)
        self.milestone_id.choices = [("", _("No milestone"))] + [
            (str(m.id), f"{m.title} ({p.title})") for p in plans for m in p.milestones
        ]
        self.objective_id.choices = [("", _("No objective"))] + [
            (str(o.id), f"{o.ambition.title}: {o.text[:80]}") for o in objectives_of(trajectory)
        ]

    def to_values(self) -> ActionValues:
        return ActionValues(
            title=self.title.data,
            description=self.description.data or "",
            owner_id=int(self.owner_id.data),
            due_date=self.due_date.data,
            status=ActionStatus(self.status.data),
            stage=PdcaStage(self.stage.data),
            milestone_id=parse_id(self.milestone_id.data),
            objective_id=parse_id(self.objective_id.data),
            result=self.result.data or "",
        )

    def load(self, action: Action) -> None:
        """The action's references as the choices' string values (GET of the edit page)."""
        self.plan_id.data, self.owner_id.data = str(action.plan_id), str(action.owner_id or "")
        self.milestone_id.data = str(action.milestone_id or "")
        self.objective_id.data = str(action.objective_id or "")

    def chosen_plan(self, plans: list[Plan]) -> Plan | None:
        """The chosen plan, when the form is consistent with it; messages at the fields otherwise."""
        plan = next((p for p in plans if str(p.id) == self.plan_id.data), None)
        if plan is None:
            self.plan_id.errors.append(_("Choose one of the options."))
            return None
        cycle = plan.current_cycle
        if cycle is None or cycle.closed_at is not None:
            self.plan_id.errors.append(_("This plan has no open cycle."))
            return None
        if self.due_date.data and self.due_date.data < cycle.start_date:
            self.due_date.errors.append(
                _(
                    "The due date lies before the current cycle starts (%(date)s).",
                    date=format_date(cycle.start_date, "short"),
                )
            )
            return None
        if self.milestone_id.data and not any(str(m.id) == self.milestone_id.data for m in plan.milestones):
            self.milestone_id.errors.append(_("Choose a milestone of the same plan."))
            return None
        return plan
