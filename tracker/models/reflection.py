"""The start reflection: the five aspects to consider before starting."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import Movement

if TYPE_CHECKING:
    from tracker.models.trajectory import Trajectory


class StartReflection(Base):
    __tablename__ = "start_reflections"
    __audit_label__ = _l("Start reflection")
    __audit_summary_lang__ = "nl"  # summarised by its text, mostly the handreiking's (Dutch)
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "aspect_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    aspect_key: Mapped[str] = mapped_column(sa.String(50), info={"label": _l("Aspect")})
    position: Mapped[int] = mapped_column(info={"label": _l("Position")})
    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    explanation: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Explanation")})
    movement: Mapped[Movement | None] = mapped_column(
        enum_column(Movement, "movement"), info={"label": _l("How far are we in motion?")}
    )
    note: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Reflection")})
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    trajectory: Mapped[Trajectory] = relationship(back_populates="reflections")

    __mapper_args__ = {"version_id_col": version}
