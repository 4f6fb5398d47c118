from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional

from tracker.forms import BaseForm, ChoiceField, chosen_member, max_length, required
from tracker.models import Organisation, Trajectory
from tracker.models.enums import choices
from tracker.models.network import Perception, Relation
from tracker.partners.services import PartnerValues


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

    def to_values(self, trajectory: Trajectory, organisations: list[Organisation]) -> PartnerValues:
        """The validated input; ``organisations`` are those the organisation was chosen from."""
        return PartnerValues(
            organisation=next(o for o in organisations if str(o.id) == self.organisation_id.data),
            contribution=self.contribution.data or "",
            ambition=self.ambition.data or "",
            perception=Perception(self.perception.data) if self.perception.data else None,
            direction=self.direction.data or "",
            relation=Relation(self.relation.data) if self.relation.data else None,
            contact=chosen_member(trajectory, self.contact_id.data),
        )
