"""Quick changes from a list row: the small status form every list of actions and checklist items
shows per row, and the way back to exactly the list (and filters) the change was made from."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from flask import flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import HiddenField

from tracker.auth.routes import safe_next
from tracker.concurrency import CONFLICT_MESSAGE, commit_or_conflict
from tracker.forms import BaseForm, ChoiceField, required
from tracker.localecache import memo
from tracker.models.enums import LabeledEnum, choices, label

S = TypeVar("S", bound=LabeledEnum)


class QuickStatusForm(BaseForm):
    """One row's status, the version it was shown with and the list it was shown in."""

    status = ChoiceField(_l("Status"), validators=[required()])
    version = HiddenField()
    next = HiddenField()

    def is_stale(self, obj) -> bool:
        """Whether someone saved ``obj`` after the row was shown: then nothing is written and the
        conflict message says to try again (no lost update)."""
        if str(self.version.data or "") != str(obj.version):
            flash(str(CONFLICT_MESSAGE), "error")
            return True
        return False


def change_status(obj, statuses: type[S], save: Callable[[S], object], done: Callable[[], str]) -> None:
    """A row's status form, posted: a status that is not one of ``statuses`` changes nothing, nor
    does a stale version (the conflict message) or an archived record; otherwise ``save`` writes
    the new status and it is committed, and ``done()`` (read after saving) is flashed. The view
    then redirects back to the list, at the row."""
    form = QuickStatusForm()
    form.status.choices = choices(statuses)
    if not form.validate_on_submit():
        flash(_("The status has not been changed: choose one of the options."), "error")
    elif obj.archived_at is None and not form.is_stale(obj):
        with commit_or_conflict() as outcome:
            save(statuses(form.status.data))
        if outcome.saved:
            flash(done(), "success")


def statuses_of(obj) -> list[Enum]:
    """The statuses a row's record can take (its status enum), for its select."""
    status: Enum = obj.status
    return list(type(status).__members__.values())


_OPTION = Markup('<option value="{}"{}>{}</option>')
_SELECTED = Markup(" selected")


def status_options(obj) -> Markup:
    """The options of a row's status select, its own status selected: made once per request,
    locale and status (a list shows the same few hundreds of times)."""
    status = obj.status
    made = memo("status_options")
    key = (type(status), status)
    if made is not None and key in made:
        return made[key]
    html = Markup("").join(
        _OPTION.format(s.value, _SELECTED if s == status else "", label(s)) for s in statuses_of(obj)
    )
    if made is not None:
        made[key] = html
    return html


def back_to(fallback: str, anchor: str) -> str:
    """The page the row was shown on (the ``next`` field: a local path only, anything else is
    ignored) with the row's anchor; ``fallback`` when there is none."""
    target = safe_next(request.form.get("next")) or fallback
    parts = urlsplit(target)
    return urlunsplit(parts._replace(fragment=anchor))
