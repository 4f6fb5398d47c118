"""The invitation mail: queued in the outbox like the evaluation mails, and sent at once when an
SMTP server is configured (otherwise administrators read it on the outbox page and forward it)."""

from __future__ import annotations

from flask import current_app, url_for

from tracker.auth.services import user_by_email
from tracker.extensions import db
from tracker.mail import services as mail
from tracker.models import Invitation, OutboxMessage
from tracker.textsafe import header_text

KIND = "join_invitation"  # the column holds 20 characters


def accept_link(token: str) -> str:
    """The absolute link, built on the configured public address (never on the request's Host)."""
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    path = url_for("invitations.accept", invite_token=token)
    return f"{base}{path}" if base else url_for("invitations.accept", invite_token=token, _external=True)


def queue(invitation: Invitation, token: str) -> OutboxMessage:
    """Put the invitation mail in the outbox (the view commits, then calls :func:`deliver`)."""
    account = user_by_email(invitation.email)
    subject, body = mail.render(
        "invitation",
        account.locale if account else None,
        name=header_text(invitation.trajectory.name),
        inviter=invitation.invited_by.name if invitation.invited_by else "BETER SAMEN",
        organisation=invitation.organisation.name,
        role=invitation.role,
        layer=invitation.layer,
        link=accept_link(token),
        until=invitation.expires_at,
        has_account=account is not None,
    )
    message = OutboxMessage(
        round_id=None,
        membership_id=None,
        kind=KIND,
        to_email=invitation.email,
        subject=header_text(subject)[:300],
        body=body,
    )
    db.session.add(message)
    db.session.flush()
    return message


def deliver(message_id: int, token: str) -> None:
    """Send a queued invitation through SMTP when configured; claim it first, as the scheduled
    sender does. After delivery the stored copy no longer carries the token. A failure leaves the
    message queued for the next ``flask evaluations run-due``."""
    if not mail.smtp_configured():
        return
    message = mail.claim(message_id)
    if message is None:
        return
    if mail.deliver_claimed(message):
        message.body = message.body.replace(token, "…")
    db.session.commit()
