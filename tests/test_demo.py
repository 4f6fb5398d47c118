"""The demo: the handreiking's bullying case with a believable state."""

from __future__ import annotations

from tracker import demo
from tracker.extensions import db
from tracker.models import Decision, ItemStatus, Layer, Trajectory


def test_seed_demo_loads_the_case_prints_logins_and_refuses_twice(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert demo.DEMO_PASSWORD in first.output and "anouk@demo.betersamen.nl" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code != 0 and "al geladen" in second.output
    assert db.session.scalar(db.select(db.func.count(Trajectory.id))) == 2
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "anouk@demo.betersamen.nl" in again.output


def test_seed_demo_never_touches_a_database_with_other_users(runner, make_user):
    make_user()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(Trajectory.id))) == 0
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0


def test_demo_state_phase1_done_with_go_phase2_under_way_owners_at_all_layers(app):
    demo.load()
    db.session.commit()
    trajectory = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie van pesten%")))
    phase1 = [i for s in trajectory.phases[0].sections for i in s.items]
    assert len(phase1) == 32 and all(i.status == ItemStatus.AFGEROND and i.answer for i in phase1)
    phase2 = [i for s in trajectory.phases[1].sections for i in s.items]
    assert {ItemStatus.AFGEROND, ItemStatus.IN_BEHANDELING, ItemStatus.OPEN} <= {i.status for i in phase2}
    decision = db.session.scalar(db.select(Decision))
    assert decision.outcome.value == "wenselijk" and decision.shared_ambition
    owner_layers = {i.owner.layer for i in trajectory.items if i.owner}
    assert owner_layers == set(Layer)
    orgs = {m.organisation.sector.value for m in trajectory.memberships}
    assert {"ggd_jgz", "onderwijs", "huisarts", "politie", "ggz", "welzijn"} <= orgs


def test_demo_outsider_sees_nothing_of_the_case(client, app):
    demo.load()
    db.session.commit()
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie van pesten%")))
    client.post("/inloggen", data={"email": "ruud@demo.betersamen.nl", "password": demo.DEMO_PASSWORD})
    assert "Rivierenwijk" not in client.get("/trajecten").get_data(as_text=True)
    assert client.get(f"/trajecten/{case.id}").status_code == 403


def test_demo_has_three_closed_rounds_an_open_one_and_red_cards_with_and_without_action(app):
    from datetime import date

    from tracker.evaluations import results as evaluations
    from tracker.models import EvaluationRound, RoundState

    demo.load()
    db.session.commit()
    rounds = db.session.scalars(db.select(EvaluationRound).order_by(EvaluationRound.opens_on)).all()
    today = date.today()
    assert [r.state(today) for r in rounds] == [RoundState.CLOSED] * 3 + [RoundState.OPEN]
    series = evaluations.with_trends(rounds[:3])
    last = {r.key: r for r in series[-1][1]}
    assert last["vertrouwen"].trend == "down" and last["visie_doelen"].trend == "up"
    follow = evaluations.follow_up(rounds[2], series[-1][1])
    red = {r.key: r for r in follow if r.needs_action}
    assert red["middelen"].action_ids and not red["vertrouwen"].action_ids


def test_demo_network_meetings_process_ambition_and_workshop(app):
    from tracker.models import Agreement, Ambition, Meeting, NetworkPartner, ProcessStep, Workshop

    demo.load()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(NetworkPartner.id))) == 6
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.held_on)).all()
    assert len(meetings) == 5 and len(meetings[0].agreements) == 4  # four held, one planned
    assert all(a.action_id for a in db.session.scalars(db.select(Agreement)))
    steps = db.session.scalars(db.select(ProcessStep)).all()
    assert any(s.gap for s in steps) and any(s.waiting for s in steps)
    assert db.session.scalar(db.select(db.func.count(Ambition.id))) == 2
    workshop = db.session.scalar(db.select(Workshop))
    assert len(workshop.participants) == 4 and all(p.grade and p.action_id for p in workshop.participants)


def test_the_demo_is_data_whose_dates_follow_the_day_it_is_loaded(app):
    """The demo goes through the import; loaded on two days its dates move along, and the
    schedule's rounds stay on the schedule (three closed, one open) whatever the month lengths."""
    from datetime import date, timedelta

    from tracker.evaluations import schedules
    from tracker.models import Action, EvaluationRound, RoundState

    seen = {}
    for today in (date(2026, 5, 31), date(2027, 2, 28)):
        demo.load(today)
        db.session.flush()
        case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie van pesten%")))
        rounds = db.session.scalars(db.select(EvaluationRound).order_by(EvaluationRound.opens_on)).all()
        assert [r.state(today) for r in rounds] == [RoundState.CLOSED] * 3 + [RoundState.OPEN]
        schedule = schedules.schedule_of(case)
        planned = {p.opens_on: p.name for p in schedules.planned_rounds(schedule, today)}
        assert all(planned.get(r.opens_on) == r.name for r in rounds)
        overdue = [a for a in db.session.scalars(db.select(Action)) if a.is_overdue(today)]
        assert overdue
        seen[today] = case.start_date
        db.session.rollback()
    assert seen == {day: day - timedelta(days=150) for day in seen}
