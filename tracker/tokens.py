"""Single-use links sent by mail (invitations, password resets).

The link carries a random token; the database keeps only its SHA-256, so a copy of the database
(or a backup) holds no working link. A link is pending until it is used, revoked or expired.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from tracker.models import utcnow

# Longer than any token we make (43 characters); a longer value is not looked up at all.
MAX_TOKEN_LENGTH = 100


class LinkState(StrEnum):
    PENDING = "pending"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(valid_for: timedelta) -> tuple[str, str, datetime]:
    """A fresh token, its hash (to store) and its expiry."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), utcnow() + valid_for


def lookup_hash(token: str | None) -> str | None:
    """The hash to look the token up by; None for a value that cannot be one of ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return hash_token(token)


def link_state(
    *,
    expires_at: datetime,
    used_at: datetime | None,
    revoked_at: datetime | None = None,
    now: datetime | None = None,
) -> LinkState:
    if used_at is not None:
        return LinkState.USED
    if revoked_at is not None:
        return LinkState.REVOKED
    if expires_at <= (now or utcnow()):
        return LinkState.EXPIRED
    return LinkState.PENDING
