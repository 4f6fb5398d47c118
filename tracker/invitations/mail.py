"""The invitation mail: queued in the outbox like the evaluation mails, and sent at once when an
SMTP server is configured (otherwise administrators read it on the outbox page and forward it)."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from tracker.auth.services import user_by_email
from tracker.extensions import db
from tracker.mail import services as mail
from tracker.models import Invitation, OutboxMessage
from tracker.models.enums import label
from tracker.textsafe import header_text

KIND = "join_invitation"  # the column holds 20 characters


def accept_link(token: str) -> str:
    """The absolute link, built on the configured public address (never on the request's Host)."""
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    path = url_for("invitations.accept", invite_token=token)
    return f"{base}{path}" if base else url_for("invitations.accept", invite_token=token, _external=True)


def queue(invitation: Invitation, token: str) -> OutboxMessage:
    """Put the invitation mail in the outbox (the view commits, then calls :func:`deliver`)."""
    trajectory = invitation.trajectory
    account = user_by_email(invitation.email)
    with force_locale(account.locale if account and account.locale else "nl"):
        values = {
            "name": header_text(trajectory.name),
            "inviter": invitation.invited_by.name if invitation.invited_by else "BETER SAMEN",
            "organisation": invitation.organisation.name,
            "role": label(invitation.role),
            "layer": label(invitation.layer),
            "link": accept_link(token),
            "until": format_date(invitation.expires_at, "dd-MM-yyyy"),
        }
        subject = _("Invitation to the trajectory %(name)s", **values)
        intro = _(
            "%(inviter)s invites you to take part in the trajectory ‘%(name)s’ in BETER SAMEN, as "
            "%(role)s in the %(layer)s layer for %(organisation)s.",
            **values,
        )
        if account is not None:
            step = _("Log in with this email address and accept the invitation:\n%(link)s", **values)
        else:
            step = _(
                "Open this link to choose your name and password; you then join the trajectory:\n%(link)s",
                **values,
            )
        closing = _(
            "The link works once, until %(until)s. Did you not expect this invitation? Then you can "
            "ignore this message.",
            **values,
        )
        body = "\n\n".join([_("Hello,"), intro, step, closing, _("Kind regards,\nBETER SAMEN")])
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
