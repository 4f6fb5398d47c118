from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.evaluations.forms import MultiCheckboxField
from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.models import Organisation
from tracker.models.enums import choices
from tracker.models.network import Perception
from tracker.process.services import StepValues


class StepForm(BaseForm):
    version = HiddenField()
    title = StringField(
        _l("Step"),
        validators=[required(), max_length(200)],
        description=_l("For example: signalering, toeleiding, hulp, nazorg."),
    )
    function = TextAreaField(
        _l("What happens in this step (the function)"), validators=[Optional(), max_length(5000)]
    )
    organisation_ids = MultiCheckboxField(_l("Which organisation(s) do it"))
    gap = BooleanField(_l("Gap (hiaat)"))
    overlap = BooleanField(_l("Overlap"))
    waiting = BooleanField(_l("Waiting time (wachttijd)"))
    handover = BooleanField(_l("Faltering handover (haperende overdracht)"))
    bottleneck = TextAreaField(_l("Description of the bottleneck"), validators=[Optional(), max_length(5000)])
    solution = TextAreaField(
        _l("What and who is needed to solve it"), validators=[Optional(), max_length(5000)]
    )

    def to_values(self, organisations: list[Organisation]) -> StepValues:
        """The validated input; ``organisations`` are those the step's organisations were chosen from."""
        chosen = set(self.organisation_ids.data or [])
        return StepValues(
            title=self.title.data,
            function=self.function.data or "",
            organisations=tuple(o for o in organisations if str(o.id) in chosen),
            gap=self.gap.data,
            overlap=self.overlap.data,
            waiting=self.waiting.data,
            handover=self.handover.data,
            bottleneck=self.bottleneck.data or "",
            solution=self.solution.data or "",
        )


class ClientGoalsForm(BaseForm):
    version = HiddenField()
    client_goals = ChoiceField(
        _l("Do parents and children pursue the same goals as the partners?"),
        choices=[("", _l("Not known yet"))] + choices(Perception),
        validators=[Optional()],
    )
    client_goals_note = TextAreaField(_l("Explanation"), validators=[Optional(), max_length(5000)])

    def goals(self) -> Perception | None:
        return Perception(self.client_goals.data) if self.client_goals.data else None
