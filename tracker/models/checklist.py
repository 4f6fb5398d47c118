"""The four phases of the handreiking as owned checklists, copied into each trajectory."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import ItemStatus, Layer

if TYPE_CHECKING:
    from tracker.models.trajectory import Membership, Trajectory


class Phase(Base):
    __tablename__ = "phases"
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    closing: Mapped[str] = mapped_column(sa.Text, default="")
    # The phase's planning, set by project leads: when work is meant to start and to be finished.
    planned_start: Mapped[date | None] = mapped_column(sa.Date, info={"label": _l("Planned start")})
    target_date: Mapped[date | None] = mapped_column(sa.Date, info={"label": _l("Target date")})

    trajectory: Mapped[Trajectory] = relationship(back_populates="phases")
    sections: Mapped[list[Section]] = relationship(
        back_populates="phase", cascade="all, delete-orphan", order_by="Section.position"
    )


class Section(Base):
    __tablename__ = "sections"
    __table_args__ = (sa.UniqueConstraint("phase_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(sa.ForeignKey("phases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(200))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    outro: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int]

    phase: Mapped[Phase] = relationship(back_populates="sections")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="section", order_by="(ChecklistItem.position, ChecklistItem.id)"
    )


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __audit_label__ = _l("Item")
    __audit_summary_lang__ = "nl"  # summarised by its text, mostly the handreiking's (Dutch)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sections.id", ondelete="CASCADE"), index=True, info={"label": _l("Section")}
    )
    position: Mapped[int] = mapped_column(info={"label": _l("Position")})
    text: Mapped[str] = mapped_column(sa.Text, info={"label": _l("Question or point of attention")})
    is_custom: Mapped[bool] = mapped_column(default=False, info={"label": _l("Added by the trajectory")})
    answer: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Answer")})
    status: Mapped[ItemStatus] = mapped_column(
        enum_column(ItemStatus, "status"), default=ItemStatus.OPEN, info={"label": _l("Status")}
    )
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"),
        index=True,
        info={"label": _l("Owner")},
    )
    accountable_layer: Mapped[Layer | None] = mapped_column(
        enum_column(Layer, "accountable_layer"), info={"label": _l("Accountable layer")}
    )
    due_date: Mapped[date | None] = mapped_column(sa.Date, info={"label": _l("Due date")})
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Archived")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    trajectory: Mapped[Trajectory] = relationship(back_populates="items")
    section: Mapped[Section] = relationship(back_populates="items")
    owner: Mapped[Membership | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status in (ItemStatus.OPEN, ItemStatus.IN_BEHANDELING)
        )
