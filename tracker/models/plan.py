"""Phase 4's action plans, run in PDCA cycles, with actions and milestones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.localecache import gettext as _
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.labeled import LabeledEnum
from tracker.models.organisation import Organisation

if TYPE_CHECKING:
    from tracker.models.network import Objective
    from tracker.models.trajectory import Membership, Trajectory

DUE_SOON_DAYS = 14


class PlanKind(LabeledEnum):
    EXTERN = "extern", _l("External plan (the collaboration)")
    INTERN = "intern", _l("Internal plan (one organisation)")


class PlanStatus(LabeledEnum):
    CONCEPT = "concept", _l("Draft")
    ACTIEF = "actief", _l("Active")
    AFGEROND = "afgerond", _l("Completed")


class ActionSource(LabeledEnum):
    """Where an action comes from: the kind stored in ``Action.source_type`` next to the source's
    id. How each kind is loaded, labelled and linked lives in :mod:`tracker.actions.sources`."""

    CHECKLIST_ITEM = "checklist_item", _l("from a checklist item")
    RED_CARD = "red_card", _l("from an evaluation card")
    MEETING_AGREEMENT = "meeting_agreement", _l("from a meeting agreement")
    PROCESS_STEP = "process_step", _l("from a bottleneck in the client path")
    WORKSHOP_STEP = "workshop_step", _l("a first step from a workshop")
    WORKSHOP_JOINT_STEP = "workshop_joint_step", _l("a joint step from a workshop")


class PdcaStage(LabeledEnum):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    CHECK = "check", "Check"
    ACT = "act", "Act"


class ActDecision(LabeledEnum):
    BIJSTELLEN = "bijstellen", _l("Adjust")
    DOORGAAN = "doorgaan", _l("Continue")
    STOPPEN = "stoppen", _l("Stop")


class ActionStatus(LabeledEnum):
    GEPLAND = "gepland", _l("Planned")
    BEZIG = "bezig", _l("Under way")
    GEREED = "gereed", _l("Finished")
    GEBLOKKEERD = "geblokkeerd", _l("Blocked")
    VERVALLEN = "vervallen", _l("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.GEPLAND, ActionStatus.BEZIG, ActionStatus.GEBLOKKEERD)


class MilestoneState(LabeledEnum):
    OP_SCHEMA = "op_schema", _l("On schedule")
    RISICO = "risico", _l("At risk")
    TE_LAAT = "te_laat", _l("Late")
    BEHAALD = "behaald", _l("Achieved")


class Plan(Base):
    __tablename__ = "plans"
    __audit_label__ = _l("Action plan")
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind, "kind"), info={"label": _l("Kind of plan")})
    # "extern", or "intern-<organisation id>": one external plan, one internal plan per organisation.
    scope: Mapped[str] = mapped_column(sa.String(40), info={"label": _l("Scope")})
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), info={"label": _l("Organisation")}
    )
    responsible_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"),
        info={"label": _l("Responsible for execution and follow-up")},
    )
    purpose: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Purpose")})
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, "status"), default=PlanStatus.ACTIEF, info={"label": _l("Status")}
    )
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
        return plan_title(self.kind, self.organisation.name if self.organisation else None)


def plan_title(kind: PlanKind, organisation_name: str | None) -> str:
    """A plan's title: the external plan, or the internal plan of its organisation."""
    if kind == PlanKind.EXTERN:
        return _("External action plan")
    return f"{_('Internal action plan')} {organisation_name or ''}".strip()


class Cycle(Base):
    __tablename__ = "cycles"
    __audit_label__ = _l("Cycle")
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True, info={"label": _l("Plan")}
    )
    number: Mapped[int] = mapped_column(info={"label": _l("Number")})
    start_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Start date")})
    end_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("End date")})
    stage: Mapped[PdcaStage] = mapped_column(
        enum_column(PdcaStage, "stage"), default=PdcaStage.PLAN, info={"label": _l("Stage of the cycle")}
    )
    plan_text: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Plan: what, and which targets")}
    )
    do_text: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Do: what was done")})
    check_text: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Check: findings against milestones and results")}
    )
    act_text: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Act: what we adjust")})
    act_decision: Mapped[ActDecision | None] = mapped_column(
        enum_column(ActDecision, "act_decision"), info={"label": _l("Act: decision")}
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Closed")})
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
    __audit_label__ = _l("Milestone")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True, info={"label": _l("Plan")}
    )
    title: Mapped[str] = mapped_column(sa.String(300), info={"label": _l("Title")})
    target_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Target date")})
    expected_result: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Expected result")})
    achieved_on: Mapped[date | None] = mapped_column(sa.Date, info={"label": _l("Achieved on")})
    actual_result: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Actual result")})
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
    __audit_label__ = _l("Action")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True, info={"label": _l("Plan")}
    )
    cycle_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cycles.id", ondelete="CASCADE"), index=True, info={"label": _l("Cycle")}
    )
    carried_from_cycle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cycles.id", ondelete="SET NULL"), info={"label": _l("Carried over from cycle")}
    )
    milestone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("milestones.id", ondelete="SET NULL"),
        index=True,
        info={"label": _l("Leads to milestone")},
    )
    # An action can hang under an objective of a shared ambition: ambition → objective → action.
    objective_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("objectives.id", ondelete="SET NULL"),
        index=True,
        info={"label": _l("Serves objective (shared ambition)")},
    )
    title: Mapped[str] = mapped_column(sa.String(300), info={"label": _l("Title")})
    description: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Description")})
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"),
        index=True,
        info={"label": _l("Owner")},
    )
    due_date: Mapped[date | None] = mapped_column(sa.Date, index=True, info={"label": _l("Due date")})
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "status"),
        default=ActionStatus.GEPLAND,
        info={"label": _l("Status")},
    )
    stage: Mapped[PdcaStage] = mapped_column(
        enum_column(PdcaStage, "stage"), default=PdcaStage.PLAN, info={"label": _l("PDCA stage")}
    )
    result: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Result achieved")})
    # Where the action comes from: an ActionSource value and the source's id.
    source_type: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Source")})
    source_id: Mapped[int | None] = mapped_column(info={"label": _l("Source record")})
    source_key: Mapped[str | None] = mapped_column(
        sa.String(60), info={"label": _l("Source detail")}
    )  # e.g. the factor of a red card
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Archived")})
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
