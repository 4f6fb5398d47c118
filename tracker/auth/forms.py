from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, ValidationError

from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.security import password_problem


class LoginForm(BaseForm):
    email = EmailField(_l("Email address"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(1024)])
    remember = BooleanField(_l("Stay logged in on this device"))


def validate_new_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[required(), max_length(1024)])
    new_password = PasswordField(
        _l("New password"),
        validators=[required(), validate_new_password],
        description=_l("At least 12 characters. A sentence of a few words works well."),
    )
    confirm = PasswordField(_l("Repeat the new password"), validators=[required()])

    def validate_confirm(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("The two passwords differ."))


class CodeForm(BaseForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[required(), max_length(10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class TotpDisableForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[required(), max_length(1024)])
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[required(), max_length(10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PreferencesForm(BaseForm):
    locale = ChoiceField(
        _l("Language"), choices=[("nl", "Nederlands"), ("en", "English")], validators=[required()]
    )


def email_validator():
    return Email(message=_l("Enter a valid email address."), check_deliverability=False)


__all__ = [
    "CodeForm",
    "TotpDisableForm",
    "LoginForm",
    "PasswordChangeForm",
    "PreferencesForm",
    "SelectField",
    "email_validator",
]
