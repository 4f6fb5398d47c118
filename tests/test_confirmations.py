"""Decisions with consequences ask first: a phase-1 go with open questions, closing a PDCA cycle."""

from __future__ import annotations

from datetime import date

from tracker.extensions import db
from tracker.models import Action, Cycle, Decision, ItemStatus
from tracker.trajectories.services import open_questions

GO = {
    "outcome": "wenselijk",
    "rationale": "Iedereen wil door",
    "decided_by": "Partneroverleg",
    "decided_on": "2026-03-01",
    "shared_vision": "Samen",
    "shared_ambition": "Minder pesten",
}


def _phase1_items(trajectory):
    return [i for i in trajectory.items if i.section.phase.number == 1 and i.archived_at is None]


def test_a_go_with_open_questions_asks_for_confirmation_showing_how_many(client, login, world):
    a = world["a"]
    items = _phase1_items(a)
    items[0].status = ItemStatus.AFGEROND
    items[1].status = ItemStatus.NVT
    db.session.commit()
    expected = len(items) - 2
    assert open_questions(a, 1) == expected
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase1/nieuw"
    page = client.get(url).get_data(as_text=True)
    assert f"Er staan nog {expected} vragen van fase 1 open." in page

    response = client.post(url, data=GO)
    body = response.get_data(as_text=True)
    assert f"Er staan nog {expected} vragen open in fase 1. Bevestig" in body
    assert "Iedereen wil door" in body  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0

    assert client.post(url, data={**GO, "confirm_open": "y"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 1


def test_a_go_on_a_finished_phase_1_and_other_outcomes_need_no_confirmation(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase1/nieuw"
    pause = {**GO, "outcome": "pas_op_de_plaats"}
    assert client.post(url, data=pause).status_code == 302
    for item in _phase1_items(a):
        item.status = ItemStatus.AFGEROND
    db.session.commit()
    assert "vragen van fase 1 open" not in client.get(url).get_data(as_text=True)
    assert client.post(url, data=GO).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 2


def _cycle_texts(cycle):
    cycle.plan_text, cycle.do_text = "Plantekst van cyclus een", "Dotekst van cyclus een"
    cycle.check_text, cycle.act_text = "Checktekst van cyclus een", "Acttekst van cyclus een"
    db.session.commit()


def test_closing_a_cycle_first_says_which_actions_carry_over(client, login, world):
    a, plan, open_action = world["a"], world["plan"], world["action"]
    cycle = plan.cycles[0]
    done = Action(
        trajectory_id=a.id,
        plan=plan,
        cycle=cycle,
        title="Al afgerond",
        owner_id=open_action.owner_id,
        status="gereed",
        stage="check",
    )
    db.session.add(done)
    db.session.commit()
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/cycli/{cycle.id}/afsluiten"

    response = client.post(url, data={"close-next_end": "30-06-2026"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cyclus 2 start: 1 april 2026 – 30 juni 2026." in page
    assert "Deze onafgeronde acties (1) gaan mee naar cyclus 2:" in page
    carried = page.split('id="overgenomen"', 1)[1].split("</ul>", 1)[0]
    assert "Bijeenkomst organiseren" in carried and "Al afgerond" not in carried
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).closed_at is None  # nothing happened yet
    assert db.session.scalar(db.select(db.func.count(Cycle.id)).where(Cycle.plan_id == plan.id)) == 1

    # The confirmation page carries the confirmation and the chosen end date.
    assert 'name="close-confirm"' in page and 'value="2026-06-30"' in page
    assert client.post(url, data={"close-confirm": "1", "close-next_end": "2026-06-30"}).status_code == 302
    db.session.expire_all()
    cycles = db.session.scalars(db.select(Cycle).where(Cycle.plan_id == plan.id).order_by(Cycle.number)).all()
    assert cycles[0].closed_at is not None and cycles[1].end_date == date(2026, 6, 30)
    assert db.session.get(Action, open_action.id).cycle_id == cycles[1].id


def test_a_closed_cycle_stays_readable_on_the_plan_page(client, login, world):
    a, plan = world["a"], world["plan"]
    cycle = plan.cycles[0]
    _cycle_texts(cycle)
    login(world["users"]["projectleider"])
    client.post(f"/trajecten/{a.id}/cycli/{cycle.id}/afsluiten", data={"close-confirm": "1"})
    page = client.get(f"/trajecten/{a.id}/plannen/{plan.id}").get_data(as_text=True)
    assert "Afgesloten cycli" in page
    closed = page.split('id="cyclus-1"', 1)[1].split("</details>", 1)[0]
    for text in (
        "Plantekst van cyclus een",
        "Dotekst van cyclus een",
        "Checktekst van cyclus een",
        "Acttekst van cyclus een",
    ):
        assert text in closed
    # The current cycle (2) is the one being edited; cycle 1 is only shown, not in a form.
    assert "Cyclus 2" in page
    login(world["users"]["meekijker"])
    assert "Acttekst van cyclus een" in client.get(f"/trajecten/{a.id}/plannen/{plan.id}").get_data(
        as_text=True
    )
