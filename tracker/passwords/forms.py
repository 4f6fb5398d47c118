from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import ValidationError

from tracker.auth.forms import email_validator, validate_new_password
from tracker.forms import BaseForm, max_length, required


class ForgotForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[required(), max_length(254), email_validator()],
        render_kw={"autocomplete": "email"},
    )


class ResetForm(BaseForm):
    """The new password, under the same policy as everywhere (tracker.security.password_problem)."""

    new_password = PasswordField(
        _l("New password"),
        validators=[required(), validate_new_password],
        description=_l("At least 12 characters. A sentence of a few words works well."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[required()], render_kw={"autocomplete": "new-password"}
    )

    def validate_confirm(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("The two passwords differ."))
