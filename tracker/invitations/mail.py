"""The invitation mail: queued in the outbox like every mail, and sent at once when an SMTP server
is configured (otherwise administrators read it on the outbox page and forward it)."""

from __future__ import annotations

from tracker.auth.services import user_by_email
from tracker.mail import services as mail
from tracker.models import Invitation, OutboxMessage
from tracker.textsafe import header_text

KIND = "join_invitation"  # the column holds 20 characters


def accept_link(token: str) -> str:
    """The absolute link, built on the configured public address (never on the request's Host)."""
    return mail.absolute_url("invitations.accept", invite_token=token)


def queue(invitation: Invitation, token: str) -> OutboxMessage:
    """Put the invitation mail in the outbox (the view commits, then calls ``mail.deliver_now``
    with the token, which the stored copy loses once the mail is sent)."""
    account = user_by_email(invitation.email)
    return mail.queue(
        "invitation",
        invitation.email,
        account.locale if account else None,
        kind=KIND,
        name=header_text(invitation.trajectory.name),
        inviter=invitation.invited_by.name if invitation.invited_by else "BETER SAMEN",
        organisation=invitation.organisation.name,
        role=invitation.role,
        layer=invitation.layer,
        link=accept_link(token),
        until=invitation.expires_at,
        has_account=account is not None,
    )
