"""Removing a member from a trajectory. Writes flush; views commit.

Every column that points at ``memberships.id`` is handled here explicitly, row by row (so each
change is in the audit trail), before the membership goes:

- what the member OWNS (checklist items, actions, plans, network contacts, meeting agreements) is
  given to another member of the trajectory, or left without owner;
- what the member CONTRIBUTED (meeting attendance, workshop grade/first step/notes, ballots) stays,
  with the person's name copied onto it; only the link to the membership is cleared;
- messages in the outbox lose the link and keep the address they were sent to.

The database's ``ON DELETE SET NULL`` rules are only a safety net. ``tests/test_members_removal.py``
checks that :data:`OWNED` and :data:`KEPT` cover every foreign key to ``memberships.id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tracker.access import EDITOR_ROLES
from tracker.extensions import db
from tracker.members.services import MembershipError, project_leads
from tracker.models import (
    Action,
    Agreement,
    Ballot,
    ChecklistItem,
    Meeting,
    MeetingAttendee,
    Membership,
    NetworkPartner,
    OutboxMessage,
    Plan,
    Role,
    Workshop,
    WorkshopJointStep,
    WorkshopParticipant,
)

# (key, model, column pointing at the membership, label, title of one row)
OWNED: list[tuple[str, Any, str, Any, Any]] = [
    ("items", ChecklistItem, "owner_id", _l("Checklist items they own"), lambda o: o.text),
    ("actions", Action, "owner_id", _l("Actions they own"), lambda o: o.title),
    ("plans", Plan, "responsible_id", _l("Plans they are responsible for"), lambda o: o.title),
    (
        "partners",
        NetworkPartner,
        "contact_id",
        _l("Network partners they hold the contact with"),
        lambda o: o.organisation.name,
    ),
    ("agreements", Agreement, "owner_id", _l("Meeting agreements they own"), lambda o: o.text),
    (
        "joint_steps",
        WorkshopJointStep,
        "owner_id",
        _l("Joint steps of sessions they take"),
        lambda o: o.title,
    ),
    (
        "session_evaluations",
        Workshop,
        "evaluation_owner_id",
        _l("Sessions whose evaluation they take up"),
        lambda o: _workshop_title(o),
    ),
]
KEPT: list[tuple[str, Any, str, Any, Any]] = [
    (
        "attendances",
        MeetingAttendee,
        "membership_id",
        _l("Meetings they attended"),
        lambda o: _meeting_title(o.meeting),
    ),
    (
        "participations",
        WorkshopParticipant,
        "membership_id",
        _l("Workshops they took part in (grade, first step and notes)"),
        lambda o: _workshop_title(o.workshop),
    ),
    ("ballots", Ballot, "membership_id", _l("Evaluation rounds they voted in"), lambda o: o.round.name),
    ("messages", OutboxMessage, "membership_id", None, None),  # not shown: the outbox is a mail log
]
TITLES_SHOWN = 25


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _meeting_title(meeting: Meeting) -> str:
    return " · ".join(filter(None, [format_date(meeting.held_on, "d MMMM y"), meeting.purpose[:80]]))


def _workshop_title(workshop: Workshop) -> str:
    return f"{workshop.title} · {format_date(workshop.held_on, 'd MMMM y')}"


@dataclass
class ReferenceGroup:
    key: str
    label: Any
    rows: list[Any] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def hidden(self) -> int:
        """How many titles the page leaves out (it shows the count and the first ones)."""
        return max(0, self.count - len(self.titles))


@dataclass
class References:
    owned: list[ReferenceGroup]
    kept: list[ReferenceGroup]
    coordinator: bool

    @property
    def owns_anything(self) -> bool:
        return self.coordinator or any(g.count for g in self.owned)


def _rows(model, column: str, membership: Membership) -> list[Any]:
    return list(
        db.session.scalars(sa.select(model).where(getattr(model, column) == membership.id).order_by(model.id))
    )


def _group(key, model, column, label, title, membership: Membership) -> ReferenceGroup:
    rows = _rows(model, column, membership)
    titles = [_shorten(str(title(r))) for r in rows[:TITLES_SHOWN]] if title else []
    return ReferenceGroup(key, label, rows, titles)


def references(membership: Membership) -> References:
    """Everything that points at the membership, per kind, for the confirmation page."""
    return References(
        owned=[_group(*spec, membership) for spec in OWNED],
        kept=[_group(*spec, membership) for spec in KEPT if spec[3] is not None],
        coordinator=membership.trajectory.coordinator_id == membership.user_id,
    )


def successors(membership: Membership) -> list[Membership]:
    """The members who can take over the work: everyone else in the trajectory who may edit
    (a meekijker only reads, so cannot own work)."""
    return [m for m in membership.trajectory.memberships if m.id != membership.id and m.role in EDITOR_ROLES]


def check_removable(membership: Membership) -> None:
    if membership.role == Role.PROJECTLEIDER and len(project_leads(membership.trajectory)) == 1:
        raise MembershipError("last_lead")


def remove_member(membership: Membership, successor: Membership | None = None) -> None:
    """Give what the member owns to ``successor`` (or nobody), keep their contributions under their
    name, then remove the membership. Nothing they contributed is deleted."""
    check_removable(membership)
    trajectory = membership.trajectory
    if successor is not None and (successor.trajectory_id != trajectory.id or successor.id == membership.id):
        raise MembershipError("successor")
    name = membership.user.name
    new_id = successor.id if successor is not None else None
    for _key, model, column, _label, _title in OWNED:
        for row in _rows(model, column, membership):
            setattr(row, column, new_id)
    for attendee in _rows(MeetingAttendee, "membership_id", membership):
        attendee.member_name = name
        attendee.membership_id = None
    for participant in _rows(WorkshopParticipant, "membership_id", membership):
        participant.name = name
        participant.membership_id = None
    for ballot in _rows(Ballot, "membership_id", membership):
        if not ballot.round.anonymous:
            ballot.voter_name = name
        ballot.membership_id = None
    for message in _rows(OutboxMessage, "membership_id", membership):
        message.membership_id = None
    if trajectory.coordinator_id == membership.user_id:
        trajectory.coordinator_id = successor.user_id if successor is not None else None
    # Clear the links first (one flush), then delete: the membership is never deleted while rows
    # still point at it, so no ON DELETE rule has anything left to do.
    db.session.flush()
    trajectory.memberships.remove(membership)
    db.session.flush()
