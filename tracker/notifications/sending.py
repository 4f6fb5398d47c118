"""``flask notifications send-due``: the batch mails of direct notifications and, once a week, the
weekly overview; then delivery of what is queued.

Idempotent and safe to run every few minutes from several places at once: a pending notification
is claimed (``sent_at`` set where it was empty) in the transaction that queues its mail, so it is
in one mail only; all of a user's pending notifications go in one mail (a burst of assignments is
one message); the weekly overview is made once per user and ISO week (``digest.py``). Mails are
queued in the outbox and each is claimed before it is sent; a failed send stays queued and is
retried on the next run (or by ``flask evaluations run-due``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from tracker.extensions import db
from tracker.mail import services as mail
from tracker.models import Notification, OutboxMessage, User
from tracker.notifications import batches, digest

# The outbox kinds of notification mails.
BATCH, DIGEST = "notification", "digest"


@dataclass
class SendReport:
    batches: int = 0
    digests: int = 0
    sent: int = 0
    failed: int = 0


def send_due(today: date | None = None) -> SendReport:
    today = today or date.today()
    report = SendReport()
    for user_id in _pending_users():
        report.batches += _queue_batch(user_id, today)
    if digest.is_due(today):
        for user in digest.users_without_digest(today):
            report.digests += _queue_digest(user, today)
    if mail.smtp_configured():
        _deliver(report)
    return report


def _pending_users() -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Notification.user_id)
            .where(Notification.sent_at.is_(None), Notification.digest.is_(False))
            .distinct()
            .order_by(Notification.user_id)
        )
    )


def _queue_batch(user_id: int, today: date) -> int:
    """One mail with all of the user's pending direct notifications; 1 when one was queued.
    The notifications of an inactive user are claimed without a mail."""
    user = db.session.get_one(User, user_id)
    claimed = batches.claim(user_id, digest=False)
    groups = batches.group(batches.from_notifications(claimed, today)) if user.active else []
    if groups:
        entries = [entry for group in groups for entry in group.assigned + group.rounds]
        mail.queue(
            "notifications",
            user.email,
            user.locale,
            kind=BATCH,
            recipient=user.name,
            trajectories=groups,
            count=len(entries),
            first=entries[0],
            settings_link=batches.settings_link(),
        )
    db.session.commit()
    return 1 if groups else 0


def _queue_digest(user: User, today: date) -> int:
    """The user's weekly overview, unless this week's was made already; 1 when a mail was queued
    (nothing to report, no mail)."""
    if not digest.mark(user, today):
        db.session.rollback()
        return 0
    groups = digest.contents(user, today)
    if groups:
        mail.queue(
            "digest",
            user.email,
            user.locale,
            kind=DIGEST,
            recipient=user.name,
            trajectories=groups,
            week=digest.week_of(today),
            settings_link=batches.settings_link(),
        )
    db.session.commit()
    return 1 if groups else 0


def _deliver(report: SendReport) -> None:
    """Send every queued notification mail, each claimed first."""
    for message_id in db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.kind.in_((BATCH, DIGEST)))
        .order_by(OutboxMessage.id)
    ).all():
        message = mail.claim(message_id)
        if message is None:
            continue
        if mail.deliver_claimed(message):
            report.sent += 1
        else:
            report.failed += 1
        db.session.commit()
