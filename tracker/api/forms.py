"""The account page's form for a new personal access token."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional, ValidationError

from tracker.forms import BaseForm, ChoiceField, DutchDateField, max_length, required
from tracker.models import TokenScope
from tracker.models.enums import choices


class TokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[required(), max_length(100)],
        description=_l("What the token is for, for example “Dashboard GGD”."),
    )
    scope = ChoiceField(_l("What the token may do"), choices=choices(TokenScope), validators=[required()])
    expires_on = DutchDateField(
        _l("Valid until (optional)"),
        validators=[Optional()],
        description=_l("The token stops working after this day. Leave empty for no end date."),
    )

    def validate_expires_on(self, field) -> None:
        if field.data is not None and field.data < date.today():
            raise ValidationError(_l("Choose today or a day in the future."))

    def to_values(self) -> tuple[str, TokenScope, date | None]:
        return self.name.data, TokenScope(self.scope.data), self.expires_on.data
