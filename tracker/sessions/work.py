"""Into the work: at the end of a guided session its shared ambitions become the trajectory's
ambitions (never more than three active), the first steps and joint steps become actions in the
external plan with their owners and due dates, and the evaluation of the steps becomes a milestone
that those actions lead to. Everything keeps its link to the session; a second call makes nothing
twice. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.ambitions.services import AmbitionValues, save_ambition
from tracker.extensions import db
from tracker.models import (
    MAX_ACTIVE_AMBITIONS,
    Action,
    ActionSource,
    Ambition,
    Milestone,
    SessionStatus,
    Trajectory,
    Workshop,
    utcnow,
)
from tracker.plans.services import (
    MilestoneValues,
    PlanError,
    action_from_source,
    create_milestone,
    external_plan,
)
from tracker.sessions.services import SessionError


@dataclass(frozen=True)
class Outcome:
    ambitions: int
    actions: int
    milestone: bool


def _active_ambitions(trajectory: Trajectory) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Ambition.id)).where(
                Ambition.trajectory_id == trajectory.id, Ambition.active.is_(True)
            )
        )
        or 0
    )


def room_for_ambitions(trajectory: Trajectory) -> int:
    """How many more active ambitions the trajectory can take."""
    return max(0, MAX_ACTIVE_AMBITIONS - _active_ambitions(trajectory))


def _check(trajectory: Trajectory, workshop: Workshop) -> None:
    if workshop.status == SessionStatus.AFGEROND:
        raise SessionError("finished")
    new = [a for a in workshop.ambitions if a.ambition_id is None]
    if len(new) > room_for_ambitions(trajectory):
        raise SessionError("too_many_in_trajectory")
    needs_plan = (
        any(p.first_step and p.action_id is None for p in workshop.participants)
        or any(j.action_id is None for j in workshop.joint_steps)
        or (workshop.evaluation_on is not None and workshop.milestone_id is None)
    )
    plan = external_plan(trajectory)
    if needs_plan and (
        plan is None or plan.current_cycle is None or plan.current_cycle.closed_at is not None
    ):
        raise SessionError("no_plan")


def _milestone(trajectory: Trajectory, workshop: Workshop) -> Milestone | None:
    if workshop.milestone is not None or workshop.evaluation_on is None:
        return workshop.milestone
    plan = external_plan(trajectory)
    assert plan is not None  # checked in _check
    who = workshop.evaluation_owner.user.name if workshop.evaluation_owner else ""
    milestone = create_milestone(
        trajectory,
        plan,
        MilestoneValues(
            title=_("Evaluate the steps of ‘%(title)s’", title=workshop.title)[:300],
            target_date=workshop.evaluation_on,
            expected_result=_("Who takes it up: %(who)s. How: %(how)s", who=who, how=workshop.evaluation_how),
        ),
    )
    workshop.milestone = milestone
    return milestone


def _action(
    trajectory: Trajectory,
    kind: ActionSource,
    source_id: int,
    title: str,
    owner_id,
    due,
    milestone,
    text: str,
) -> Action:
    action = action_from_source(
        trajectory, kind, source_id, title=title, owner_id=owner_id, due_date=due, description=text
    )
    action.milestone = milestone
    return action


def put_into_work(trajectory: Trajectory, workshop: Workshop) -> Outcome:
    """Refuses with SessionError ('finished', 'too_many_in_trajectory', 'no_plan') before writing."""
    _check(trajectory, workshop)
    made_ambitions = made_actions = 0
    for shared in workshop.ambitions:
        if shared.ambition_id is None:
            values = AmbitionValues(title=shared.title, result_kind=shared.result_kind, result="")
            shared.ambition = save_ambition(trajectory, None, values)
            made_ambitions += 1
    had_milestone = workshop.milestone is not None
    milestone = _milestone(trajectory, workshop)
    source = _("From the session ‘%(title)s’.", title=workshop.title)
    try:
        for joint in workshop.joint_steps:
            if joint.action_id is None:
                kind = ActionSource.WORKSHOP_JOINT_STEP
                joint.action = _action(
                    trajectory, kind, joint.id, joint.title, joint.owner_id, joint.due_date, milestone, source
                )
                made_actions += 1
        for p in workshop.participants:
            if p.first_step and p.action_id is None:
                kind = ActionSource.WORKSHOP_STEP
                action = _action(
                    trajectory, kind, p.id, p.first_step, p.membership_id, p.first_step_due, milestone, source
                )
                p.action_id = action.id
                made_actions += 1
    except PlanError as exc:  # checked before; kept for a plan closed meanwhile
        raise SessionError("no_plan") from exc
    workshop.status, workshop.finished_at = SessionStatus.AFGEROND, utcnow()
    db.session.flush()
    return Outcome(made_ambitions, made_actions, milestone is not None and not had_milestone)
