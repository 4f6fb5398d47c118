from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import ValidationError

from tracker.auth.forms import NEW_PASSWORD, validate_new_password
from tracker.forms import BaseForm, max_length, required


class AcceptNewForm(BaseForm):
    """A person without an account chooses a name and password to accept the invitation."""

    name = StringField(
        _l("Your name"), validators=[required(), max_length(120)], render_kw={"autocomplete": "name"}
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), validate_new_password],
        description=_l("At least 12 characters. A sentence of a few words works well."),
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(_l("Repeat the password"), validators=[required()], render_kw=NEW_PASSWORD)

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords differ."))


class AcceptForm(BaseForm):
    """A logged-in person accepts the invitation (a button, so that a GET changes nothing)."""
