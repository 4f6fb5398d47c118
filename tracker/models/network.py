"""The work inside phases 1–3: the network, its meetings, the client path and shared ambitions,
and the ambition workshop (Taart van ambities / Ambitiegesprek)."""

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


class NoteCategory(LabeledEnum):
    GOED = "goed", _l("What goes well")
    BETER = "beter", _l("What can be better")
    AMBITIE = "ambitie", _l("My ambition")
    IDEE = "idee", _l("Ideas")
    DOEN_WE_AL = "doen_we_al", _l("What we already do")


class NetworkPartner(Base):
    __tablename__ = "network_partners"
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    contribution: Mapped[str] = mapped_column(sa.Text, default="")
    ambition: Mapped[str] = mapped_column(sa.Text, default="")
    perception: Mapped[Perception | None] = mapped_column(enum_column(Perception, "perception"))
    direction: Mapped[str] = mapped_column(sa.Text, default="")
    relation: Mapped[Relation | None] = mapped_column(enum_column(Relation, "relation"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[Membership | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_bestuur: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_management: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_uitvoerend: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_mixed: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
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

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    due_date: Mapped[date] = mapped_column(sa.Date)
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actions.id", ondelete="SET NULL"))

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

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    function: Mapped[str] = mapped_column(sa.Text, default="")
    gap: Mapped[bool] = mapped_column(default=False)
    overlap: Mapped[bool] = mapped_column(default=False)
    waiting: Mapped[bool] = mapped_column(default=False)
    handover: Mapped[bool] = mapped_column(default=False)
    bottleneck: Mapped[str] = mapped_column(sa.Text, default="")
    solution: Mapped[str] = mapped_column(sa.Text, default="")
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

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    result_kind: Mapped[ResultKind] = mapped_column(enum_column(ResultKind, "result_kind"))
    result: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="ambition", cascade="all, delete-orphan", order_by="Objective.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Objective(Base):
    __tablename__ = "objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    ambition_id: Mapped[int] = mapped_column(sa.ForeignKey("ambitions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)

    ambition: Mapped[Ambition] = relationship(back_populates="objectives")


class Workshop(Base):
    """A Taart van ambities / Ambitiegesprek session."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(sa.Date)
    title: Mapped[str] = mapped_column(sa.String(200))
    photo: Mapped[str | None] = mapped_column(sa.String(100))  # file name under UPLOAD_FOLDER
    photo_type: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participants: Mapped[list[WorkshopParticipant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopParticipant.id"
    )
    notes: Mapped[list[WorkshopNote]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopNote.id"
    )


class WorkshopParticipant(Base):
    __tablename__ = "workshop_participants"
    __table_args__ = (sa.UniqueConstraint("workshop_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    # Empty once the person is no longer a member: their grade, first step and notes stay, under ``name``.
    membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    role: Mapped[str] = mapped_column(sa.String(200), default="")
    grade: Mapped[int | None]
    first_step: Mapped[str] = mapped_column(sa.Text, default="")
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actions.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    membership: Mapped[Membership | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.membership.user.name if self.membership is not None else self.name

    @property
    def organisation_name(self) -> str:
        return self.membership.organisation.name if self.membership is not None else ""

    __mapper_args__ = {"version_id_col": version}


class WorkshopNote(Base):
    __tablename__ = "workshop_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_participants.id", ondelete="CASCADE"))
    category: Mapped[NoteCategory] = mapped_column(enum_column(NoteCategory, "category"))
    text: Mapped[str] = mapped_column(sa.Text)
    ambition_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ambitions.id", ondelete="SET NULL"))

    workshop: Mapped[Workshop] = relationship(back_populates="notes")
    participant: Mapped[WorkshopParticipant] = relationship()
    ambition: Mapped[Ambition | None] = relationship()
