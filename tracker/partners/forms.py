from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.models.enums import choices
from tracker.models.network import Perception, Relation


class PartnerForm(BaseForm):
    version = HiddenField()
    organisation_id = ChoiceField(_l("Organisation"), validators=[required()])
    contribution = TextAreaField(
        _l("Current contribution for the target group"), validators=[Optional(), max_length(5000)]
    )
    ambition = TextAreaField(_l("Ambition for the target group"), validators=[Optional(), max_length(5000)])
    perception = ChoiceField(
        _l("Shares the problem perception"),
        choices=[("", _l("Not known yet"))] + choices(Perception),
        validators=[Optional()],
    )
    direction = TextAreaField(
        _l("Which way it is moving (collaboration, funding, …)"), validators=[Optional(), max_length(5000)]
    )
    relation = ChoiceField(
        _l("Current relation"),
        choices=[("", _l("Not known yet"))] + choices(Relation),
        validators=[Optional()],
    )
    contact_id = ChoiceField(_l("Who in our organisation holds the contact"), validators=[Optional()])
