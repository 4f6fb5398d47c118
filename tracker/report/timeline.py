"""The report's timeline: the dated events of a trajectory (phase planning, milestones, meetings,
evaluation rounds, PDCA cycles) as one sorted list, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Cycle, EvaluationRound, Meeting, Milestone, Phase, Plan, Trajectory
from tracker.models.labeled import LabeledEnum


class EventKind(LabeledEnum):
    PHASE_START = "fase_start", _l("Phase starts (planned)")
    PHASE_TARGET = "fase_streef", _l("Phase target date")
    MILESTONE = "mijlpaal", _l("Milestone")
    MEETING = "bijeenkomst", _l("Meeting")
    ROUND_OPENS = "ronde_open", _l("Evaluation round opens")
    ROUND_CLOSES = "ronde_sluit", _l("Evaluation round closes")
    CYCLE_START = "cyclus_start", _l("PDCA cycle starts")
    CYCLE_END = "cyclus_eind", _l("PDCA cycle ends")


@dataclass(frozen=True)
class Event:
    day: date
    kind: EventKind
    title: str
    done: bool = False  # a milestone achieved, a meeting held, a round or cycle over


def _phase_events(trajectory: Trajectory) -> list[Event]:
    rows = db.session.execute(
        sa.select(Phase.number, Phase.title, Phase.planned_start, Phase.target_date).where(
            Phase.trajectory_id == trajectory.id
        )
    )
    events = []
    for number, title, start, target in rows:
        name = f"{_('Phase %(n)d', n=number)}: {title}"
        if start:
            events.append(Event(start, EventKind.PHASE_START, name))
        if target:
            events.append(Event(target, EventKind.PHASE_TARGET, name))
    return events


def _milestone_events(trajectory: Trajectory) -> list[Event]:
    rows = db.session.execute(
        sa.select(Milestone.title, Milestone.target_date, Milestone.achieved_on).where(
            Milestone.trajectory_id == trajectory.id
        )
    )
    return [
        Event(target, EventKind.MILESTONE, title, achieved is not None) for title, target, achieved in rows
    ]


def _meeting_events(trajectory: Trajectory, today: date) -> list[Event]:
    rows = db.session.execute(
        sa.select(Meeting.held_on, Meeting.purpose, Meeting.place).where(
            Meeting.trajectory_id == trajectory.id
        )
    )
    return [
        Event(held_on, EventKind.MEETING, (purpose or place or "").strip()[:200], held_on < today)
        for held_on, purpose, place in rows
    ]


def _round_events(trajectory: Trajectory, today: date) -> list[Event]:
    rows = db.session.execute(
        sa.select(EvaluationRound.name, EvaluationRound.opens_on, EvaluationRound.closes_on).where(
            EvaluationRound.trajectory_id == trajectory.id
        )
    )
    events = []
    for name, opens_on, closes_on in rows:
        events.append(Event(opens_on, EventKind.ROUND_OPENS, name, opens_on <= today))
        events.append(Event(closes_on, EventKind.ROUND_CLOSES, name, closes_on < today))
    return events


def _cycle_events(trajectory: Trajectory, today: date) -> list[Event]:
    cycles = db.session.scalars(
        sa.select(Cycle)
        .join(Plan, Cycle.plan_id == Plan.id)
        .where(Plan.trajectory_id == trajectory.id)
        .options(joinedload(Cycle.plan).joinedload(Plan.organisation))
    )
    events = []
    for cycle in cycles:
        name = f"{cycle.plan.title}, {_('cycle %(n)d', n=cycle.number)}"
        events.append(Event(cycle.start_date, EventKind.CYCLE_START, name, cycle.start_date <= today))
        events.append(Event(cycle.end_date, EventKind.CYCLE_END, name, cycle.closed_at is not None))
    return events


KIND_ORDER = {kind: index for index, kind in enumerate(EventKind)}


def timeline(trajectory: Trajectory, today: date) -> list[Event]:
    """Every dated event of the trajectory, by date (then kind and title), in five queries."""
    events = (
        _phase_events(trajectory)
        + _milestone_events(trajectory)
        + _meeting_events(trajectory, today)
        + _round_events(trajectory, today)
        + _cycle_events(trajectory, today)
    )
    return sorted(events, key=lambda e: (e.day, KIND_ORDER[e.kind], e.title))
