"""Scheduled evaluation rounds: traffic-light votes on a framework's factors."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.labeled import LabeledEnum

if TYPE_CHECKING:
    from tracker.models.trajectory import Membership, Trajectory


class Cadence(LabeledEnum):
    MAAND = "maand", _l("Monthly")
    KWARTAAL = "kwartaal", _l("Quarterly")
    HALFJAAR = "halfjaar", _l("Half-yearly")
    JAAR = "jaar", _l("Yearly")


CADENCE_MONTHS = {Cadence.MAAND: 1, Cadence.KWARTAAL: 3, Cadence.HALFJAAR: 6, Cadence.JAAR: 12}


class Color(LabeledEnum):
    GROEN = "groen", _l("Green (yes)")
    ORANJE = "oranje", _l("Orange (doubtful)")
    ROOD = "rood", _l("Red (no)")


class RoundState(LabeledEnum):
    UPCOMING = "gepland", _l("Planned")
    OPEN = "open", _l("Open")
    CLOSED = "gesloten", _l("Closed")


def round_state(opens_on: date, closes_on: date, today: date) -> RoundState:
    """The state of a round follows from its dates alone."""
    if today < opens_on:
        return RoundState.UPCOMING
    if today > closes_on:
        return RoundState.CLOSED
    return RoundState.OPEN


class EvaluationSchedule(Base):
    __tablename__ = "evaluation_schedules"
    __audit_label__ = _l("Evaluation schedule")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        unique=True,
        info={"label": _l("Trajectory")},
    )
    framework: Mapped[str] = mapped_column(sa.String(40), info={"label": _l("Framework")})
    cadence: Mapped[Cadence] = mapped_column(
        enum_column(Cadence, "cadence"), default=Cadence.KWARTAAL, info={"label": _l("Cadence")}
    )
    first_date: Mapped[date] = mapped_column(sa.Date, info={"label": _l("First round opens on")})
    open_days: Mapped[int] = mapped_column(default=14, info={"label": _l("A round stays open for (days)")})
    remind_days_before: Mapped[int] = mapped_column(
        default=3, info={"label": _l("Reminder, days before closing (0: none)")}
    )
    # Empty: all members; otherwise a comma-separated list of layers.
    layers: Mapped[str] = mapped_column(sa.String(100), default="", info={"label": _l("Who is asked")})
    anonymous: Mapped[bool] = mapped_column(
        default=False, info={"label": _l("Anonymous results (nobody sees who voted what)")}
    )
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    version: Mapped[int] = mapped_column(default=1)

    trajectory: Mapped[Trajectory] = relationship()

    __mapper_args__ = {"version_id_col": version}


class EvaluationRound(Base):
    __tablename__ = "evaluation_rounds"
    __audit_label__ = _l("Evaluation round")
    __table_args__ = (sa.UniqueConstraint("trajectory_id", "opens_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    schedule_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("evaluation_schedules.id", ondelete="SET NULL"),
        info={"label": _l("Schedule")},
    )
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    framework: Mapped[str] = mapped_column(sa.String(40), info={"label": _l("Framework")})
    # The factors as they were when the round opened (later edits of the content never change it).
    factors: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, info={"label": _l("Factors")})
    opens_on: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Opens on")})
    closes_on: Mapped[date] = mapped_column(sa.Date, info={"label": _l("Closes on")})
    remind_on: Mapped[date | None] = mapped_column(sa.Date, info={"label": _l("Reminder on")})
    layers: Mapped[str] = mapped_column(sa.String(100), default="", info={"label": _l("Who is asked")})
    anonymous: Mapped[bool] = mapped_column(
        default=False, info={"label": _l("Anonymous results (nobody sees who voted what)")}
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trajectory: Mapped[Trajectory] = relationship()
    ballots: Mapped[list[Ballot]] = relationship(back_populates="round", cascade="all, delete-orphan")

    def state(self, today: date) -> RoundState:
        return round_state(self.opens_on, self.closes_on, today)

    def invites(self, membership: Membership) -> bool:
        layers = [x for x in self.layers.split(",") if x]
        return not layers or membership.layer.value in layers


class Ballot(Base):
    """One member's cards in one round; the database allows one ballot per member per round."""

    __tablename__ = "ballots"
    __table_args__ = (sa.UniqueConstraint("round_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_rounds.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    # The voter's layer and organisation when voting, for the breakdowns.
    layer: Mapped[str] = mapped_column(sa.String(30))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    # Only in named rounds: the voter's name, kept when they are no longer a member.
    voter_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[EvaluationRound] = relationship(back_populates="ballots")
    votes: Mapped[list[Vote]] = relationship(back_populates="ballot", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (sa.UniqueConstraint("ballot_id", "factor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballots.id", ondelete="CASCADE"), index=True)
    factor: Mapped[str] = mapped_column(sa.String(60))
    color: Mapped[Color] = mapped_column(enum_column(Color, "color"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    ballot: Mapped[Ballot] = relationship(back_populates="votes")


class OutboxMessage(Base):
    """Every mail the app sends: evaluation invitations and reminders, invitations to join a
    trajectory (tracker/invitations) and password resets (tracker/passwords); sent by SMTP when
    configured, otherwise kept for admins to read. The unique key makes sending idempotent: one
    invitation and one reminder per member per round."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.UniqueConstraint("round_id", "membership_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("evaluation_rounds.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    to_email: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # The HTML part (from templates/email/<name>.html); empty for a plain-text message.
    html: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(sa.Text, default="")
