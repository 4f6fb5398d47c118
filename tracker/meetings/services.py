"""Network meetings, their attendees and guests, and working agreements that become actions.
Writes flush; views commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import ActionSource, Agreement, Meeting, MeetingAttendee, Membership, Trajectory
from tracker.plans.services import action_from_source


class MeetingError(ValueError):
    """A user-facing refusal; the value names the reason ('guest_layer')."""


def meetings_of(trajectory: Trajectory) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.trajectory_id == trajectory.id)
            .options(
                selectinload(Meeting.attendees)
                .joinedload(MeetingAttendee.membership)
                .joinedload(Membership.user),
                selectinload(Meeting.agreements).joinedload(Agreement.owner).joinedload(Membership.user),
            )
            .order_by(Meeting.held_on, Meeting.id)
        )
    )


def parse_guests(text: str) -> list[tuple[str, str, str]]:
    """'name; organisation; layer' per line → tuples; raises MeetingError on a bad layer."""
    guests = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        name = parts[0]
        organisation = parts[1] if len(parts) > 1 else ""
        layer = parts[2].lower() if len(parts) > 2 else ""
        if layer and layer not in ("bestuur", "management", "uitvoerend"):
            raise MeetingError("guest_layer")
        guests.append((name[:200], organisation[:200], layer))
    return guests


def save_meeting(trajectory: Trajectory, meeting: Meeting | None, data: dict) -> Meeting:
    guests = parse_guests(data.get("guests") or "")
    meeting = meeting or Meeting(trajectory_id=trajectory.id)
    for key in (
        "held_on",
        "place",
        "purpose",
        "outcome_bestuur",
        "outcome_management",
        "outcome_uitvoerend",
        "outcome_mixed",
        "notes",
    ):
        setattr(meeting, key, data.get(key) or ("" if key != "held_on" else None))
    members = {str(m.id): m for m in trajectory.memberships}
    # The form lists current members and guests; the attendance of people who have left stays.
    meeting.attendees[:] = [a for a in meeting.attendees if a.membership_id is None and a.member_name]
    for membership_id in data.get("attendee_ids") or []:
        if membership_id in members:
            meeting.attendees.append(
                MeetingAttendee(
                    membership_id=int(membership_id), member_name=members[membership_id].user.name
                )
            )
    for name, organisation, layer in guests:
        meeting.attendees.append(
            MeetingAttendee(guest_name=name, guest_organisation=organisation, guest_layer=layer)
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


def add_agreement(trajectory: Trajectory, meeting: Meeting, data: dict) -> Agreement:
    """The agreement and its action in the external plan; raises ``PlanError('no_plan')``."""
    agreement = Agreement(
        meeting=meeting, text=data["text"], owner_id=int(data["owner_id"]), due_date=data["due_date"]
    )
    db.session.add(agreement)
    db.session.flush()
    action = action_from_source(
        trajectory,
        ActionSource.MEETING_AGREEMENT,
        agreement.id,
        title=data["text"],
        owner_id=int(data["owner_id"]),
        due_date=data["due_date"],
        description=f"Werkafspraak uit de bijeenkomst van {meeting.held_on.strftime('%d-%m-%Y')}.",
    )
    agreement.action_id = action.id
    db.session.flush()
    return agreement
