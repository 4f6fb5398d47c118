"""Recorded decisions: the end of phase 1 and the start of phase 4. Append-only: history kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import DecisionKind, DecisionOutcome
from tracker.models.user import User

if TYPE_CHECKING:
    from tracker.models.trajectory import Trajectory


class Decision(Base):
    __tablename__ = "decisions"
    __audit_label__ = _l("Decision")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    kind: Mapped[DecisionKind] = mapped_column(
        enum_column(DecisionKind, "kind"), info={"label": _l("Kind of decision")}
    )
    outcome: Mapped[DecisionOutcome] = mapped_column(
        enum_column(DecisionOutcome, "outcome"), info={"label": _l("Decision")}
    )
    rationale: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Rationale")})
    decided_on: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Decided on")})
    # Who took the decision (free text: often a meeting of partners), and who recorded it.
    decided_by: Mapped[str] = mapped_column(sa.String(300), default="", info={"label": _l("Decided by")})
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), info={"label": _l("Recorded by")}
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Phase 1: "eerst uitzoeken" lists the open questions; a go records vision and ambition.
    open_questions: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Open questions to investigate first")}
    )
    shared_vision: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Shared vision")})
    shared_ambition: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Shared ambition")})
    # Phase 4, formal collaboration: the agreement record.
    agreement_goal: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Goal of the collaboration")}
    )
    agreement_target_groups: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Target group(s)")}
    )
    agreement_consists_of: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("What the collaboration consists of")}
    )
    agreement_direction: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Who directs the collaboration (regie)")}
    )
    agreement_accountability: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("What partners hold each other accountable for")}
    )

    trajectory: Mapped[Trajectory] = relationship(back_populates="decisions")
    recorded_by: Mapped[User | None] = relationship()
