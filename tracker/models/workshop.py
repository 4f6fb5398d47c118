"""The ambition workshop (Taart van ambities / Ambitiegesprek): participants, their grades and
first steps, and the notes on the paper sheet."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.labeled import LabeledEnum
from tracker.models.network import ResultKind

if TYPE_CHECKING:
    from tracker.models.network import Ambition
    from tracker.models.plan import Action, Milestone
    from tracker.models.trajectory import Membership

MAX_SESSION_AMBITIONS = 3


class NoteCategory(LabeledEnum):
    GOED = "goed", _l("What goes well")
    BETER = "beter", _l("What can be better")
    AMBITIE = "ambitie", _l("My ambition")
    IDEE = "idee", _l("Ideas")
    DOEN_WE_AL = "doen_we_al", _l("What we already do")
    FACTSHEET = "factsheet", _l("What strikes us in the factsheet")
    CONTRACT = "contract", _l("When this meeting is worthwhile")


class Instrument(LabeledEnum):
    """The guided session's document (its steps are in tracker/content/sessions.toml)."""

    TAART = "taart", "Taart van ambities"
    AMBITIEGESPREK = "ambitiegesprek", "Ambitiegesprek"


class SessionStatus(LabeledEnum):
    BEZIG = "bezig", _l("Under way")
    GEPAUZEERD = "gepauzeerd", _l("Paused")
    AFGEROND = "afgerond", _l("Finished")


class Workshop(Base):
    """A Taart van ambities / Ambitiegesprek session."""

    __tablename__ = "workshops"
    __audit_label__ = _l("Workshop")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    held_on: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Date")})
    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    photo: Mapped[str | None] = mapped_column(
        sa.String(100), info={"label": _l("Photo of the paper sheet")}
    )  # file name under UPLOAD_FOLDER
    photo_type: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Photo format")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The guided session: which document, where it is, what was skipped (step keys, comma-separated).
    instrument: Mapped[Instrument] = mapped_column(
        enum_column(Instrument, "instrument"),
        default=Instrument.TAART,
        server_default=Instrument.TAART.value,
        info={"label": _l("Instrument")},
    )
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"),
        default=SessionStatus.BEZIG,
        server_default=SessionStatus.BEZIG.value,
        info={"label": _l("Status of the session")},
    )
    step: Mapped[str] = mapped_column(
        sa.String(40), default="", server_default="", info={"label": _l("Current step")}
    )
    reached: Mapped[str] = mapped_column(
        sa.String(40), default="", server_default="", info={"label": _l("Furthest step reached")}
    )
    skipped: Mapped[str] = mapped_column(
        sa.String(200), default="", server_default="", info={"label": _l("Skipped steps")}
    )
    focus: Mapped[str] = mapped_column(
        sa.Text, default="", server_default="", info={"label": _l("Focus: what we come back to at the end")}
    )
    look_back: Mapped[str] = mapped_column(
        sa.Text, default="", server_default="", info={"label": _l("Look back at the contract questions")}
    )
    evaluation_how: Mapped[str] = mapped_column(
        sa.Text, default="", server_default="", info={"label": _l("How the steps are evaluated")}
    )
    evaluation_on: Mapped[date | None] = mapped_column(
        sa.Date, info={"label": _l("When the steps are evaluated")}
    )
    evaluation_owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"),
        info={"label": _l("Who takes up the evaluation")},
    )
    milestone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("milestones.id", ondelete="SET NULL"), info={"label": _l("Milestone of the evaluation")}
    )
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Put into the work")})

    evaluation_owner: Mapped[Membership | None] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    ambitions: Mapped[list[WorkshopAmbition]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopAmbition.id"
    )
    joint_steps: Mapped[list[WorkshopJointStep]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopJointStep.id"
    )
    participants: Mapped[list[WorkshopParticipant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopParticipant.id"
    )
    notes: Mapped[list[WorkshopNote]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopNote.id"
    )


class WorkshopParticipant(Base):
    __tablename__ = "workshop_participants"
    __audit_label__ = _l("Workshop participant")
    __table_args__ = (sa.UniqueConstraint("workshop_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True, info={"label": _l("Workshop")}
    )
    # Empty once the person is no longer a member: their grade, first step and notes stay, under ``name``.
    membership_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"), info={"label": _l("Participant")}
    )
    name: Mapped[str] = mapped_column(
        sa.String(200), default="", server_default="", info={"label": _l("Name")}
    )
    role: Mapped[str] = mapped_column(sa.String(200), default="", info={"label": _l("Role")})
    grade: Mapped[int | None] = mapped_column(info={"label": _l("Grade for the collaboration now (1–10)")})
    first_step: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("First step (en nu)")})
    first_step_due: Mapped[date | None] = mapped_column(sa.Date, info={"label": _l("First step due")})
    # The answer to the grade's follow-up question: what has changed when it rises by one point.
    grade_plus_one: Mapped[str] = mapped_column(
        sa.Text, default="", server_default="", info={"label": _l("What has changed at one point higher")}
    )
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("actions.id", ondelete="SET NULL"), info={"label": _l("Action")}
    )
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
    __audit_label__ = _l("Workshop note")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True, info={"label": _l("Workshop")}
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshop_participants.id", ondelete="CASCADE"), info={"label": _l("Participant")}
    )
    category: Mapped[NoteCategory] = mapped_column(
        enum_column(NoteCategory, "category"), info={"label": _l("Category")}
    )
    text: Mapped[str] = mapped_column(sa.Text, info={"label": _l("Note")})
    ambition_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ambitions.id", ondelete="SET NULL"), info={"label": _l("Shared ambition")}
    )

    workshop: Mapped[Workshop] = relationship(back_populates="notes")
    participant: Mapped[WorkshopParticipant] = relationship()
    ambition: Mapped[Ambition | None] = relationship()


class WorkshopAmbition(Base):
    """A shared ambition as the session formulates it (at most three); once the session is put
    into the work it points at the trajectory's ambition."""

    __tablename__ = "workshop_ambitions"
    __audit_label__ = _l("Shared ambition of a session")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True, info={"label": _l("Workshop")}
    )
    title: Mapped[str] = mapped_column(sa.String(300), info={"label": _l("Shared ambition")})
    result_kind: Mapped[ResultKind] = mapped_column(
        enum_column(ResultKind, "result_kind"), info={"label": _l("The result for children and youth is")}
    )
    ambition_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ambitions.id", ondelete="SET NULL"), info={"label": _l("Ambition of the trajectory")}
    )

    workshop: Mapped[Workshop] = relationship(back_populates="ambitions")
    ambition: Mapped[Ambition | None] = relationship()


class WorkshopJointStep(Base):
    """A joint step agreed in the session: who takes it, by when; it becomes an action."""

    __tablename__ = "workshop_joint_steps"
    __audit_label__ = _l("Joint step of a session")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True, info={"label": _l("Workshop")}
    )
    title: Mapped[str] = mapped_column(sa.String(300), info={"label": _l("Joint step")})
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="SET NULL"), info={"label": _l("Owner")}
    )
    due_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Due date")})
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("actions.id", ondelete="SET NULL"), info={"label": _l("Action")}
    )

    workshop: Mapped[Workshop] = relationship(back_populates="joint_steps")
    owner: Mapped[Membership | None] = relationship()
    action: Mapped[Action | None] = relationship()
