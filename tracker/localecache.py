"""Translations and locale-dependent texts looked up once per request and locale.

Flask-Babel resolves the context, the domain and the locale again on every ``gettext`` (about
10 µs each; a long page calls it hundreds of times, in templates and in properties such as a
plan's title). The caches live on Flask-Babel's own per-request context, next to the locale they
belong to: ``force_locale`` (mails in the recipient's language) changes the locale object, and
with it every cache here.
"""

from __future__ import annotations

from typing import Any

from flask.globals import _cv_app
from flask_babel import get_translations


def _babel_context() -> Any:
    """Flask-Babel's context of this request (None outside one, or before the locale is known).
    Read from the application context directly: ``g`` through its proxy costs more than the
    lookups it guards."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    context = getattr(app_context.g, "_flask_babel", None)
    return context if getattr(context, "babel_locale", None) is not None else None


def translations() -> Any:
    """The translations of the request's locale (Flask-Babel's ``get_translations``)."""
    context = _babel_context()
    if context is None:
        return get_translations()
    locale = context.babel_locale
    cached = getattr(context, "tracker_translations", None)
    if cached is None or cached[0] is not locale:
        cached = (locale, get_translations())
        context.tracker_translations = cached
    return cached[1]


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext``: the translation, formatted with ``variables`` if any."""
    s = translations().ugettext(string)
    return s % variables if variables else s


def memo(name: str) -> dict[Any, Any] | None:
    """A dict for this request and locale (None outside a request): texts that depend only on
    their input and the locale (labels, dates), made once per page however often it shows them."""
    context = _babel_context()
    if context is None:
        return None
    locale = context.babel_locale
    attr = f"tracker_memo_{name}"
    cached = getattr(context, attr, None)
    if cached is None or cached[0] is not locale:
        cached = (locale, {})
        setattr(context, attr, cached)
    return cached[1]


def text(value: Any) -> str:
    """``str(value)`` of a lazy string (a model's or column's label), made once per request and
    locale. Keyed by the object (a lazy string hashes by translating itself), which the entry keeps
    so its id is not reused while the request lasts."""
    texts = memo("lazy")
    if texts is None:
        return str(value)
    entry = texts.get(id(value))
    if entry is None or entry[0] is not value:
        entry = texts[id(value)] = (value, str(value))
    return entry[1]
