"""The ambition workshop: participants, notes and their clustering, grades, first steps that
become actions, and the photo of the sheet. Writes flush; views commit."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from tracker.ambitions.services import ambitions_of
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionSource,
    Instrument,
    Membership,
    NoteCategory,
    Trajectory,
    Workshop,
    WorkshopNote,
    WorkshopParticipant,
)
from tracker.plans.services import action_from_source
from tracker.sessions.steps import steps_of

IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"GIF87a": ("image/gif", ".gif"),
    b"GIF89a": ("image/gif", ".gif"),
}


class WorkshopError(ValueError):
    """A user-facing refusal; the value names the reason ('duplicate', 'too_large', 'not_image')."""


def workshops_of(trajectory: Trajectory) -> list[Workshop]:
    return list(
        db.session.scalars(
            sa.select(Workshop)
            .where(Workshop.trajectory_id == trajectory.id)
            .order_by(Workshop.held_on.desc())
        )
    )


def create_workshop(
    trajectory: Trajectory, title: str, held_on: date, instrument: Instrument = Instrument.TAART
) -> Workshop:
    """A session guided by ``instrument``'s document, at its first step."""
    first = steps_of(instrument)[0].key
    workshop = Workshop(
        trajectory_id=trajectory.id,
        title=title,
        held_on=held_on,
        instrument=instrument,
        step=first,
        reached=first,
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def with_details(workshop: Workshop) -> Workshop:
    """The workshop with its participants (their member, name and organisation) and its notes
    (their ambition) loaded in a fixed number of queries, for its page."""
    db.session.execute(
        sa.select(Workshop)
        .where(Workshop.id == workshop.id)
        .options(
            selectinload(Workshop.participants)
            .joinedload(WorkshopParticipant.membership)
            .joinedload(Membership.user),
            selectinload(Workshop.participants)
            .joinedload(WorkshopParticipant.membership)
            .joinedload(Membership.organisation),
            selectinload(Workshop.notes).joinedload(WorkshopNote.ambition),
            selectinload(Workshop.ambitions),
            selectinload(Workshop.joint_steps),
            joinedload(Workshop.milestone),
        )
    ).scalar_one()
    return workshop


def add_participant(workshop: Workshop, membership: Membership, role: str = "") -> WorkshopParticipant:
    """A member takes part (once: WorkshopError 'duplicate'); their name stays if they leave."""
    if any(p.membership_id == membership.id for p in workshop.participants):
        raise WorkshopError("duplicate")
    participant = WorkshopParticipant(
        workshop=workshop, membership_id=membership.id, role=role, name=membership.user.name
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def add_note(
    workshop: Workshop, participant: WorkshopParticipant, category: NoteCategory, text: str
) -> WorkshopNote:
    note = WorkshopNote(workshop=workshop, participant_id=participant.id, category=category, text=text)
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


def save_participant(
    trajectory: Trajectory, participant: WorkshopParticipant, grade: int | None, first_step: str
) -> Action | None:
    """Record the grade and the first step; a new first step becomes the participant's own action
    (``PlanError('no_plan')`` without an external plan with an open cycle)."""
    participant.grade = grade
    created = None
    if first_step and first_step != participant.first_step:
        if participant.action_id:
            action = db.session.get_one(Action, participant.action_id)
            action.title = first_step[:300]
        else:
            created = action_from_source(
                trajectory,
                ActionSource.WORKSHOP_STEP,
                participant.id,
                title=first_step,
                owner_id=participant.membership_id,
                due_date=None,
                description=_("First step from ‘%(workshop)s’.", workshop=participant.workshop.title),
            )
            participant.action_id = created.id
    participant.first_step = first_step
    db.session.flush()
    return created


def baseline(workshop: Workshop) -> float | None:
    grades = [p.grade for p in workshop.participants if p.grade]
    return round(sum(grades) / len(grades), 1) if grades else None


def store_photo(workshop: Workshop, stream: IO[bytes]) -> None:
    """Keep an uploaded image outside the database; anything that is not an image, or too large,
    is refused (WorkshopError 'not_image' or 'too_large') and nothing is written."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise WorkshopError("too_large")
    kind = next((v for sig, v in IMAGE_SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = ("image/webp", ".webp")
    if kind is None:
        raise WorkshopError("not_image")
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"workshop-{workshop.id}-{secrets.token_hex(8)}{kind[1]}"
    (folder / name).write_bytes(data)
    old = workshop.photo
    workshop.photo, workshop.photo_type = name, kind[0]
    db.session.flush()
    if old:
        (folder / old).unlink(missing_ok=True)
