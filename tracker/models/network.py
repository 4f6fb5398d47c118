"""The work inside phases 1–3: the network, its meetings, the client path and shared ambitions
(the ambition workshop is in :mod:`tracker.models.workshop`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base, db
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.labeled import LabeledEnum
from tracker.models.organisation import Organisation

if TYPE_CHECKING:
    from tracker.models.trajectory import Membership

MAX_ACTIVE_AMBITIONS = 3


class Perception(LabeledEnum):
    JA = "ja", _l("Yes")
    DEELS = "deels", _l("Partly")
    NEE = "nee", _l("No")


class Relation(LabeledEnum):
    FORMEEL = "formeel", _l("Formal")
    INFORMEEL = "informeel", _l("Informal")
    GEEN = "geen", _l("No relation yet")


class ResultKind(LabeledEnum):
    PROBLEEM = "probleem", _l("A problem to tackle")
    BESCHERMEND = "beschermende_factor", _l("A protective factor to strengthen")


class NetworkPartner(Base):
    __tablename__ = "network_partners"
    __audit_label__ = _l("Network partner")
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id"), info={"label": _l("Organisation")}
    )
    contribution: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Current contribution for the target group")}
    )
    ambition: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Ambition for the target group")}
    )
    perception: Mapped[Perception | None] = mapped_column(
        enum_column(Perception, "perception"), info={"label": _l("Shares the problem perception")}
    )
    direction: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Which way it is moving (collaboration, funding, …)")}
    )
    relation: Mapped[Relation | None] = mapped_column(
        enum_column(Relation, "relation"), info={"label": _l("Current relation")}
    )
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"),
        info={"label": _l("Who in our organisation holds the contact")},
    )
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[Membership | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Meeting(Base):
    __tablename__ = "meetings"
    __audit_label__ = _l("Network meeting")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    held_on: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Date")})
    place: Mapped[str] = mapped_column(sa.String(200), default="", info={"label": _l("Place")})
    purpose: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Purpose")})
    outcome_bestuur: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Outcome of the board (bestuur) group")}
    )
    outcome_management: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Outcome of the management group")}
    )
    outcome_uitvoerend: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Outcome of the professionals' group")}
    )
    outcome_mixed: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Outcome of the mixed round")}
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Notes")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id"
    )
    agreements: Mapped[list[Agreement]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Agreement.id"
    )

    __mapper_args__ = {"version_id_col": version}


class MeetingAttendee(Base):
    """A member, or a guest with organisation and layer."""

    __tablename__ = "meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    guest_name: Mapped[str] = mapped_column(sa.String(200), default="")
    guest_organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    guest_layer: Mapped[str] = mapped_column(sa.String(30), default="")
    # A member's name, copied when they are recorded as present and kept after they leave.
    member_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    membership: Mapped[Membership | None] = relationship()

    @property
    def is_guest(self) -> bool:
        return self.membership_id is None and not self.member_name

    @property
    def display_name(self) -> str:
        if self.membership is not None:
            return self.membership.user.name
        return self.member_name or self.guest_name


class Agreement(Base):
    """A working agreement ("werkafspraak") made in a meeting; it becomes an action."""

    __tablename__ = "agreements"
    __audit_label__ = _l("Working agreement")

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True, info={"label": _l("Meeting")}
    )
    text: Mapped[str] = mapped_column(sa.Text, info={"label": _l("Working agreement")})
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"), info={"label": _l("Owner")}
    )
    due_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Due date")})
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("actions.id", ondelete="SET NULL"), info={"label": _l("Action")}
    )

    meeting: Mapped[Meeting] = relationship(back_populates="agreements")
    owner: Mapped[Membership | None] = relationship()


process_step_organisations = sa.Table(
    "process_step_organisations",
    db.metadata,
    sa.Column("step_id", sa.ForeignKey("process_steps.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class ProcessStep(Base):
    """One step of the client path, from signalling to aftercare."""

    __tablename__ = "process_steps"
    __audit_label__ = _l("Process step")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    position: Mapped[int] = mapped_column(info={"label": _l("Position")})
    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Step")})
    function: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("What happens in this step (the function)")}
    )
    gap: Mapped[bool] = mapped_column(default=False, info={"label": _l("Gap (hiaat)")})
    overlap: Mapped[bool] = mapped_column(default=False, info={"label": _l("Overlap")})
    waiting: Mapped[bool] = mapped_column(default=False, info={"label": _l("Waiting time (wachttijd)")})
    handover: Mapped[bool] = mapped_column(
        default=False, info={"label": _l("Faltering handover (haperende overdracht)")}
    )
    bottleneck: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("Description of the bottleneck")}
    )
    solution: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("What and who is needed to solve it")}
    )
    version: Mapped[int] = mapped_column(default=1)

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=process_step_organisations, order_by="Organisation.name"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def flagged(self) -> bool:
        return self.gap or self.overlap or self.waiting or self.handover


class Ambition(Base):
    """A shared ambition: the result for children and youth, with concrete objectives."""

    __tablename__ = "ambitions"
    __audit_label__ = _l("Shared ambition")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    title: Mapped[str] = mapped_column(sa.String(300), info={"label": _l("Shared ambition")})
    result_kind: Mapped[ResultKind] = mapped_column(
        enum_column(ResultKind, "result_kind"), info={"label": _l("The result for children and youth is")}
    )
    result: Mapped[str] = mapped_column(
        sa.Text, default="", info={"label": _l("The result for children and youth")}
    )
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="ambition", cascade="all, delete-orphan", order_by="Objective.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Objective(Base):
    __tablename__ = "objectives"
    __audit_label__ = _l("Concrete objective")

    id: Mapped[int] = mapped_column(primary_key=True)
    ambition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ambitions.id", ondelete="CASCADE"), index=True, info={"label": _l("Shared ambition")}
    )
    text: Mapped[str] = mapped_column(sa.Text, info={"label": _l("Concrete objective")})

    ambition: Mapped[Ambition] = relationship(back_populates="objectives")
