"""Running a guided session: starting it, moving between its steps (forward, back, skipping an
optional step, pausing and resuming) and the input each step collects. Every write first checks
that the input belongs to the session's current step (:func:`check_current`). Writes flush; views
commit."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.models import (
    MAX_SESSION_AMBITIONS,
    Ambition,
    Membership,
    NoteCategory,
    ResultKind,
    SessionStatus,
    Workshop,
    WorkshopAmbition,
    WorkshopJointStep,
    WorkshopNote,
    WorkshopParticipant,
)
from tracker.sessions.steps import Position, position
from tracker.workshops import services as workshops


class SessionError(ValueError):
    """A user-facing refusal; the value names the reason: 'out_of_order' (not the current step),
    'paused', 'finished', 'not_optional', 'too_many' (a fourth shared ambition), 'not_reached',
    'too_many_in_trajectory', 'no_plan' or 'not_a_member'."""


def with_everything(workshop: Workshop) -> Workshop:
    """The session with its participants (member, user, organisation), notes, shared ambitions and
    joint steps loaded in a fixed number of queries."""
    member = (joinedload(Membership.user), joinedload(Membership.organisation))
    db.session.execute(
        sa.select(Workshop)
        .where(Workshop.id == workshop.id)
        .options(
            selectinload(Workshop.participants).joinedload(WorkshopParticipant.membership).options(*member),
            selectinload(Workshop.notes).joinedload(WorkshopNote.participant),
            selectinload(Workshop.ambitions).joinedload(WorkshopAmbition.ambition),
            selectinload(Workshop.joint_steps)
            .joinedload(WorkshopJointStep.owner)
            .joinedload(Membership.user),
            joinedload(Workshop.evaluation_owner).joinedload(Membership.user),
            joinedload(Workshop.milestone),
        )
    ).unique().scalar_one()
    return workshop


# --- moving through the steps -----------------------------------------------------------------


def check_current(workshop: Workshop, step_key: str) -> Position:
    """The session's position, when input for ``step_key`` may be taken now."""
    if workshop.status == SessionStatus.AFGEROND:
        raise SessionError("finished")
    if workshop.status == SessionStatus.GEPAUZEERD:
        raise SessionError("paused")
    where = position(workshop)
    if step_key != where.current.key:
        raise SessionError("out_of_order")
    return where


def _go(workshop: Workshop, where: Position, index: int) -> None:
    workshop.step = where.steps[index].key
    if index > where.reached:
        workshop.reached = workshop.step
    db.session.flush()


def go_next(workshop: Workshop, step_key: str) -> None:
    where = check_current(workshop, step_key)
    if where.following is not None:
        _go(workshop, where, where.index + 1)


def go_back(workshop: Workshop, step_key: str) -> None:
    where = check_current(workshop, step_key)
    if where.previous is not None:
        _go(workshop, where, where.index - 1)


def go_to(workshop: Workshop, step_key: str, target: str) -> None:
    """Back to a step already reached, or on to the next; never further ahead ('not_reached')."""
    where = check_current(workshop, step_key)
    index = next((i for i, s in enumerate(where.steps) if s.key == target), None)
    if index is None or index > max(where.reached, where.index + 1):
        raise SessionError("not_reached")
    _go(workshop, where, index)


def skip(workshop: Workshop, step_key: str) -> None:
    """Skip an optional step (the Taart's factsheets): remembered as skipped, on to the next."""
    where = check_current(workshop, step_key)
    if not where.current.optional or where.following is None:
        raise SessionError("not_optional")
    workshop.skipped = ",".join(sorted(where.skipped | {where.current.key}))
    _go(workshop, where, where.index + 1)


def pause(workshop: Workshop) -> None:
    if workshop.status == SessionStatus.AFGEROND:
        raise SessionError("finished")
    workshop.status = SessionStatus.GEPAUZEERD
    db.session.flush()


def resume(workshop: Workshop) -> None:
    if workshop.status == SessionStatus.AFGEROND:
        raise SessionError("finished")
    workshop.status = SessionStatus.BEZIG
    db.session.flush()


# --- what the steps collect ---------------------------------------------------------------------


def add_participant(workshop: Workshop, step_key: str, member: Membership, role: str) -> WorkshopParticipant:
    check_current(workshop, step_key)
    return workshops.add_participant(workshop, member, role)


def add_note(workshop: Workshop, step_key: str, participant: WorkshopParticipant, text: str) -> WorkshopNote:
    """A note in the current step's category (its ring of the Taart, its colour of post-its)."""
    category = check_current(workshop, step_key).current.category
    if category is None:
        raise SessionError("out_of_order")
    return workshops.add_note(workshop, participant, category, text)


def note_from_member(workshop: Workshop, step_key: str, member: Membership, text: str) -> WorkshopNote:
    """A participant's own note from their phone; a member not yet listed joins the session."""
    check_current(workshop, step_key)
    participant = next((p for p in workshop.participants if p.membership_id == member.id), None)
    if participant is None:
        participant = workshops.add_participant(workshop, member, "")
    return add_note(workshop, step_key, participant, text)


def save_grades(workshop: Workshop, step_key: str, grades: dict[int, tuple[int | None, str]]) -> None:
    """Per participant id: the grade for the collaboration (1-10) and what has changed at one
    point higher."""
    check_current(workshop, step_key)
    for participant in workshop.participants:
        if participant.id in grades:
            participant.grade, participant.grade_plus_one = grades[participant.id]
    db.session.flush()


def save_first_steps(
    workshop: Workshop, step_key: str, first_steps: dict[int, tuple[str, date | None]]
) -> None:
    """Per participant id: their own first step and when it is done (an action once it has one
    keeps its own title and date: the action is changed on its own page)."""
    check_current(workshop, step_key)
    for participant in workshop.participants:
        if participant.id in first_steps and participant.action_id is None:
            participant.first_step, participant.first_step_due = first_steps[participant.id]
    db.session.flush()


def add_ambition(
    workshop: Workshop,
    step_key: str,
    title: str,
    result_kind: ResultKind | None,
    existing: Ambition | None = None,
) -> WorkshopAmbition:
    """A shared ambition of the session (at most three): new, or one the trajectory already has
    (``existing``: the session points at it and nothing new is made in the work)."""
    check_current(workshop, step_key)
    if len(workshop.ambitions) >= MAX_SESSION_AMBITIONS:
        raise SessionError("too_many")
    if existing is not None:
        title, result_kind = title or existing.title, existing.result_kind
    assert result_kind is not None  # the form asks for it with a new ambition
    ambition = WorkshopAmbition(workshop=workshop, title=title, result_kind=result_kind, ambition=existing)
    db.session.add(ambition)
    db.session.flush()
    return ambition


def add_joint_step(
    workshop: Workshop, step_key: str, title: str, owner: Membership, due_date: date
) -> WorkshopJointStep:
    check_current(workshop, step_key)
    joint = WorkshopJointStep(workshop=workshop, title=title, owner_id=owner.id, due_date=due_date)
    db.session.add(joint)
    db.session.flush()
    return joint


def save_focus(workshop: Workshop, step_key: str, focus: str) -> None:
    check_current(workshop, step_key)
    workshop.focus = focus
    db.session.flush()


def save_look_back(workshop: Workshop, step_key: str, look_back: str) -> None:
    check_current(workshop, step_key)
    workshop.look_back = look_back
    db.session.flush()


def save_evaluation(workshop: Workshop, step_key: str, how: str, on: date, owner: Membership) -> None:
    """How and when the steps are evaluated, and who takes it up (a milestone once in the work)."""
    check_current(workshop, step_key)
    workshop.evaluation_how, workshop.evaluation_on, workshop.evaluation_owner_id = how, on, owner.id
    db.session.flush()


def notes_in(workshop: Workshop, category: NoteCategory | None) -> list[WorkshopNote]:
    return [n for n in workshop.notes if n.category == category]


# --- changing what was added, before the session is put into the work -------------------------


def _check_open(workshop: Workshop) -> None:
    if workshop.status == SessionStatus.AFGEROND:
        raise SessionError("finished")


def edit_ambition(shared: WorkshopAmbition, title: str) -> None:
    _check_open(shared.workshop)
    shared.title = title
    db.session.flush()


def edit_joint_step(joint: WorkshopJointStep, title: str, owner: Membership, due_date: date) -> None:
    _check_open(joint.workshop)
    joint.title, joint.owner_id, joint.due_date = title, owner.id, due_date
    db.session.flush()


def remove_item(item: WorkshopAmbition | WorkshopJointStep) -> None:
    """A shared ambition or joint step taken out of the session again (nothing in the work yet)."""
    _check_open(item.workshop)
    db.session.delete(item)
    db.session.flush()
