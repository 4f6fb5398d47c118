"""The trajectory forms: start one, change its details, status and coordinator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required, required_input
from tracker.ids import parse_id
from tracker.models import Trajectory
from tracker.models.enums import Layer, TrajectoryStatus, choices
from tracker.phases.forms import PhasePlanFields
from tracker.phases.services import PhasePlan
from tracker.trajectories.services import TrajectoryDetails


class TrajectoryForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    theme = StringField(
        _l("Theme"),
        validators=[required(), max_length(200)],
        description=_l("For example: Preventie van pesten"),
    )
    target_groups = TextAreaField(_l("Target group(s)"), validators=[Optional(), max_length(2000)])
    area = StringField(_l("Area (municipality / neighbourhood)"), validators=[Optional(), max_length(200)])
    focus_layer = ChoiceField(
        _l("Centre of gravity of the collaboration"),
        choices=choices(Layer),
        validators=[required()],
        description=_l("The layer where the collaboration mainly takes place."),
    )
    start_date = DutchDateField(_l("Start date"), validators=[required_input()])

    def to_details(self) -> TrajectoryDetails:
        return TrajectoryDetails(
            name=self.name.data,
            theme=self.theme.data,
            target_groups=self.target_groups.data or "",
            area=self.area.data or "",
            start_date=self.start_date.data,
            focus_layer=Layer(self.focus_layer.data),
        )


class TrajectoryCreateForm(TrajectoryForm):
    organisation_id = ChoiceField(_l("Your organisation"), validators=[required()])
    layer = ChoiceField(_l("Your layer"), choices=choices(Layer), validators=[required()])


def _phase_plan(number: int) -> FormField:
    return FormField(PhasePlanFields, label=_l("Phase %(n)d", n=number))


class TrajectoryEditForm(TrajectoryForm):
    """The settings page: the trajectory's details, status and coordinator, and the planning of its
    four phases at once."""

    version = HiddenField()
    status = ChoiceField(_l("Status"), choices=choices(TrajectoryStatus), validators=[required()])
    coordinator_id = ChoiceField(
        _l("Coordinator"),
        validators=[Optional()],
        description=_l(
            "The member who coordinates the trajectory, as the handreiking advises. Project leads (a role) "
            "manage members, settings and decisions."
        ),
    )

    phase1 = _phase_plan(1)
    phase2 = _phase_plan(2)
    phase3 = _phase_plan(3)
    phase4 = _phase_plan(4)

    def coordinator_user_id(self) -> int | None:
        return parse_id(self.coordinator_id.data) if self.coordinator_id.data else None

    def phase_fields(self) -> list[tuple[int, FormField]]:
        return [(n, self[f"phase{n}"]) for n in range(1, 5)]

    def show_plans(self, trajectory: Trajectory) -> None:
        for phase in trajectory.phases:
            if phase.number in range(1, 5):
                self[f"phase{phase.number}"].form.show(phase)

    def phase_plans(self) -> dict[int, PhasePlan]:
        return {n: field.form.to_plan() for n, field in self.phase_fields()}
