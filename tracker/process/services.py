"""The client path: its steps in order, the organisations doing them, and the clients' goals.
Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker.concurrency import lock_parent, set_positions
from tracker.extensions import db
from tracker.models import Action, ActionSource, Organisation, Perception, ProcessStep, Trajectory
from tracker.plans.services import action_from_source


@dataclass(frozen=True)
class StepValues:
    """A step of the client path, who does it, and what hampers it."""

    title: str
    function: str = ""
    organisations: tuple[Organisation, ...] = ()
    gap: bool = False
    overlap: bool = False
    waiting: bool = False
    handover: bool = False
    bottleneck: str = ""
    solution: str = ""


def steps_of(trajectory: Trajectory) -> list[ProcessStep]:
    return list(
        db.session.scalars(
            sa.select(ProcessStep)
            .where(ProcessStep.trajectory_id == trajectory.id)
            .options(selectinload(ProcessStep.organisations))
            .order_by(ProcessStep.position, ProcessStep.id)
        )
    )


def save_step(trajectory: Trajectory, step: ProcessStep | None, values: StepValues) -> ProcessStep:
    """Change a step, or add one at the end of the path."""
    if step is None:
        position = (
            db.session.scalar(
                sa.select(sa.func.max(ProcessStep.position)).where(ProcessStep.trajectory_id == trajectory.id)
            )
            or 0
        ) + 1
        step = ProcessStep(trajectory_id=trajectory.id, position=position)
    step.title = values.title
    step.function = values.function
    step.organisations = list(values.organisations)
    step.gap, step.overlap = values.gap, values.overlap
    step.waiting, step.handover = values.waiting, values.handover
    step.bottleneck = values.bottleneck
    step.solution = values.solution
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


def save_client_goals(trajectory: Trajectory, goals: Perception | None, note: str) -> None:
    """Whether parents and children pursue the same goals as the partners, and why."""
    trajectory.client_goals = goals
    trajectory.client_goals_note = note
    db.session.flush()


def bottleneck_action(trajectory: Trajectory, step: ProcessStep, owner_id: int) -> Action:
    """An action to solve the step's bottleneck; raises ``PlanError('no_plan')``."""
    return action_from_source(
        trajectory,
        ActionSource.PROCESS_STEP,
        step.id,
        title=_("Solve bottleneck: %(step)s", step=step.title),
        owner_id=owner_id,
        due_date=None,
        description="\n".join(filter(None, [step.bottleneck, step.solution])),
    )
