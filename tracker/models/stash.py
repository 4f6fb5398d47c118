"""What a form posted after its session expired held, kept until the same user logs in again."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, utcnow


class FormStash(Base):
    """The posted fields (JSON: a list of [name, value] pairs) and the page they belong to.

    Never passwords, codes, tokens or files (see tracker/auth/stash.py). Not audited: nothing is
    changed until the user saves the form again."""

    __tablename__ = "form_stashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    fields: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<FormStash {self.id} user={self.user_id}>"
