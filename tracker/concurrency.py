"""No lost updates: every editable record carries a version that travels with its form."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db


def save_unless_stale(form, obj, apply: Callable[[], object]) -> bool:
    """Apply the change and commit, unless someone saved ``obj`` since the form was loaded.
    ``obj`` None means a new record: nothing can be stale, so it is simply saved.

    On a conflict nothing is written, the form keeps the user's input and now carries the
    current version, so saving again deliberately replaces the other change. Returns True when
    saved.
    """
    if obj is not None and form.version.data not in (None, "") and str(form.version.data) != str(obj.version):
        form.version.data = str(obj.version)
        return False
    try:
        apply()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        if obj is None:
            raise
        db.session.refresh(obj)
        form.version.data = str(obj.version)
        return False
    return True
