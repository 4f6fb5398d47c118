"""``flask evaluations run-due``: open due rounds, send invitations and reminders, close rounds.

Idempotent and safe to run every few minutes from several places at once: rounds are unique per
trajectory and date, messages are unique per round, member and kind, and a message is claimed
(``sent_at`` set where it was empty) before it is sent, so no invitation or reminder goes out twice.

Each member gets the invitation as they chose for "an evaluation round opens for me"
(``tracker.notifications``): directly (the invitation and the reminder below), noted for their
weekly overview (once per round), or not at all.

Only members who have not voted get an invitation or a reminder, and never both together: a
reminder is queued only for an invitation queued before the reminder day (by an earlier run), and is
not sent while that invitation is still waiting or went out in the same run. Such a message is marked
as not sent (``sent_at`` set, ``error`` one of the ``SKIPPED_*`` codes), so it is never retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tracker.evaluations import wording
from tracker.evaluations.schedules import current_planned, materialise
from tracker.evaluations.voting import invited_members
from tracker.extensions import db
from tracker.mail import services as mail
from tracker.models import (
    Ballot,
    EvaluationRound,
    EvaluationSchedule,
    Notification,
    NotificationKind,
    NotificationMode,
    OutboxMessage,
    Trajectory,
)
from tracker.notifications import preferences, recording

SKIPPED_VOTED = "skipped:voted"
SKIPPED_INVITATION = "skipped:invitation"


@dataclass
class RunReport:
    opened: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def _queue(evaluation_round: EvaluationRound, membership, kind: str) -> bool:
    trajectory = evaluation_round.trajectory
    message = mail.compose(
        "round_invitation" if kind == "invitation" else "round_reminder",
        membership.user.email,
        membership.user.locale,
        kind=kind,
        round_id=evaluation_round.id,
        membership_id=membership.id,
        recipient=membership.user.name,
        round_name=evaluation_round.name,
        trajectory_name=trajectory.name,
        closes=evaluation_round.closes_on,
        framework=evaluation_round.framework,
        cadence=wording.schedule_cadence(evaluation_round),
        link=mail.absolute_url(
            "evaluations.round_view",
            trajectory_id=evaluation_round.trajectory_id,
            round_id=evaluation_round.id,
        ),
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
        return True
    except IntegrityError:
        return False  # already queued, by an earlier run or a concurrent one


def _invite_or_remind(evaluation_round: EvaluationRound, membership, invited: dict, today: date) -> bool:
    """The invitation of a member who wants it directly, or later the reminder."""
    if membership.id not in invited:
        return _queue(evaluation_round, membership, "invitation")
    remind_on = evaluation_round.remind_on
    if remind_on and today >= remind_on and invited[membership.id].date() < remind_on:
        # A reminder only after an invitation of before the reminder day: an invitation
        # made on or after that day already says when the round closes.
        return _queue(evaluation_round, membership, "reminder")
    return False


def run_due(today: date | None = None) -> RunReport:
    today = today or date.today()
    report = RunReport()
    # 1. Open due rounds: the round of every active schedule whose window contains today.
    for schedule in db.session.scalars(
        sa.select(EvaluationSchedule).where(EvaluationSchedule.active.is_(True))
    ):
        planned = current_planned(schedule, today)
        if planned and planned.opens_on <= today <= planned.closes_on:
            existed = db.session.scalar(
                sa.select(EvaluationRound.id).where(
                    EvaluationRound.trajectory_id == schedule.trajectory_id,
                    EvaluationRound.opens_on == planned.opens_on,
                )
            )
            materialise(schedule, planned)
            report.opened += 0 if existed else 1
    db.session.commit()
    # 2. Invitations for open rounds, reminders for those who have not voted.
    open_rounds = db.session.scalars(
        sa.select(EvaluationRound).where(
            EvaluationRound.opens_on <= today, EvaluationRound.closes_on >= today
        )
    )
    for evaluation_round in open_rounds:
        trajectory = db.session.get_one(Trajectory, evaluation_round.trajectory_id)
        voted = set(
            db.session.scalars(sa.select(Ballot.membership_id).where(Ballot.round_id == evaluation_round.id))
        )
        invited = dict(
            db.session.execute(
                sa.select(OutboxMessage.membership_id, OutboxMessage.created_at).where(
                    OutboxMessage.round_id == evaluation_round.id, OutboxMessage.kind == "invitation"
                )
            ).all()
        )
        members = [
            m for m in invited_members(evaluation_round, trajectory) if m.user.active and m.id not in voted
        ]
        modes = preferences.modes([m.user_id for m in members], NotificationKind.ROUND_OPENED)
        noted = set(
            db.session.scalars(
                sa.select(Notification.user_id).where(
                    Notification.once_key == recording.round_key(evaluation_round)
                )
            )
        )
        for membership in members:
            mode = modes[membership.user_id]
            if mode == NotificationMode.DIRECT:
                report.queued += _invite_or_remind(evaluation_round, membership, invited, today)
            elif mode == NotificationMode.DIGEST and membership.user_id not in noted:
                recording.round_opened(evaluation_round, membership.user)
    db.session.commit()
    # 3. Send what is queued (when SMTP is configured), each message claimed before sending.
    if mail.smtp_configured():
        _send_queued(report)
    return report


def _skip_reason(message: OutboxMessage, sent_now: set[int]) -> str | None:
    """Why a claimed invitation or reminder must not go out (anymore), or None."""
    if (
        message.round_id is None
        or message.membership_id is None
        or message.kind not in ("invitation", "reminder")
    ):
        return None
    if db.session.scalar(
        sa.select(Ballot.id).where(
            Ballot.round_id == message.round_id, Ballot.membership_id == message.membership_id
        )
    ):
        return SKIPPED_VOTED
    if message.kind == "reminder":
        invitation = db.session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.round_id == message.round_id,
                OutboxMessage.membership_id == message.membership_id,
                OutboxMessage.kind == "invitation",
            )
        )
        if invitation is not None and (invitation.sent_at is None or invitation.id in sent_now):
            return SKIPPED_INVITATION
    return None


def _send_queued(report: RunReport) -> None:
    sent_now: set[int] = set()
    for message_id in db.session.scalars(
        sa.select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    ).all():
        message = mail.claim(message_id)
        if message is None:
            continue
        skip = _skip_reason(message, sent_now)
        if skip:
            message.error = skip  # stays claimed: never sent, never retried
            report.skipped += 1
            current_app.logger.info("mail_skipped message=%s reason=%s", message.id, skip)
            db.session.commit()
            continue
        if mail.deliver_claimed(message):
            report.sent += 1
            sent_now.add(message.id)
        else:
            report.failed += 1
        db.session.commit()
