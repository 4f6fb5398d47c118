"""Phase 4's action plans, run in PDCA cycles, with actions and milestones."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.organisation import Organisation

if TYPE_CHECKING:
    from tracker.models.network import Objective
    from tracker.models.trajectory import Membership, Trajectory

DUE_SOON_DAYS = 14


class PlanKind(enum.StrEnum):
    EXTERN = "extern"
    INTERN = "intern"


class PlanStatus(enum.StrEnum):
    CONCEPT = "concept"
    ACTIEF = "actief"
    AFGEROND = "afgerond"


class ActionSource(enum.StrEnum):
    """Where an action comes from: the kind stored in ``Action.source_type`` next to the source's
    id. How each kind is loaded, labelled and linked lives in :mod:`tracker.actions.sources`."""

    CHECKLIST_ITEM = "checklist_item"
    RED_CARD = "red_card"
    MEETING_AGREEMENT = "meeting_agreement"
    PROCESS_STEP = "process_step"
    WORKSHOP_STEP = "workshop_step"


class PdcaStage(enum.StrEnum):
    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"


class ActDecision(enum.StrEnum):
    BIJSTELLEN = "bijstellen"
    DOORGAAN = "doorgaan"
    STOPPEN = "stoppen"


class ActionStatus(enum.StrEnum):
    GEPLAND = "gepland"
    BEZIG = "bezig"
    GEREED = "gereed"
    GEBLOKKEERD = "geblokkeerd"
    VERVALLEN = "vervallen"


OPEN_ACTION_STATUSES = (ActionStatus.GEPLAND, ActionStatus.BEZIG, ActionStatus.GEBLOKKEERD)


class MilestoneState(enum.StrEnum):
    OP_SCHEMA = "op_schema"
    RISICO = "risico"
    TE_LAAT = "te_laat"
    BEHAALD = "behaald"


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind, "kind"))
    # "extern", or "intern-<organisation id>": one external plan, one internal plan per organisation.
    scope: Mapped[str] = mapped_column(sa.String(40))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, "status"), default=PlanStatus.ACTIEF)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    trajectory: Mapped[Trajectory] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    responsible: Mapped[Membership | None] = relationship()
    cycles: Mapped[list[Cycle]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Cycle.number"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="(Milestone.target_date, Milestone.id)"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def current_cycle(self) -> Cycle | None:
        open_cycles = [c for c in self.cycles if c.closed_at is None]
        return open_cycles[-1] if open_cycles else (self.cycles[-1] if self.cycles else None)

    @property
    def title(self) -> str:
        if self.kind == PlanKind.EXTERN:
            return "Extern actieplan"
        return f"Intern actieplan {self.organisation.name if self.organisation else ''}".strip()


class Cycle(Base):
    __tablename__ = "cycles"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)
    stage: Mapped[PdcaStage] = mapped_column(enum_column(PdcaStage, "stage"), default=PdcaStage.PLAN)
    plan_text: Mapped[str] = mapped_column(sa.Text, default="")
    do_text: Mapped[str] = mapped_column(sa.Text, default="")
    check_text: Mapped[str] = mapped_column(sa.Text, default="")
    act_text: Mapped[str] = mapped_column(sa.Text, default="")
    act_decision: Mapped[ActDecision | None] = mapped_column(enum_column(ActDecision, "act_decision"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="cycles")
    actions: Mapped[list[Action]] = relationship(
        back_populates="cycle", foreign_keys="Action.cycle_id", order_by="(Action.due_date, Action.id)"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def period_days(self) -> int:
        return (self.end_date - self.start_date).days


class Milestone(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    target_date: Mapped[date] = mapped_column(sa.Date)
    expected_result: Mapped[str] = mapped_column(sa.Text, default="")
    achieved_on: Mapped[date | None] = mapped_column(sa.Date)
    actual_result: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="milestones")
    actions: Mapped[list[Action]] = relationship(
        back_populates="milestone", order_by="(Action.due_date, Action.id)"
    )

    __mapper_args__ = {"version_id_col": version}

    def state(self, today: date) -> MilestoneState:
        """Behaald when achieved; te laat past its date; risico when due within 14 days with work
        still open, or when an action leading to it is late or blocked; otherwise op schema."""
        if self.achieved_on is not None:
            return MilestoneState.BEHAALD
        if self.target_date < today:
            return MilestoneState.TE_LAAT
        live = [a for a in self.actions if a.archived_at is None]
        if any(a.is_overdue(today) or a.status == ActionStatus.GEBLOKKEERD for a in live):
            return MilestoneState.RISICO
        if self.target_date <= today + timedelta(days=DUE_SOON_DAYS) and any(a.is_open for a in live):
            return MilestoneState.RISICO
        return MilestoneState.OP_SCHEMA


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    carried_from_cycle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cycles.id", ondelete="SET NULL"))
    milestone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    # An action can hang under an objective of a shared ambition: ambition → objective → action.
    objective_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("objectives.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"), index=True
    )
    due_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "status"), default=ActionStatus.GEPLAND
    )
    stage: Mapped[PdcaStage] = mapped_column(enum_column(PdcaStage, "stage"), default=PdcaStage.PLAN)
    result: Mapped[str] = mapped_column(sa.Text, default="")
    # Where the action comes from: an ActionSource value and the source's id.
    source_type: Mapped[str | None] = mapped_column(sa.String(40))
    source_id: Mapped[int | None]
    source_key: Mapped[str | None] = mapped_column(sa.String(60))  # e.g. the factor of a red card
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship()
    cycle: Mapped[Cycle] = relationship(back_populates="actions", foreign_keys=[cycle_id])
    carried_from: Mapped[Cycle | None] = relationship(foreign_keys=[carried_from_cycle_id])
    milestone: Mapped[Milestone | None] = relationship(back_populates="actions")
    owner: Mapped[Membership | None] = relationship()
    objective: Mapped[Objective | None] = relationship()

    __table_args__ = (sa.Index("ix_actions_source", "source_type", "source_id"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today: date) -> bool:
        return (
            self.is_open
            and self.due_date is not None
            and today <= self.due_date <= today + timedelta(days=DUE_SOON_DAYS)
        )
