"""Collaboration trajectories and their members."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import Layer, Role, TrajectoryStatus
from tracker.models.organisation import Organisation
from tracker.models.user import User

if TYPE_CHECKING:
    from tracker.models.checklist import ChecklistItem, Phase
    from tracker.models.decision import Decision
    from tracker.models.reflection import StartReflection


class Trajectory(Base):
    __tablename__ = "trajectories"
    __audit_label__ = _l("Trajectory")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    theme: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Theme")})
    target_groups: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Target group(s)")})
    area: Mapped[str] = mapped_column(sa.String(200), default="", info={"label": _l("Area")})
    coordinator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), info={"label": _l("Coordinator")}
    )
    focus_layer: Mapped[Layer] = mapped_column(
        enum_column(Layer, "focus_layer"), info={"label": _l("Centre of gravity")}
    )
    start_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Start date")})
    status: Mapped[TrajectoryStatus] = mapped_column(
        enum_column(TrajectoryStatus, "status"),
        default=TrajectoryStatus.ACTIEF,
        info={"label": _l("Status")},
    )
    template_version: Mapped[int] = mapped_column(default=1, info={"label": _l("Template version")})
    # Process analysis: do parents and children pursue the same goals as the partners?
    client_goals: Mapped[str | None] = mapped_column(
        sa.String(10), info={"label": _l("Do parents and children pursue the same goals as the partners?")}
    )
    client_goals_note: Mapped[str] = mapped_column(
        sa.Text, default="", server_default="", info={"label": _l("Explanation")}
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    coordinator: Mapped[User | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="trajectory", cascade="all, delete-orphan", order_by="Membership.id"
    )
    phases: Mapped[list[Phase]] = relationship(
        back_populates="trajectory", cascade="all, delete-orphan", order_by="Phase.number"
    )
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="trajectory", cascade="all, delete-orphan", order_by="ChecklistItem.id"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="trajectory",
        cascade="all, delete-orphan",
        order_by="Decision.id.desc()",
    )
    reflections: Mapped[list[StartReflection]] = relationship(
        back_populates="trajectory", cascade="all, delete-orphan", order_by="StartReflection.position"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Trajectory {self.id} {self.name}>"


class Membership(Base):
    __tablename__ = "memberships"
    __audit_label__ = _l("Member")
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True, info={"label": _l("User")}
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id"), info={"label": _l("Organisation")}
    )
    layer: Mapped[Layer] = mapped_column(enum_column(Layer, "layer"), info={"label": _l("Layer")})
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), info={"label": _l("Role")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    trajectory: Mapped[Trajectory] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_name(self) -> str:
        return f"{self.user.name} ({self.organisation.name})"

    def __repr__(self) -> str:
        return f"<Membership {self.user_id}@{self.trajectory_id} {self.role}>"
