from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Optional, ValidationError

from tracker.admin.services import organisation_by_name
from tracker.auth.forms import NEW_PASSWORD, NOT_MINE, email_validator, validate_new_password
from tracker.forms import BaseForm, ChoiceField, max_length, required
from tracker.models.enums import Sector, choices


class UserCreateForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[required(), email_validator(), max_length(254)],
        render_kw=NOT_MINE,
    )
    name = StringField(_l("Name"), validators=[required(), max_length(120)], render_kw=NOT_MINE)
    password = PasswordField(
        _l("Password"),
        validators=[required(), validate_new_password],
        description=_l("At least 12 characters. Share it with the user in a safe way."),
        render_kw=NEW_PASSWORD,
    )
    is_admin = BooleanField(_l("Administrator"))


class UserEditForm(BaseForm):
    version = HiddenField()
    name = StringField(_l("Name"), validators=[required(), max_length(120)], render_kw=NOT_MINE)
    is_admin = BooleanField(_l("Administrator"))
    active = BooleanField(_l("Active (may log in)"))
    new_password = PasswordField(
        _l("New password"),
        validators=[Optional(), validate_new_password],
        description=_l("Leave empty to keep the current password."),
        render_kw=NEW_PASSWORD,
    )


class SecuritySettingsForm(BaseForm):
    require_2fa_for_admins = BooleanField(_l("Administrators must use two-factor login"))


class OrganisationForm(BaseForm):
    version = HiddenField()
    name = StringField(_l("Name"), validators=[required(), max_length(200)], render_kw=NOT_MINE)
    sector = ChoiceField(_l("Sector"), choices=choices(Sector), validators=[required()])

    def __init__(self, *args, existing_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._existing_id = existing_id

    def validate_name(self, field):
        other = organisation_by_name(field.data or "")
        if other is not None and other.id != self._existing_id:
            raise ValidationError(_l("An organisation with this name already exists."))


__all__ = ["SecuritySettingsForm", "OrganisationForm", "UserCreateForm", "UserEditForm"]
