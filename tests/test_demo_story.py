"""The demo tells the handreiking's case in order: checked for contradictions in its dates and states,
whatever the day it is loaded on."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import demo
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionStatus,
    Decision,
    DecisionKind,
    EvaluationRound,
    Meeting,
    Plan,
    ProcessStep,
    Trajectory,
    Workshop,
)
from tracker.trajectories.progress import progress_for

from .snapshots import build_once

ORDINALS = {"eerste": 0, "tweede": 1, "derde": 2, "vierde": 3, "vijfde": 4}
DAYS = [date(2026, 5, 31), date(2027, 2, 28), date.today()]


@pytest.fixture(params=DAYS, ids=lambda d: d.isoformat())
def case(app, request):
    """The demo loaded on that day: through the import on the worker's first test of the day and
    restored from a copy of that database for the others (tests/snapshots.py)."""
    today = request.param

    def load() -> Trajectory:
        demo.load(today)
        return db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like("Preventie van pesten%")))

    trajectory = build_once(f"demo story on {today}", app.config["UPLOAD_FOLDER"], load)
    yield trajectory, today
    db.session.rollback()


def _meetings(trajectory: Trajectory) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting).where(Meeting.trajectory_id == trajectory.id).order_by(Meeting.held_on)
        )
    )


def _plans(trajectory: Trajectory) -> list[Plan]:
    return list(
        db.session.scalars(sa.select(Plan).where(Plan.trajectory_id == trajectory.id).order_by(Plan.id))
    )


def _actions(plan: Plan) -> list[Action]:
    return list(db.session.scalars(sa.select(Action).where(Action.plan_id == plan.id).order_by(Action.id)))


def _dated(trajectory: Trajectory) -> list[tuple[str, date]]:
    """Every date of the case, named."""
    found: list[tuple[str, date]] = []
    for phase in trajectory.phases:
        found += [
            (f"fase {phase.number} start", phase.planned_start),
            (f"fase {phase.number} doel", phase.target_date),
        ]
        found += [(f"punt {i.text[:30]}", i.due_date) for s in phase.sections for i in s.items]
    found += [(f"besluit {d.kind.value}", d.decided_on) for d in trajectory.decisions]
    for meeting in _meetings(trajectory):
        found += [("bijeenkomst", meeting.held_on)] + [
            (f"afspraak {a.text[:30]}", a.due_date) for a in meeting.agreements
        ]
    for plan in _plans(trajectory):
        found += [(f"cyclus {c.number}", c.start_date) for c in plan.cycles]
        found += [(f"mijlpaal {m.title}", m.target_date) for m in plan.milestones]
        found += [(f"mijlpaal behaald {m.title}", m.achieved_on) for m in plan.milestones]
        found += [(f"actie {a.title}", a.due_date) for a in _actions(plan)]
    rounds = db.session.scalars(
        sa.select(EvaluationRound).where(EvaluationRound.trajectory_id == trajectory.id)
    )
    found += [(f"ronde {r.name}", r.opens_on) for r in rounds]
    workshops = db.session.scalars(sa.select(Workshop).where(Workshop.trajectory_id == trajectory.id))
    found += [("werksessie", w.held_on) for w in workshops]
    return [(name, value) for name, value in found if value is not None]


def test_nothing_happens_before_the_trajectory_starts(case):
    trajectory, _today = case
    early = [(name, d) for name, d in _dated(trajectory) if d < trajectory.start_date]
    assert early == []


def test_the_first_evaluation_rounds_come_after_the_start_and_follow_the_meetings(case):
    trajectory, today = case
    rounds = db.session.scalars(
        sa.select(EvaluationRound)
        .where(EvaluationRound.trajectory_id == trajectory.id)
        .order_by(EvaluationRound.opens_on)
    ).all()
    meetings = _meetings(trajectory)
    assert rounds and rounds[0].opens_on > trajectory.start_date
    # The partners evaluate once they meet as a network: after the second meeting.
    assert rounds[0].opens_on >= meetings[1].held_on
    assert all(r.opens_on <= today for r in rounds)


def test_a_phase_with_filled_in_work_is_not_not_started_and_its_planning_holds(case):
    trajectory, today = case
    progress = progress_for([trajectory.id], today)[trajectory.id]
    steps = db.session.scalar(
        sa.select(sa.func.count(ProcessStep.id)).where(ProcessStep.trajectory_id == trajectory.id)
    )
    plans = _plans(trajectory)
    for phase in trajectory.phases:
        answered = any(i.answer for s in phase.sections for i in s.items)
        if answered:
            assert progress.phase(phase.number).state != "not_started", phase.number
    assert steps and progress.phase(3).state != "not_started"
    assert plans and progress.phase(4).state != "not_started"
    # A plan in its second cycle only when phase 4 is under way.
    if any(len(p.cycles) > 1 for p in plans):
        assert progress.phase(4).state in ("in_progress", "done")
    starts = [p.planned_start for p in trajectory.phases]
    assert all(s is not None for s in starts) and starts == sorted(starts)
    assert starts[0] >= trajectory.start_date
    assert all(p.target_date >= p.planned_start for p in trajectory.phases if p.target_date)


def test_the_process_analysis_is_done_at_the_third_meeting(case):
    trajectory, _today = case
    third = _meetings(trajectory)[2]
    phase3 = trajectory.phases[2]
    items = [i for s in phase3.sections for i in s.items]
    assert all(i.status.value == "afgerond" and i.answer for i in items)
    assert phase3.target_date == third.held_on
    assert (
        "Consulteer daar waar nodig een collega wanneer het jouw expertise overstijgt" in third.outcome_mixed
    )


def test_no_action_appears_twice(case):
    trajectory, _today = case
    titles: list[str] = []
    for plan in _plans(trajectory):
        in_plan = [re.sub(r"\W+", " ", a.title.lower()).strip() for a in _actions(plan)]
        assert len(in_plan) == len(set(in_plan)), plan.purpose
        titles += in_plan
    assert len(titles) == len(set(titles))
    # The handreiking's working agreements each appear once.
    for words in ("jongerengroep", "dossier analyse", "verbalisanten"):
        assert sum(words in t for t in titles) == 1, words


def test_decisions_are_dated_at_the_meetings_they_name(case):
    trajectory, _today = case
    meetings = _meetings(trajectory)
    decisions = db.session.scalars(sa.select(Decision).where(Decision.trajectory_id == trajectory.id)).all()
    assert {d.kind for d in decisions} == {DecisionKind.PHASE1, DecisionKind.PHASE4}
    for decision in decisions:
        named = [n for word, n in ORDINALS.items() if f"{word} overleg" in decision.decided_by]
        assert len(named) == 1, decision.decided_by
        meeting = meetings[named[0]]
        later = meetings[named[0] + 1] if named[0] + 1 < len(meetings) else None
        assert decision.decided_on >= meeting.held_on
        assert later is None or decision.decided_on < later.held_on
    phase1 = next(d for d in decisions if d.kind == DecisionKind.PHASE1)
    assert meetings.index(next(m for m in meetings if m.held_on == phase1.decided_on)) == 0


def test_agreements_are_resolved_before_a_later_meeting_discusses_them(case):
    trajectory, today = case
    meetings = _meetings(trajectory)
    held = [m for m in meetings if m.held_on <= today]
    assert len(held) == 4 and len(meetings) == 5
    for earlier, later in zip(held, held[1:], strict=False):
        for agreement in earlier.agreements:
            action = db.session.get(Action, agreement.action_id)
            assert action is not None
            assert action.status == ActionStatus.GEREED or (action.due_date and action.due_date >= today), (
                agreement.text
            )
            assert agreement.due_date <= later.held_on, agreement.text


def test_the_phase_one_ambition_names_a_result_for_children(case):
    trajectory, _today = case
    phase1 = next(d for d in trajectory.decisions if d.kind == DecisionKind.PHASE1)
    assert not phase1.shared_ambition.rstrip().endswith("?")
    assert "kinderen" in phase1.shared_ambition


def test_the_story_details_sit_where_the_story_tells_them(case):
    trajectory, _today = case
    meetings = _meetings(trajectory)
    fourth = meetings[3]
    external = next(p for p in _plans(trajectory) if p.kind.value == "extern")
    second_cycle = {a.title for a in _actions(external) if a.cycle and a.cycle.number == 2}
    # After the fourth meeting: the transformer house, the fathers as volunteer managers, the debt help.
    for words in ("transformatorhuisje", "vaders", "schulden"):
        assert any(words in t.lower() for t in second_cycle), words
    assert fourth.held_on <= external.cycles[1].start_date
    assert "wijkaandachtsfunctionarissen" in fourth.outcome_bestuur
