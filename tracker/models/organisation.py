"""Partner organisations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import Sector


class Organisation(Base):
    __tablename__ = "organisations"
    __audit_label__ = _l("Organisation")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True, info={"label": _l("Name")})
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "sector"), info={"label": _l("Sector")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
