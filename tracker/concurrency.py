"""No lost updates: every editable record carries a version that travels with its form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import flash
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from tracker import audit
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


# --- one-click changes (move, archive, restore, close) ------------------------------------------

CONFLICT_MESSAGE = _l("Someone else has just changed this; please try again.")


class Outcome:
    """What :func:`commit_or_conflict` did: ``saved`` is False after a concurrent change."""

    saved = True


@contextmanager
def commit_or_conflict() -> Iterator[Outcome]:
    """Run the block and commit; when someone changed the same record in the meantime
    (StaleDataError, at the block's flushes or at the commit) roll everything back, flash the
    Dutch "try again" message and carry on with ``outcome.saved`` False, never a 500.

        with commit_or_conflict() as outcome:
            services.archive_action(action)
        if outcome.saved:
            flash(...)
    """
    outcome = Outcome()
    try:
        yield outcome
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        outcome.saved = False
        flash(str(CONFLICT_MESSAGE), "error")


def lock_parent(model, parent_id: int) -> None:
    """Serialise reorderings under one parent (a section, a trajectory): lock its row until the
    transaction ends, so the positions read next are the latest. ``FOR NO KEY UPDATE`` does not
    block rows that merely reference the parent. SQLite writes one transaction at a time anyway."""
    db.session.execute(sa.select(model.id).where(model.id == parent_id).with_for_update(key_share=True))


def set_positions(model, positions: dict[int, int]) -> None:
    """Write new positions with plain UPDATE statements, in id order (no deadlocks between movers).

    Reordering is not an edit of the record: it must not bump the version that guards its
    content, or every open edit form of a moved item would report a false conflict. An UPDATE
    statement bypasses the versioned unit of work (``version_id_col``) for exactly this column,
    while every other change still goes through the versioned mapper.
    """
    current: dict[int, int] = dict(
        db.session.execute(sa.select(model.id, model.position).where(model.id.in_(positions))).all()
    )
    for object_id, position in sorted(positions.items()):
        if current.get(object_id) == position:
            continue
        db.session.execute(sa.update(model).where(model.id == object_id).values(position=position))
        # The move stays in the history, as it was when positions went through the versioned mapper.
        audit.record(
            db.session(),
            db.session.get_one(model, object_id),
            "update",
            {"position": [current.get(object_id), position]},
        )
