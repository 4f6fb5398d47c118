"""Accounts."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, utcnow


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, Base):
    __tablename__ = "users"
    __audit_label__ = _l("User")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, info={"label": _l("Email address")})
    name: Mapped[str] = mapped_column(sa.String(120), info={"label": _l("Name")})
    password_hash: Mapped[str] = mapped_column(sa.String(255), info={"label": _l("Password")})
    is_admin: Mapped[bool] = mapped_column(default=False, info={"label": _l("Administrator")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl", info={"label": _l("Language")})
    # Part of the login cookie's id: rotating it ends every existing session of the user.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), default=new_session_token, info={"label": _l("Sessions")}
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optional TOTP two-factor login: the shared secret once the user has confirmed a code.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64), info={"label": _l("Two-factor login")})
    # The last TOTP time step accepted for this user: a code of that step or earlier is refused,
    # so a code works once.
    totp_last_step: Mapped[int | None] = mapped_column(
        sa.BigInteger, info={"label": _l("Last two-factor code")}
    )
    # The secret part of the personal calendar feed's URL; renewing it revokes the old URL.
    calendar_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token, index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    # When the login behind this object's session was made (Unix seconds; not stored: it travels
    # in the session and the remember-me cookie, both signed). Set at login and by the loader.
    login_issued_at = cast("int | None", None)  # no annotation: the ORM would try to map it

    def get_id(self) -> str:
        """The login's id: user id, session token and issue time (see auth.services.load_user)."""
        issued = self.login_issued_at if self.login_issued_at is not None else int(time.time())
        return f"{self.id}:{self.session_token}:{issued}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie issued so far."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class PasswordReset(Base):
    """A request for a new password: a single-use link sent by mail, valid for an hour.

    Only the SHA-256 of the link's token is stored (see tracker/tokens.py). Not audited itself:
    the new password shows in the audit trail as a change of the user's password."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id} user={self.user_id}>"
