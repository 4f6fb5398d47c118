from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from tracker.evaluations.forms import MultiCheckboxField
from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.models.enums import choices
from tracker.models.network import Perception


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


class ClientGoalsForm(BaseForm):
    version = HiddenField()
    client_goals = ChoiceField(
        _l("Do parents and children pursue the same goals as the partners?"),
        choices=[("", _l("Not known yet"))] + choices(Perception),
        validators=[Optional()],
    )
    client_goals_note = TextAreaField(_l("Explanation"), validators=[Optional(), max_length(5000)])
