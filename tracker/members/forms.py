"""The member forms: add (or invite), edit, and who takes over the work of a removed member."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField
from wtforms.validators import ValidationError

from tracker.auth.forms import NOT_MINE, email_validator
from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.models.enums import Layer, Role, choices

NOBODY = "niemand"


class MemberAddForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[required(), email_validator(), max_length(254)],
        description=_l("The person receives an invitation by email with a link to join the trajectory."),
        render_kw=NOT_MINE,
    )
    organisation_id = ChoiceField(_l("Organisation"), validators=[required()])
    layer = ChoiceField(_l("Layer"), choices=choices(Layer), validators=[required()])
    # No role is preselected: the lead chooses one deliberately.
    role = ChoiceField(
        _l("Role in the trajectory"),
        choices=[("", _l("Choose a role")), *choices(Role)],
        validators=[required()],
    )


class MemberEditForm(BaseForm):
    version = HiddenField()
    organisation_id = ChoiceField(_l("Organisation"), validators=[required()])
    layer = ChoiceField(_l("Layer"), choices=choices(Layer), validators=[required()])
    role = ChoiceField(_l("Role in the trajectory"), choices=choices(Role), validators=[required()])


class MemberRemoveForm(BaseForm):
    successor = ChoiceField(
        _l("Who takes over their work?"),
        description=_l(
            "Everything listed under ‘What they own’ goes to this member, or stays without owner."
        ),
    )

    def validate_successor(self, field):
        if not field.data:
            raise ValidationError(_l("Choose a member to take over their work, or leave it without owner."))
