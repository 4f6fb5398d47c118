"""What templates get besides the request: date and number filters, enum labels, and the access
predicates and page helpers as globals (so a template hides what a user may not do)."""

from __future__ import annotations

import enum
from typing import Any

from flask import Flask, g
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_eval_context
from markupsafe import Markup

from tracker import access, navigation, quick
from tracker.auth.sessions import remaining
from tracker.forms import page_errors
from tracker.localecache import memo, translations
from tracker.models import Layer
from tracker.models.enums import label
from tracker.pagecache import per_request


def datum(value, fmt: str = "d MMMM y") -> str:
    if not value:
        return ""
    texts = memo("dates")
    if texts is None:
        return format_date(value, fmt)
    key = (type(value), value, fmt)
    text = texts.get(key)
    if text is None:
        text = texts[key] = format_date(value, fmt)
    return text


def datumtijd(value) -> str:
    if not value:
        return ""
    texts = memo("datetimes")
    if texts is None:
        return format_datetime(value, "d MMMM y HH:mm")
    text = texts.get(value)
    if text is None:
        text = texts[value] = format_datetime(value, "d MMMM y HH:mm")
    return text


def decimal(value, fmt: str | None = None) -> str:
    return format_decimal(value, fmt) if value is not None else ""


def layerlabel(value: str) -> str:
    try:
        return label(Layer(value))
    except ValueError:
        return value


@pass_eval_context
def _gettext(eval_ctx, string: str, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates: Jinja's newstyle gettext (the translation, marked
    safe where the template autoescapes, always formatted with its variables), without its second
    pass through the template context for the translation function."""
    rv = translations().ugettext(string)
    if eval_ctx.autoescape:
        # As Jinja's own newstyle gettext: the catalogue's text is trusted, the variables are escaped
        # by Markup's ``%`` below.
        rv = Markup(rv)  # nosec B704
    if not variables and "%" not in rv:
        return rv  # what ``rv % {}`` gives, without Markup's formatting machinery
    return rv % variables


def labelled(value: enum.Enum | None) -> str:
    """The ``label`` filter: :func:`label`, looked up once per request, locale and member (a long
    list shows the same few statuses hundreds of times)."""
    texts = memo("labels")
    if texts is None:
        return label(value)
    key = (type(value), value)
    text = texts.get(key)
    if text is None:
        text = texts[key] = label(value)
    return text


def _csrf_field(app: Flask) -> str:
    return app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"


def register(app: Flask) -> None:
    app.add_template_filter(datum, "datum")
    app.add_template_filter(datumtijd, "datumtijd")
    app.add_template_filter(decimal, "decimal")
    app.add_template_filter(layerlabel, "layerlabel")
    app.add_template_filter(labelled, "label")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_gettext, gettext=_gettext)
    field = _csrf_field(app)

    def csrf_token() -> str:
        """Flask-WTF's ``csrf_token()``: the request's token once it is made (a page has one in
        every form), without reading the configuration again on each call."""
        token = g.get(field)
        return token if token is not None else generate_csrf()

    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals.update(
        can_view=access.can_view,
        can_edit=access.can_edit,
        can_manage=access.can_manage,
        can_add_organisation=access.can_add_organisation,
        membership_of=access.membership_of,
        results_visible=access.results_visible,
        trajectory_menu=navigation.menu_for,
        get_locale=get_locale,
        page_errors=page_errors,
        statuses_of=quick.statuses_of,
        status_options=quick.status_options,
        # Per request: a marker while the page cache records a page (tracker/pagecache.py).
        session_remaining=per_request("remaining", remaining),
    )
