"""The weekly overview: per trajectory the user's overdue work and work due within two weeks (when
the user wants it) and the notifications the user chose to get weekly.

It is made on the first run of ``flask notifications send-due`` on or after the configured weekday
(``NOTIFICATIONS_DIGEST_WEEKDAY``, 1 = Monday … 7 = Sunday; a missed day is made up later in the
week), once per user and ISO week: a marker row per user and week is inserted in the transaction
that queues the mail, and a second run (or a concurrent one) cannot insert it again.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import DigestMarker, NotificationKind, NotificationMode, User
from tracker.notifications import batches, preferences


def weekday() -> int:
    """The ISO weekday of the overview (1 = Monday)."""
    return int(current_app.config.get("NOTIFICATIONS_DIGEST_WEEKDAY") or 1)


def is_due(today: date) -> bool:
    return today.isoweekday() >= weekday()


def week_of(today: date) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def users_without_digest(today: date) -> list[User]:
    """The active users whose overview of this week has not been made."""
    made = sa.select(DigestMarker.user_id).where(DigestMarker.week == week_of(today))
    return list(
        db.session.scalars(
            sa.select(User).where(User.active.is_(True), User.id.not_in(made)).order_by(User.id)
        )
    )


def mark(user: User, today: date) -> bool:
    """Claim this week's overview for the user; False when it was made already."""
    try:
        with db.session.begin_nested():
            db.session.add(DigestMarker(user_id=user.id, week=week_of(today)))
        return True
    except IntegrityError:
        return False


def contents(user: User, today: date) -> list[batches.TrajectoryEntries]:
    """What the overview lists: the claimed weekly notifications and, unless the user turned it
    off, the due work."""
    found = batches.from_notifications(batches.claim(user.id, digest=True), today)
    if preferences.mode_for(user.id, NotificationKind.DUE_WORK) == NotificationMode.DIGEST:
        found += batches.due_work(user.id, today)
    return batches.group(found)
