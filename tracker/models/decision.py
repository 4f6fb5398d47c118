"""Recorded decisions: the end of phase 1 and the start of phase 4. Append-only: history kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import DecisionKind, DecisionOutcome
from tracker.models.user import User

if TYPE_CHECKING:
    from tracker.models.trajectory import Trajectory


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "kind"))
    outcome: Mapped[DecisionOutcome] = mapped_column(enum_column(DecisionOutcome, "outcome"))
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    decided_on: Mapped[date] = mapped_column(sa.Date)
    # Who took the decision (free text: often a meeting of partners), and who recorded it.
    decided_by: Mapped[str] = mapped_column(sa.String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Phase 1: "eerst uitzoeken" lists the open questions; a go records vision and ambition.
    open_questions: Mapped[str] = mapped_column(sa.Text, default="")
    shared_vision: Mapped[str] = mapped_column(sa.Text, default="")
    shared_ambition: Mapped[str] = mapped_column(sa.Text, default="")
    # Phase 4, formal collaboration: the agreement record.
    agreement_goal: Mapped[str] = mapped_column(sa.Text, default="")
    agreement_target_groups: Mapped[str] = mapped_column(sa.Text, default="")
    agreement_consists_of: Mapped[str] = mapped_column(sa.Text, default="")
    agreement_direction: Mapped[str] = mapped_column(sa.Text, default="")
    agreement_accountability: Mapped[str] = mapped_column(sa.Text, default="")

    trajectory: Mapped[Trajectory] = relationship(back_populates="decisions")
    recorded_by: Mapped[User | None] = relationship()
