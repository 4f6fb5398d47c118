"""The trajectory forms: start one, change its details, status and coordinator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required, required_input
from tracker.ids import parse_id
from tracker.models.enums import Layer, TrajectoryStatus, choices
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


class TrajectoryEditForm(TrajectoryForm):
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

    def coordinator_user_id(self) -> int | None:
        return parse_id(self.coordinator_id.data) if self.coordinator_id.data else None
