"""Quick changes from a list row: the small status form every list of actions and checklist items
shows per row, and the way back to exactly the list (and filters) the change was made from."""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlsplit, urlunsplit

from flask import flash, request
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from tracker.auth.routes import safe_next
from tracker.concurrency import CONFLICT_MESSAGE
from tracker.forms import BaseForm, ChoiceField, required


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


def statuses_of(obj) -> list[Enum]:
    """The statuses a row's record can take (its status enum), for its select."""
    status: Enum = obj.status
    return list(type(status).__members__.values())


def back_to(fallback: str, anchor: str) -> str:
    """The page the row was shown on (the ``next`` field: a local path only, anything else is
    ignored) with the row's anchor; ``fallback`` when there is none."""
    target = safe_next(request.form.get("next")) or fallback
    parts = urlsplit(target)
    return urlunsplit(parts._replace(fragment=anchor))
