"""Recording notifications as things happen.

Assignments are seen by a session ``after_flush`` hook (like the audit trail's): whenever a flush
gives a checklist item or an action an owner (a new record with an owner, or another owner), and
the member who now owns it is someone else than the signed-in user who made the change, a pending
notification for that member is written in the same transaction. So every path that assigns work
in a request (the forms, the quick changes from a list, the bulk assignment, a member's removal
handing work to a successor) is covered without each remembering to. Writes without a signed-in
user (the import, the demo, the command line) notify nobody.

A round that opens for a member who wants it in the weekly overview is recorded by
``flask evaluations run-due`` through :func:`round_opened`, once per member and round.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.models import (
    Action,
    ChecklistItem,
    EvaluationRound,
    Membership,
    Notification,
    NotificationKind,
    NotificationMode,
    User,
)
from tracker.notifications import preferences

# The records that have an owner, and how a notification names their kind.
SUBJECTS: dict[type, str] = {ChecklistItem: "item", Action: "action"}


def _actor() -> Any:
    """The signed-in user making the change, or None outside a request."""
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user
    return None


def _new_owner(obj: Any, is_new: bool) -> int | None:
    """The membership this flush made the record's owner, or None when it got no (other) owner.
    The owner may have been set by id or as an object (then the flush filled in the id)."""
    owner_id = obj.owner_id
    if owner_id is None or is_new:
        return owner_id
    attrs = sa.inspect(obj).attrs
    by_id, by_object = attrs.owner_id.history, attrs.owner.history
    if not (by_id.has_changes() or by_object.has_changes()):
        return None
    before = by_id.deleted[0] if by_id.deleted else None
    if before is None and by_object.deleted and by_object.deleted[0] is not None:
        before = by_object.deleted[0].id
    return None if before == owner_id else owner_id


def _assignments(session: Session) -> list[tuple[Any, int]]:
    found = []
    for is_new, objects in ((True, session.new), (False, session.dirty)):
        for obj in objects:
            if type(obj) in SUBJECTS and getattr(obj, "archived_at", None) is None:
                owner = _new_owner(obj, is_new)
                if owner is not None:
                    found.append((obj, owner))
    return found


def _after_flush(session: Session, flush_context) -> None:
    assigned = _assignments(session)
    actor = _actor() if assigned else None
    if actor is None:
        return
    connection = session.connection()
    owners = dict(
        connection.execute(
            sa.select(Membership.id, Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id.in_({owner for _obj, owner in assigned}), User.active.is_(True))
        ).all()
    )
    recipients = {owner: user_id for owner, user_id in owners.items() if user_id != actor.id}
    modes = preferences.modes(recipients.values(), NotificationKind.ASSIGNMENT, connection)
    rows = [
        {
            "user_id": recipients[owner],
            "kind": NotificationKind.ASSIGNMENT,
            "trajectory_id": obj.trajectory_id,
            "subject_kind": SUBJECTS[type(obj)],
            "subject_id": obj.id,
            "params": {"title": _title(obj)[:300], "by": actor.name},
            "digest": modes[recipients[owner]] == NotificationMode.DIGEST,
        }
        for obj, owner in assigned
        if owner in recipients and modes[recipients[owner]] != NotificationMode.NONE
    ]
    if rows:
        connection.execute(sa.insert(cast(sa.Table, Notification.__table__)), rows)


def _title(obj: Any) -> str:
    return obj.text if isinstance(obj, ChecklistItem) else obj.title


def round_opened(evaluation_round: EvaluationRound, user: User) -> bool:
    """Note an open round for the user's weekly overview, once per user and round (also when two
    runs do it at once). Returns True when it was noted now."""
    notification = Notification(
        user_id=user.id,
        kind=NotificationKind.ROUND_OPENED,
        trajectory_id=evaluation_round.trajectory_id,
        subject_kind="round",
        subject_id=evaluation_round.id,
        params={"title": evaluation_round.name},
        once_key=round_key(evaluation_round),
        digest=True,
    )
    try:
        with db.session.begin_nested():
            db.session.add(notification)
        return True
    except IntegrityError:
        return False  # noted already, by an earlier run or a concurrent one


def round_key(evaluation_round: EvaluationRound) -> str:
    return f"round:{evaluation_round.id}"


def register() -> None:
    """Listen on every ORM session (idempotent)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
