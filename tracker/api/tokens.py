"""Personal access tokens: made, listed, revoked and checked. Writes flush; views commit.

A token is ``bst_`` followed by 43 random URL-safe characters (256 bits); the database keeps only
its SHA-256 (:func:`tracker.tokens.hash_token`), so a copy of the database holds no working token.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import ApiToken, TokenScope, User, utcnow
from tracker.tokens import hash_token

PREFIX = "bst_"
MAX_LENGTH = 100
# The last use is written at most once a minute per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


def create_token(
    user: User, name: str, scope: TokenScope, expires_on: date | None = None
) -> tuple[str, ApiToken]:
    """A new token for ``user``: the secret (shown once, never stored) and the stored record. It
    stops working at the end of ``expires_on`` (UTC), or never."""
    secret = PREFIX + secrets.token_urlsafe(32)
    expires_at = datetime.combine(expires_on + timedelta(days=1), time()) if expires_on else None
    token = ApiToken(
        user_id=user.id, name=name, token_hash=hash_token(secret), scope=scope, expires_at=expires_at
    )
    db.session.add(token)
    db.session.flush()
    return secret, token


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones too, so the list says what happened)."""
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def token_of(user: User, token_id: int) -> ApiToken | None:
    """One of the user's own tokens; another user's token is not found."""
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.flush()


def bearer_secret(header: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, or None."""
    scheme, _, value = (header or "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value.startswith(PREFIX) or len(value) > MAX_LENGTH:
        return None
    return value


def authenticate(secret: str | None) -> ApiToken | None:
    """The usable token with this secret (not revoked, not expired, its user active), or None.
    Records when it was last used."""
    if secret is None:
        return None
    token = db.session.scalar(
        sa.select(ApiToken)
        .where(ApiToken.token_hash == hash_token(secret))
        .options(joinedload(ApiToken.user))
    )
    now = utcnow()
    if token is None or not token.usable(now) or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        db.session.execute(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.session.commit()
    return token
