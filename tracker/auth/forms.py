from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, ValidationError

from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.security import password_problem

# Autocomplete tokens (WCAG 1.3.5) for the fields about the person filling in the form; fields
# about someone else (an administrator adding a user, a lead inviting a member) take "off", so
# that the browser never offers the filler's own details there.
USERNAME = {"autocomplete": "username"}
CURRENT_PASSWORD = {"autocomplete": "current-password"}
NEW_PASSWORD = {"autocomplete": "new-password"}
NOT_MINE = {"autocomplete": "off"}


class LoginForm(BaseForm):
    email = EmailField(_l("Email address"), validators=[required(), max_length(254)], render_kw=USERNAME)
    password = PasswordField(
        _l("Password"), validators=[required(), max_length(1024)], render_kw=CURRENT_PASSWORD
    )
    remember = BooleanField(_l("Stay logged in on this device"))


def validate_new_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[required(), max_length(1024)], render_kw=CURRENT_PASSWORD
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[required(), validate_new_password],
        description=_l("At least 12 characters. A sentence of a few words works well."),
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(_l("Repeat the new password"), validators=[required()], render_kw=NEW_PASSWORD)

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
    current_password = PasswordField(
        _l("Current password"), validators=[required(), max_length(1024)], render_kw=CURRENT_PASSWORD
    )
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
    "CURRENT_PASSWORD",
    "CodeForm",
    "NEW_PASSWORD",
    "NOT_MINE",
    "USERNAME",
    "TotpDisableForm",
    "LoginForm",
    "PasswordChangeForm",
    "PreferencesForm",
    "SelectField",
    "email_validator",
]
