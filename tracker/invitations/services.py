"""Invitations: create, resend, revoke, look up by token and accept. Writes flush; views commit.

The raw token exists only in the link sent by mail; the database keeps its SHA-256. Creating an
invitation does the same work whether or not the address has an account, so that the member form
does not tell a project lead who has an account.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.auth.services import normalise_email, user_by_email
from tracker.extensions import db
from tracker.models import Invitation, Layer, Membership, Organisation, Role, Trajectory, User, utcnow
from tracker.tokens import LinkState, link_state, lookup_hash, new_token

VALID_FOR = timedelta(days=7)


class InvitationError(ValueError):
    """A user-facing reason why an invitation is refused (already a member, already invited)."""


def _new_token(invitation: Invitation) -> str:
    token, invitation.token_hash, invitation.expires_at = new_token(VALID_FOR)
    return token


def is_member(trajectory: Trajectory, email: str) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .join(User, Membership.user_id == User.id)
            .where(Membership.trajectory_id == trajectory.id, User.email == normalise_email(email))
        )
        or 0
    ) > 0


def pending(trajectory: Trajectory) -> list[Invitation]:
    """Invitations not accepted and not revoked (expired ones too: they can be resent)."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.trajectory_id == trajectory.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .options(joinedload(Invitation.organisation))
            .order_by(Invitation.id)
        )
    )


def invite(
    trajectory: Trajectory, email: str, organisation: Organisation, layer: Layer, role: Role, *, by: User
) -> tuple[Invitation, str]:
    """A new invitation and its raw token (for the mail only)."""
    email = normalise_email(email)
    if is_member(trajectory, email):
        raise InvitationError("member")
    if any(i.email == email for i in pending(trajectory)):
        raise InvitationError("invited")
    invitation = Invitation(
        trajectory_id=trajectory.id,
        email=email,
        organisation=organisation,
        layer=layer,
        role=role,
        invited_by=by,
    )
    token = _new_token(invitation)
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def resend(invitation: Invitation) -> str:
    """A new token and a new expiry: the old link no longer works."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationError("closed")
    token = _new_token(invitation)
    db.session.flush()
    return token


def revoke(invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()


def by_token(token: str) -> Invitation | None:
    token_hash = lookup_hash(token)
    if token_hash is None:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == token_hash))


def state(invitation: Invitation, now: datetime | None = None) -> LinkState:
    return link_state(
        expires_at=invitation.expires_at,
        used_at=invitation.accepted_at,
        revoked_at=invitation.revoked_at,
        now=now,
    )


def accept(invitation: Invitation, user: User) -> Membership | None:
    """Make the user a member as invited; None when they already were one. The invitation is
    used up either way. The caller has checked that it is pending and that the e-mail matches."""
    invitation.accepted_at = utcnow()
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.trajectory_id == invitation.trajectory_id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(
            trajectory_id=invitation.trajectory_id,
            user=user,
            organisation_id=invitation.organisation_id,
            layer=invitation.layer,
            role=invitation.role,
        )
        db.session.add(membership)
        db.session.flush()
        return membership
    db.session.flush()
    return None


def account_exists(invitation: Invitation) -> bool:
    return user_by_email(invitation.email) is not None
