"""Form building blocks shared by the blueprints (fields with Dutch-ready messages), the choices
of a trajectory's members and of organisations that several features offer, and the error summary
a page shows after a failed submit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flask import g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import DateField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import ListWidget

from tracker.auth import stash
from tracker.models import Membership, Organisation, Trajectory
from tracker.models.enums import label

REQUIRED = _l("This field is required.")
CHOOSE = _l("Choose an option")


def required():
    return DataRequired(message=REQUIRED)


class _InputRequired(InputRequired):
    """Input required, where only spaces count as nothing typed (they parse to no date at all)."""

    def __call__(self, form, field):
        if not field.raw_data or not str(field.raw_data[0]).strip():
            field.errors[:] = []
            raise StopValidation(self.message)


def required_input():
    """Required, for fields that parse their input (dates): keeps the parse error when typed."""
    return _InputRequired(message=REQUIRED)


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def redisplay_on_csrf_failure(view):
    """Mark a form view whose POST only acts through ``validate_on_submit()``: when its CSRF token
    has expired, the page is rendered again with the typed input instead of the error page."""
    view.redisplay_on_csrf_failure = True
    return view


class BaseForm(FlaskForm):
    """A form that strips stray whitespace and refuses NUL characters in text fields."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class in (StringField, TextAreaField) and _strip not in filters:
                unbound_field.kwargs["filters"] = [*filters, _strip]
            return unbound_field.bind(form=form, **options)

        def wrap_formdata(self, form, formdata):
            # On the GET of a page whose form was posted after the session expired: what was typed
            # then (see tracker/auth/stash.py), shown to be checked and saved again.
            if formdata is _Auto and request.method == "GET" and current_user.is_authenticated:
                stashed = stash.restore(current_user.id)
                if stashed is not None:
                    return stashed
            return super().wrap_formdata(form, formdata)

    def validate_on_submit(self, extra_validators=None) -> bool:
        # After an expired CSRF token the page is shown again with the typed input: never act.
        if g.get("csrf_expired"):
            return False
        return super().validate_on_submit(extra_validators)

    def validate(self, extra_validators=None) -> bool:
        # Text with NUL characters is refused before any validator runs: some validators query the
        # database, and PostgreSQL refuses NUL in text.
        refused = False
        for field in self:
            if _has_nul(field.data):
                field.errors = [str(_l("This text contains characters that are not allowed."))]
                refused = True
        if refused:
            return False
        return super().validate(extra_validators)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(isinstance(v, str) and "\x00" in v for v in value)
    return False


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DutchDateField(DateField):
    """A date field whose parse error is a clear message."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d-%m-%Y"], **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                super().process_formdata(valuelist)
            except ValueError:
                self.data = None
                raise ValueError(_l("Enter a valid date (dd-mm-yyyy).")) from None
        else:
            self.data = None


class ChoiceField(SelectField):
    """A select of string values whose invalid choice gives a clear message.

    A required select starts on an empty option ("Choose an option", or ``placeholder``) unless its
    choices already begin with one: nothing is chosen until the user chooses, and the empty value
    is refused as a missing answer. Views that set the choices later get the empty option too."""

    def __init__(self, label=None, validators=None, placeholder=None, **kwargs):
        kwargs.setdefault("coerce", str)
        self.placeholder = placeholder or CHOOSE
        super().__init__(label, validators, **kwargs)

    @property
    def choices(self):
        own = SelectField.choices.fget(self)  # type: ignore[attr-defined]
        if not own or not self.flags.required or str(own[0][0]) == "":
            return own
        return [("", self.placeholder), *own]

    @choices.setter
    def choices(self, value) -> None:
        SelectField.choices.fset(self, value)  # type: ignore[attr-defined]

    def pre_validate(self, form):
        values = [str(choice[0]) for choice in (self.choices or [])]
        if self.data not in values:
            raise ValidationError(_l("Choose one of the options."))


_INDEX = re.compile(r"[0-9]{1,9}")


class BoundedFieldList(FieldList):
    """A list of repeated sub-forms that refuses more entries than ``max_entries`` (what the page
    can show) before building any of them, so a post with thousands of entries costs no work.

    Indices are ASCII digits only (WTForms' own parser trusts ``str.isdigit()``, which accepts "²"
    and then fails in ``int()``)."""

    def __init__(self, *args, max_entries: int, **kwargs):
        super().__init__(*args, max_entries=max_entries, **kwargs)
        self.too_many = False

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix + "-"):
                index = key[offset:].split("-", 1)[0]
                if _INDEX.fullmatch(index):
                    yield int(index)

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.too_many = (
            bool(formdata) and len(set(self._extract_indices(self.name, formdata))) > self.max_entries
        )
        # Too many: build nothing from the input; validation then refuses the form.
        super().process(None if self.too_many else formdata, data, extra_filters)

    def validate(self, form, extra_validators=()):
        if self.too_many:
            self.errors = [str(_l("Too many entries: this form has at most %(n)d.", n=self.max_entries))]
            return False
        return super().validate(form, extra_validators)


@dataclass(frozen=True)
class ErrorItem:
    """One line of the error summary: the message, the field's label, and the id of the element
    the line links to (None for a hidden field, which has nothing to go to)."""

    target: str | None
    label: str
    message: str


def form_error_items(form: Form) -> list[ErrorItem]:
    """The errors of a form, field by field in the form's order (sub-forms and lists included)."""
    return [item for field in form for item in _field_items(field)]


def _field_items(field) -> Iterator[ErrorItem]:
    if isinstance(field, FormField):
        for sub in field:
            yield from _field_items(sub)
        return
    if isinstance(field, FieldList):
        own = [str(e) for e in field.errors if isinstance(e, str)]
        for message in own:
            yield ErrorItem(field.entries[0].id if field.entries else None, str(field.label.text), message)
        for entry in field.entries:
            yield from _field_items(entry)
        return
    hidden = field.type in ("HiddenField", "CSRFTokenField")
    # A list of checkboxes or radios has no element of its own to focus: link to its first option.
    target = f"{field.id}-0" if isinstance(field.widget, ListWidget) else field.id
    for message in field.errors:
        if not isinstance(message, (list, tuple, dict)):
            yield ErrorItem(None if hidden else target, str(field.label.text), str(message))


@pass_context
def page_errors(context: Context) -> list[ErrorItem]:
    """What the error summary of a page lists: the errors of every form the view passed to the
    template (directly, or in a list or dict of forms), then the ``error_items`` it passed itself
    (forms that are not WTForms, such as the ballot). Empty when nothing failed."""
    items: list[ErrorItem] = []
    for value in context.get_all().values():
        if type(value) is dict:  # a dict of forms (one per section); never the session or config
            value = list(value.values())
        for form in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(form, Form) and form.errors:
                items.extend(form_error_items(form))
    items.extend(context.get("error_items") or [])
    return items


def member_choices(trajectory: Trajectory, empty: str | None = None) -> list[tuple[str, str]]:
    """The trajectory's members as (id, "name (organisation, layer)"), after an empty choice."""
    choices = [("", empty)] if empty is not None else [("", _("Choose a member"))]
    return choices + [
        (str(m.id), f"{m.user.name} ({m.organisation.name}, {label(m.layer)})")
        for m in trajectory.memberships
    ]


def organisation_choices(organisations: list[Organisation]) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in organisations]


def chosen_member(trajectory: Trajectory, value: str | None) -> Membership | None:
    """The member a validated choice names; None for the empty choice."""
    return next((m for m in trajectory.memberships if str(m.id) == value), None)


__all__ = [
    "redisplay_on_csrf_failure",
    "BaseForm",
    "BoundedFieldList",
    "ChoiceField",
    "ErrorItem",
    "DutchDateField",
    "Optional",
    "REQUIRED",
    "chosen_member",
    "max_length",
    "member_choices",
    "organisation_choices",
    "required",
    "form_error_items",
    "page_errors",
    "required_input",
]
