"""Password resets: request a link, look it up, use it once. Writes flush; views commit.

The raw token exists only in the mailed link; the database keeps its SHA-256 (tracker/tokens.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import sqlalchemy as sa

from tracker.auth.services import set_password, user_by_email
from tracker.extensions import db
from tracker.mail import services as mail
from tracker.models import OutboxMessage, PasswordReset, utcnow
from tracker.tokens import LinkState, link_state, lookup_hash, new_token

VALID_FOR = timedelta(hours=1)
KIND = "password_reset"  # the outbox column holds 20 characters


def request_reset(email: str) -> tuple[PasswordReset, str] | None:
    """A new link for the active account with this address, and its raw token (for the mail
    only); None when there is no such account (the caller answers the same either way)."""
    user = user_by_email(email)
    if user is None or not user.active:
        return None
    token, token_hash, expires_at = new_token(VALID_FOR)
    reset = PasswordReset(user=user, token_hash=token_hash, expires_at=expires_at)
    db.session.add(reset)
    db.session.flush()
    return reset, token


def queue_mail(reset: PasswordReset, token: str) -> OutboxMessage:
    """The mail with the link, in the outbox (the view commits, then has it delivered)."""
    user = reset.user
    return mail.queue(
        "password_reset",
        user.email,
        user.locale,
        kind=KIND,
        recipient=user.name,
        link=mail.absolute_url("passwords.reset", reset_token=token),
    )


def by_token(token: str) -> PasswordReset | None:
    """The reset behind a link; None for a forged link or an account that is no longer active."""
    token_hash = lookup_hash(token)
    if token_hash is None:
        return None
    reset = db.session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == token_hash))
    return reset if reset is not None and reset.user.active else None


def state(reset: PasswordReset) -> LinkState:
    return link_state(expires_at=reset.expires_at, used_at=reset.used_at)


def complete(reset: PasswordReset, password: str) -> bool:
    """Use the link: set the new password and end every session of the user (the password
    change rotates the session token). The link is used up atomically, so two requests with it
    never both succeed; the user's other open links stop working too. False when the link was
    used or expired meanwhile (nothing changed). Raises ``AccountError`` for a refused password."""
    now = utcnow()
    claimed = cast(
        "sa.CursorResult[Any]",
        db.session.execute(
            sa.update(PasswordReset)
            .where(
                PasswordReset.id == reset.id,
                PasswordReset.used_at.is_(None),
                PasswordReset.expires_at > now,
            )
            .values(used_at=now)
        ),
    ).rowcount
    if not claimed:
        return False
    set_password(reset.user, password)
    db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.flush()
    return True
