"""The search box: at most 200 characters, with at least one word or number in it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Length, ValidationError

from tracker.forms import BaseForm
from tracker.search.services import MAX_QUERY_LENGTH, terms_of


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _has_terms(form, field) -> None:
    if field.data and not terms_of(field.data):
        raise ValidationError(_l("Search for a word or a number: punctuation alone finds nothing."))


class SearchForm(BaseForm):
    """Read from the query string (GET), so without a CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search for"),
        filters=[_strip],
        validators=[
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l("Search for at most %(max)d characters.", max=MAX_QUERY_LENGTH),
            ),
            _has_terms,
        ],
    )
