"""Personal access tokens for the JSON API: only a hash of the secret is kept."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.labeled import LabeledEnum

if TYPE_CHECKING:
    from tracker.models.user import User


class TokenScope(LabeledEnum):
    READ = "read", _l("Read only")
    READ_WRITE = "read_write", _l("Read and write")


class ApiToken(Base):
    """A user's token. The secret (``bst_`` and 43 random characters) is shown once when it is
    made; the database holds its SHA-256 only, so a copy of the database holds no working token.
    Not audited: it changes nothing in a trajectory (what is done with it is audited as the user)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "scope"), default=TokenScope.READ)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def writes(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id}>"
