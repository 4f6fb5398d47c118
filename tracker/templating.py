"""What templates get besides the request: date and number filters, enum labels, and the access
predicates and page helpers as globals (so a template hides what a user may not do)."""

from __future__ import annotations

from flask import Flask, g, has_app_context
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations

from tracker import access, navigation, quick
from tracker.auth.sessions import remaining
from tracker.forms import page_errors
from tracker.models import Layer
from tracker.models.enums import label
from tracker.pagecache import per_request


def datum(value, fmt: str = "d MMMM y") -> str:
    return format_date(value, fmt) if value else ""


def datumtijd(value) -> str:
    return format_datetime(value, "d MMMM y HH:mm") if value else ""


def decimal(value, fmt: str | None = None) -> str:
    return format_decimal(value, fmt) if value is not None else ""


def layerlabel(value: str) -> str:
    try:
        return label(Layer(value))
    except ValueError:
        return value


def _translations():
    """The translations of the request's locale, looked up once per request and locale.

    Flask-Babel resolves the context, the domain and the locale again on every ``_()`` in a
    template (about 10 µs each, a few hundred times on a long page); ``force_locale`` (mails in
    the recipient's language) changes the locale object, and with it the cached translations."""
    if not has_app_context():
        return get_translations()
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        return get_translations()
    cached = getattr(context, "tracker_translations", None)
    if cached is None or cached[0] is not locale:
        cached = (locale, get_translations())
        context.tracker_translations = cached
    return cached[1]


def register(app: Flask) -> None:
    app.add_template_filter(datum, "datum")
    app.add_template_filter(datumtijd, "datumtijd")
    app.add_template_filter(decimal, "decimal")
    app.add_template_filter(layerlabel, "layerlabel")
    app.add_template_filter(label, "label")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
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
        # Per request: a marker while the page cache records a page (tracker/pagecache.py).
        session_remaining=per_request("remaining", remaining),
    )
