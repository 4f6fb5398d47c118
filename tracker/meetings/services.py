"""Network meetings, their attendees and guests, and working agreements that become actions.
Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.models import ActionSource, Agreement, Layer, Meeting, MeetingAttendee, Membership, Trajectory
from tracker.plans.services import action_from_source


class MeetingError(ValueError):
    """A user-facing refusal; the value names the reason ('guest_layer')."""


@dataclass(frozen=True)
class Guest:
    """Someone at the meeting who is not a member of the trajectory."""

    name: str
    organisation: str = ""
    layer: Layer | None = None


@dataclass(frozen=True)
class MeetingValues:
    held_on: date
    purpose: str
    place: str = ""
    outcome_bestuur: str = ""
    outcome_management: str = ""
    outcome_uitvoerend: str = ""
    outcome_mixed: str = ""
    notes: str = ""
    attendees: tuple[Membership, ...] = ()  # members present
    guests: tuple[Guest, ...] = ()


def meetings_of(trajectory: Trajectory) -> sa.Select:
    """The trajectory's meetings, newest first (the planned ones at the top, then the most recent
    held: what a member looks for), each with its number of attendees and of
    agreements, counted by the database: rows of (meeting, attendees, agreements)."""
    attendees = (
        sa.select(sa.func.count())
        .where(MeetingAttendee.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    agreements = (
        sa.select(sa.func.count())
        .where(Agreement.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    return (
        sa.select(Meeting, attendees.label("attendees"), agreements.label("agreements"))
        .where(Meeting.trajectory_id == trajectory.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    )


def parse_guests(text: str) -> tuple[Guest, ...]:
    """'name; organisation; layer' per line; raises MeetingError('guest_layer') on an unknown layer."""
    guests = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        organisation = parts[1] if len(parts) > 1 else ""
        layer = parts[2].lower() if len(parts) > 2 else ""
        if layer and layer not in tuple(Layer):
            raise MeetingError("guest_layer")
        guests.append(Guest(parts[0][:200], organisation[:200], Layer(layer) if layer else None))
    return tuple(guests)


def save_meeting(trajectory: Trajectory, meeting: Meeting | None, values: MeetingValues) -> Meeting:
    meeting = meeting or Meeting(trajectory_id=trajectory.id)
    meeting.held_on = values.held_on
    meeting.place = values.place
    meeting.purpose = values.purpose
    meeting.outcome_bestuur = values.outcome_bestuur
    meeting.outcome_management = values.outcome_management
    meeting.outcome_uitvoerend = values.outcome_uitvoerend
    meeting.outcome_mixed = values.outcome_mixed
    meeting.notes = values.notes
    # The form lists current members and guests; the attendance of people who have left stays.
    meeting.attendees[:] = [a for a in meeting.attendees if a.membership_id is None and a.member_name]
    for member in values.attendees:
        if member.trajectory_id == trajectory.id:
            meeting.attendees.append(MeetingAttendee(membership_id=member.id, member_name=member.user.name))
    for guest in values.guests:
        meeting.attendees.append(
            MeetingAttendee(
                guest_name=guest.name,
                guest_organisation=guest.organisation,
                guest_layer=guest.layer.value if guest.layer else "",
            )
        )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def guests_text(meeting: Meeting) -> str:
    return "\n".join(
        f"{a.guest_name}; {a.guest_organisation}; {a.guest_layer}".rstrip("; ")
        for a in meeting.attendees
        if a.is_guest
    )


def add_agreement(
    trajectory: Trajectory, meeting: Meeting, *, text: str, owner: Membership, due_date: date
) -> Agreement:
    """The agreement and its action in the external plan; raises ``PlanError('no_plan')``."""
    agreement = Agreement(meeting=meeting, text=text, owner_id=owner.id, due_date=due_date)
    db.session.add(agreement)
    db.session.flush()
    action = action_from_source(
        trajectory,
        ActionSource.MEETING_AGREEMENT,
        agreement.id,
        title=text,
        owner_id=owner.id,
        due_date=due_date,
        description=_(
            "Working agreement from the meeting of %(date)s.", date=format_date(meeting.held_on, "short")
        ),
    )
    agreement.action_id = action.id
    db.session.flush()
    return agreement
