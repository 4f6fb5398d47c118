"""Network partners, meetings and agreements, the client path, shared ambitions and workshops.
Writes flush; views commit."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from tracker.concurrency import lock_parent, set_positions
from tracker.extensions import db
from tracker.models import (
    MAX_ACTIVE_AMBITIONS,
    Action,
    ActionSource,
    Agreement,
    Ambition,
    Meeting,
    MeetingAttendee,
    Membership,
    NetworkPartner,
    NoteCategory,
    Objective,
    Organisation,
    Perception,
    ProcessStep,
    Relation,
    ResultKind,
    Trajectory,
    Workshop,
    WorkshopNote,
    WorkshopParticipant,
)
from tracker.plans import services as plans

SOURCE_AGREEMENT = ActionSource.MEETING_AGREEMENT
SOURCE_STEP = ActionSource.PROCESS_STEP
SOURCE_WORKSHOP = ActionSource.WORKSHOP_STEP
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"GIF87a": ("image/gif", ".gif"),
    b"GIF89a": ("image/gif", ".gif"),
}


class NetworkError(ValueError):
    """A user-facing refusal; the value names the reason."""


# --- partners -------------------------------------------------------------------------------


def partners_of(trajectory: Trajectory) -> list[NetworkPartner]:
    return list(
        db.session.scalars(
            sa.select(NetworkPartner)
            .where(NetworkPartner.trajectory_id == trajectory.id)
            .options(
                joinedload(NetworkPartner.organisation),
                joinedload(NetworkPartner.contact).joinedload(Membership.user),
            )
            .join(Organisation)
            .order_by(Organisation.name)
        )
    )


def save_partner(trajectory: Trajectory, partner: NetworkPartner | None, data: dict) -> NetworkPartner:
    organisation_id = int(data["organisation_id"])
    other = db.session.scalar(
        sa.select(NetworkPartner.id).where(
            NetworkPartner.trajectory_id == trajectory.id, NetworkPartner.organisation_id == organisation_id
        )
    )
    if other and (partner is None or other != partner.id):
        raise NetworkError("duplicate")
    partner = partner or NetworkPartner(trajectory_id=trajectory.id)
    partner.organisation_id = organisation_id
    partner.contribution = data.get("contribution") or ""
    partner.ambition = data.get("ambition") or ""
    partner.perception = Perception(data["perception"]) if data.get("perception") else None
    partner.direction = data.get("direction") or ""
    partner.relation = Relation(data["relation"]) if data.get("relation") else None
    partner.contact_id = int(data["contact_id"]) if data.get("contact_id") else None
    db.session.add(partner)
    db.session.flush()
    return partner


# --- meetings -------------------------------------------------------------------------------


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
    """'name; organisation; layer' per line → tuples; raises NetworkError on a bad layer."""
    guests = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        name = parts[0]
        organisation = parts[1] if len(parts) > 1 else ""
        layer = parts[2].lower() if len(parts) > 2 else ""
        if layer and layer not in ("bestuur", "management", "uitvoerend"):
            raise NetworkError("guest_layer")
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


def make_action(
    trajectory: Trajectory,
    title: str,
    owner_id: int | None,
    due_date: date | None,
    description: str,
    source: tuple[ActionSource, int],
) -> Action:
    try:
        return plans.action_from_source(
            trajectory,
            source[0],
            source[1],
            title=title,
            owner_id=owner_id,
            due_date=due_date,
            description=description,
        )
    except plans.PlanError as exc:
        raise NetworkError("no_plan") from exc


def add_agreement(trajectory: Trajectory, meeting: Meeting, data: dict) -> Agreement:
    agreement = Agreement(
        meeting=meeting, text=data["text"], owner_id=int(data["owner_id"]), due_date=data["due_date"]
    )
    db.session.add(agreement)
    db.session.flush()
    action = make_action(
        trajectory,
        data["text"],
        int(data["owner_id"]),
        data["due_date"],
        _("Working agreement from the meeting of %(date)s.", date=format_date(meeting.held_on, "short")),
        (SOURCE_AGREEMENT, agreement.id),
    )
    agreement.action_id = action.id
    db.session.flush()
    return agreement


# --- the client path ------------------------------------------------------------------------


def steps_of(trajectory: Trajectory) -> list[ProcessStep]:
    return list(
        db.session.scalars(
            sa.select(ProcessStep)
            .where(ProcessStep.trajectory_id == trajectory.id)
            .options(selectinload(ProcessStep.organisations))
            .order_by(ProcessStep.position, ProcessStep.id)
        )
    )


def save_step(trajectory: Trajectory, step: ProcessStep | None, data: dict) -> ProcessStep:
    if step is None:
        position = (
            db.session.scalar(
                sa.select(sa.func.max(ProcessStep.position)).where(ProcessStep.trajectory_id == trajectory.id)
            )
            or 0
        ) + 1
        step = ProcessStep(trajectory_id=trajectory.id, position=position)
    for key in ("title", "function", "bottleneck", "solution"):
        setattr(step, key, data.get(key) or "")
    for key in ("gap", "overlap", "waiting", "handover"):
        setattr(step, key, bool(data.get(key)))
    ids = [int(i) for i in data.get("organisation_ids") or []]
    step.organisations = (
        list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
    )
    db.session.add(step)
    db.session.flush()
    return step


def move_step(trajectory: Trajectory, step: ProcessStep, direction: int) -> bool:
    """Movers of one trajectory's steps take turns (the trajectory row is locked) and read the
    latest order; positions are written without bumping the steps' versions."""
    lock_parent(Trajectory, trajectory.id)
    ids = list(
        db.session.scalars(
            sa.select(ProcessStep.id)
            .where(ProcessStep.trajectory_id == trajectory.id)
            .order_by(ProcessStep.position, ProcessStep.id)
        )
    )
    if step.id not in ids:
        return False
    index = ids.index(step.id)
    other = index + direction
    if not 0 <= other < len(ids):
        return False
    # Renumber, then swap, so that equal positions never stall a move.
    ids[index], ids[other] = ids[other], ids[index]
    set_positions(ProcessStep, {step_id: number for number, step_id in enumerate(ids, start=1)})
    return True


def swimlane(steps: list[ProcessStep]) -> list[Organisation]:
    """The lanes: every organisation that does a step, in order of first appearance."""
    lanes: dict[int, Organisation] = {}
    for step in steps:
        for organisation in step.organisations:
            lanes.setdefault(organisation.id, organisation)
    return list(lanes.values())


# --- ambitions ------------------------------------------------------------------------------


def ambitions_of(trajectory: Trajectory) -> list[Ambition]:
    return list(
        db.session.scalars(
            sa.select(Ambition)
            .where(Ambition.trajectory_id == trajectory.id)
            .options(selectinload(Ambition.objectives))
            .order_by(Ambition.active.desc(), Ambition.id)
        )
    )


def save_ambition(trajectory: Trajectory, ambition: Ambition | None, data: dict) -> Ambition:
    active = bool(data.get("active", True))
    if active and (ambition is None or not ambition.active):
        count = (
            db.session.scalar(
                sa.select(sa.func.count(Ambition.id)).where(
                    Ambition.trajectory_id == trajectory.id, Ambition.active.is_(True)
                )
            )
            or 0
        )
        if count >= MAX_ACTIVE_AMBITIONS:
            raise NetworkError("too_many")
    ambition = ambition or Ambition(trajectory_id=trajectory.id)
    ambition.title = data["title"]
    ambition.result_kind = ResultKind(data["result_kind"])
    ambition.result = data["result"]
    ambition.active = active
    db.session.add(ambition)
    db.session.flush()
    return ambition


def add_objective(ambition: Ambition, text: str) -> Objective:
    objective = Objective(ambition=ambition, text=text)
    db.session.add(objective)
    db.session.flush()
    return objective


def actions_by_objective(trajectory: Trajectory) -> dict[int, list[Action]]:
    result: dict[int, list[Action]] = {}
    for action in db.session.scalars(
        sa.select(Action)
        .where(
            Action.trajectory_id == trajectory.id,
            Action.objective_id.is_not(None),
            Action.archived_at.is_(None),
        )
        .options(joinedload(Action.owner).joinedload(Membership.user))
        .order_by(Action.id)
    ):
        if action.objective_id is not None:  # always: the query asks for it
            result.setdefault(action.objective_id, []).append(action)
    return result


# --- workshops ------------------------------------------------------------------------------


def workshop_with_everything(workshop_id: int) -> Workshop | None:
    return db.session.scalar(
        sa.select(Workshop)
        .where(Workshop.id == workshop_id)
        .options(
            selectinload(Workshop.participants)
            .joinedload(WorkshopParticipant.membership)
            .joinedload(Membership.user),
            selectinload(Workshop.participants)
            .joinedload(WorkshopParticipant.membership)
            .joinedload(Membership.organisation),
            selectinload(Workshop.notes).joinedload(WorkshopNote.ambition),
        )
    )


def add_participant(workshop: Workshop, membership_id: int, role: str) -> WorkshopParticipant:
    if any(p.membership_id == membership_id for p in workshop.participants):
        raise NetworkError("duplicate")
    membership = db.session.get(Membership, membership_id)
    participant = WorkshopParticipant(
        workshop=workshop,
        membership_id=membership_id,
        role=role,
        name=membership.user.name if membership else "",
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def add_note(workshop: Workshop, participant_id: int, category: str, text: str) -> WorkshopNote:
    note = WorkshopNote(
        workshop=workshop, participant_id=participant_id, category=NoteCategory(category), text=text
    )
    db.session.add(note)
    db.session.flush()
    return note


def cluster(workshop: Workshop, assignments: dict[int, int | None], trajectory: Trajectory) -> None:
    """Put notes under shared ambitions (at most three active ambitions exist by construction)."""
    ambitions = {a.id for a in ambitions_of(trajectory)}
    for note in workshop.notes:
        if note.id in assignments:
            target = assignments[note.id]
            note.ambition_id = target if target in ambitions else None
    db.session.flush()


def save_client_goals(trajectory: Trajectory, data: dict) -> None:
    trajectory.client_goals = data.get("client_goals") or None
    trajectory.client_goals_note = data.get("client_goals_note") or ""
    db.session.flush()


def save_participant(
    trajectory: Trajectory, participant: WorkshopParticipant, grade: int | None, first_step: str
) -> Action | None:
    """Record the grade and the first step; a new first step becomes the participant's own action."""
    participant.grade = grade
    created = None
    if first_step and first_step != participant.first_step:
        if participant.action_id:
            action = db.session.get_one(Action, participant.action_id)
            action.title = first_step[:300]
        else:
            created = make_action(
                trajectory,
                first_step,
                participant.membership_id,
                None,
                _("First step from ‘%(workshop)s’.", workshop=participant.workshop.title),
                (SOURCE_WORKSHOP, participant.id),
            )
            participant.action_id = created.id
    participant.first_step = first_step
    db.session.flush()
    return created


def baseline(workshop: Workshop) -> float | None:
    grades = [p.grade for p in workshop.participants if p.grade]
    return round(sum(grades) / len(grades), 1) if grades else None


def store_photo(workshop: Workshop, stream) -> None:
    """Keep an uploaded image outside the database; anything that is not an image, or too large,
    is refused (NetworkError 'not_image' or 'too_large') and nothing is written."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise NetworkError("too_large")
    kind = next((v for sig, v in IMAGE_SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = ("image/webp", ".webp")
    if kind is None:
        raise NetworkError("not_image")
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"workshop-{workshop.id}-{secrets.token_hex(8)}{kind[1]}"
    (folder / name).write_bytes(data)
    old = workshop.photo
    workshop.photo, workshop.photo_type = name, kind[0]
    db.session.flush()
    if old:
        (folder / old).unlink(missing_ok=True)
