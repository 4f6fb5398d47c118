"""What templates get besides the request: date and number filters, enum labels, and the access
predicates and page helpers as globals (so a template hides what a user may not do)."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from tracker import access, navigation, quick
from tracker.auth.sessions import remaining
from tracker.forms import page_errors
from tracker.models import Layer
from tracker.models.enums import label


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


def register(app: Flask) -> None:
    app.add_template_filter(datum, "datum")
    app.add_template_filter(datumtijd, "datumtijd")
    app.add_template_filter(decimal, "decimal")
    app.add_template_filter(layerlabel, "layerlabel")
    app.add_template_filter(label, "label")
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
        session_remaining=remaining,
    )
