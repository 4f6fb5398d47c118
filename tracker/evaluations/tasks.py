"""``flask evaluations run-due``: open due rounds, send invitations and reminders, close rounds.

Idempotent and safe to run every few minutes from several places at once: rounds are unique per
trajectory and date, messages are unique per round, member and kind, and a message is claimed
(``sent_at`` set where it was empty) before it is sent, so no invitation or reminder goes out twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from tracker.evaluations import mail
from tracker.evaluations.services import current_planned, invited_members, materialise
from tracker.extensions import db
from tracker.models import Ballot, EvaluationRound, EvaluationSchedule, OutboxMessage, Trajectory, utcnow


@dataclass
class RunReport:
    opened: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0


def _link(evaluation_round: EvaluationRound) -> str:
    try:
        return url_for("evaluations.round_view", trajectory_id=evaluation_round.trajectory_id,
                       round_id=evaluation_round.id, _external=True)
    except RuntimeError:
        base = current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
        return f"{base}/trajecten/{evaluation_round.trajectory_id}/evaluaties/{evaluation_round.id}"


def _queue(evaluation_round: EvaluationRound, membership, kind: str) -> bool:
    trajectory = evaluation_round.trajectory
    closes = evaluation_round.closes_on.strftime("%d-%m-%Y")
    if kind == "invitation":
        subject = f"Evaluatieronde {evaluation_round.name} — {trajectory.name}"
        body = (f"Beste {membership.user.name},\n\nDe evaluatieronde {evaluation_round.name} van ‘{trajectory.name}’ "
                f"is geopend. Geef per kritische succesfactor een groene, oranje of rode kaart, uiterlijk op {closes}.\n\n"
                f"{_link(evaluation_round)}\n\nMet vriendelijke groet,\nBETER SAMEN")
    else:
        subject = f"Herinnering: evaluatieronde {evaluation_round.name} sluit op {closes}"
        body = (f"Beste {membership.user.name},\n\nU heeft nog niet gestemd in de evaluatieronde "
                f"{evaluation_round.name} van ‘{trajectory.name}’. De ronde sluit op {closes}.\n\n"
                f"{_link(evaluation_round)}\n\nMet vriendelijke groet,\nBETER SAMEN")
    message = OutboxMessage(round_id=evaluation_round.id, membership_id=membership.id, kind=kind,
                            to_email=membership.user.email, subject=subject, body=body)
    try:
        with db.session.begin_nested():
            db.session.add(message)
        return True
    except IntegrityError:
        return False  # already queued, by an earlier run or a concurrent one


def run_due(today: date | None = None) -> RunReport:
    today = today or date.today()
    report = RunReport()
    # 1. Open due rounds: the round of every active schedule whose window contains today.
    for schedule in db.session.scalars(sa.select(EvaluationSchedule).where(EvaluationSchedule.active.is_(True))):
        planned = current_planned(schedule, today)
        if planned and planned.opens_on <= today <= planned.closes_on:
            existed = db.session.scalar(sa.select(EvaluationRound.id).where(
                EvaluationRound.trajectory_id == schedule.trajectory_id, EvaluationRound.opens_on == planned.opens_on))
            materialise(schedule, planned)
            report.opened += 0 if existed else 1
    db.session.commit()
    # 2. Invitations for open rounds, reminders for those who have not voted.
    open_rounds = db.session.scalars(sa.select(EvaluationRound).where(
        EvaluationRound.opens_on <= today, EvaluationRound.closes_on >= today))
    for evaluation_round in open_rounds:
        trajectory = db.session.get(Trajectory, evaluation_round.trajectory_id)
        voted = set(db.session.scalars(sa.select(Ballot.membership_id).where(Ballot.round_id == evaluation_round.id)))
        for membership in invited_members(evaluation_round, trajectory):
            if not membership.user.active:
                continue
            report.queued += _queue(evaluation_round, membership, "invitation")
            if evaluation_round.remind_on and today >= evaluation_round.remind_on and membership.id not in voted:
                report.queued += _queue(evaluation_round, membership, "reminder")
    db.session.commit()
    # 3. Send what is queued (when SMTP is configured), each message claimed before sending.
    if mail.smtp_configured():
        for message_id in db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))):
            claimed = db.session.execute(
                sa.update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
                .values(sent_at=utcnow())
            ).rowcount
            db.session.commit()
            if not claimed:
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                mail.send(message)
            except Exception as exc:  # noqa: BLE001 - any delivery failure is retried on the next run
                message.sent_at = None
                message.error = f"{type(exc).__name__}: {exc}"[:500]
                report.failed += 1
                current_app.logger.warning("mail_failed message=%s error=%s", message.id, type(exc).__name__)
            else:
                message.error = ""
                report.sent += 1
            db.session.commit()
    return report
