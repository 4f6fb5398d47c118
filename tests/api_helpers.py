"""Helpers for the API tests: a token for a user, and requests that carry it."""

from __future__ import annotations

from tracker.api.tokens import create_token
from tracker.extensions import db
from tracker.models import TokenScope


def token_for(user, scope: TokenScope = TokenScope.READ_WRITE, **kwargs) -> str:
    secret, _token = create_token(user, "test", scope, **kwargs)
    db.session.commit()
    return secret


def bearer(secret: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **headers}
