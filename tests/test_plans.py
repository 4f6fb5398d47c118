"""Action plans in PDCA cycles, actions, milestones, the per-layer view, exports and the feed."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from icalendar import Calendar
from openpyxl import load_workbook

from tracker.extensions import db
from tracker.models import Action, ActionStatus, Cycle, Milestone, MilestoneState, Plan, Role


def _action_data(world, **overrides):
    lead = world["a"].memberships[0]
    data = {
        "plan_id": str(world["plan"].id),
        "title": "Ouders uitnodigen",
        "owner_id": str(lead.id),
        "due_date": "2026-02-15",
        "status": "gepland",
        "stage": "plan",
        "milestone_id": "",
        "result": "",
    }
    data.update(overrides)
    return data


def test_project_lead_makes_an_internal_plan_per_organisation_once(client, login, world):
    a = world["a"]
    lead = a.memberships[0]
    login(world["users"]["projectleider"])
    data = {
        "kind": "intern",
        "organisation_id": str(lead.organisation_id),
        "responsible_id": str(lead.id),
        "purpose": "Scholing",
        "status": "actief",
        "cycle_start": "2026-01-01",
        "cycle_end": "2026-03-31",
    }
    assert client.post(f"/trajecten/{a.id}/plannen", data=data).status_code == 302
    again = client.post(f"/trajecten/{a.id}/plannen", data=data)
    assert "Dit traject heeft dit plan al." in again.get_data(as_text=True)
    no_org = client.post(f"/trajecten/{a.id}/plannen", data={**data, "organisation_id": ""})
    assert "Een intern plan heeft de organisatie nodig" in no_org.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 2


def test_bad_action_input_gets_messages_at_the_fields_and_stores_nothing(client, login, world):
    a, b = world["a"], world["b"]
    login(world["users"]["teamlid"])
    before = db.session.scalar(db.select(db.func.count(Action.id)))
    cases = [
        (_action_data(world, owner_id=str(b.memberships[0].id)), "Kies een van de mogelijkheden."),
        (_action_data(world, due_date="2025-12-01"), "De deadline ligt vóór het begin van de huidige cyclus"),
        (_action_data(world, plan_id="999999"), "Kies een van de mogelijkheden."),
        (_action_data(world, title=""), "Dit veld is verplicht."),
    ]
    for data, message in cases:
        response = client.post(f"/trajecten/{a.id}/acties/nieuw", data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and message in body, message
    assert db.session.scalar(db.select(db.func.count(Action.id))) == before


def test_milestone_without_a_date_is_refused(client, login, world):
    login(world["users"]["teamlid"])
    response = client.post(
        f"/trajecten/{world['a'].id}/mijlpalen/nieuw",
        data={"plan_id": str(world["plan"].id), "title": "Zonder datum", "target_date": ""},
    )
    assert "Dit veld is verplicht." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Milestone).where(Milestone.title == "Zonder datum")) is None


def test_action_from_a_checklist_item_is_prefilled_and_linked_both_ways(client, login, world):
    a = world["a"]
    item = a.items[4]
    item.answer = "Ouders voelen zich niet gehoord."
    db.session.commit()
    login(world["users"]["teamlid"])
    form = client.get(f"/trajecten/{a.id}/acties/nieuw?punt={item.id}").get_data(as_text=True)
    assert item.text in form and "Ouders voelen zich niet gehoord." in form
    data = _action_data(world, title="Ouders betrekken", source_type="checklist_item", source_id=str(item.id))
    assert client.post(f"/trajecten/{a.id}/acties/nieuw?punt={item.id}", data=data).status_code == 302
    action = db.session.scalar(db.select(Action).where(Action.title == "Ouders betrekken"))
    assert (action.source_type, action.source_id) == ("checklist_item", item.id)
    item_page = client.get(f"/trajecten/{a.id}/items/{item.id}").get_data(as_text=True)
    assert "Ouders betrekken" in item_page
    action_page = client.get(f"/trajecten/{a.id}/acties/{action.id}").get_data(as_text=True)
    assert item.text in action_page


def test_closing_a_cycle_opens_the_next_and_carries_unfinished_actions_over(client, login, world):
    a, plan = world["a"], world["plan"]
    login(world["users"]["projectleider"])
    done = _action_data(world, title="Klaar", status="gereed")
    client.post(f"/trajecten/{a.id}/acties/nieuw", data=done)
    cycle = plan.cycles[0]
    # Closing is confirmed on a page that says what will happen (see tests/test_confirmations.py).
    response = client.post(f"/trajecten/{a.id}/cycli/{cycle.id}/afsluiten", data={"close-confirm": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    cycles = db.session.scalars(db.select(Cycle).where(Cycle.plan_id == plan.id).order_by(Cycle.number)).all()
    assert [c.number for c in cycles] == [1, 2] and cycles[0].closed_at is not None
    assert cycles[1].start_date == date(2026, 4, 1)
    carried = db.session.get(Action, world["action"].id)
    assert carried.cycle_id == cycles[1].id and carried.carried_from_cycle_id == cycles[0].id
    finished = db.session.scalar(db.select(Action).where(Action.title == "Klaar"))
    assert finished.cycle_id == cycles[0].id
    page = client.get(f"/trajecten/{a.id}/plannen/{plan.id}").get_data(as_text=True)
    assert "overgenomen uit cyclus 1" in page


def test_milestone_states(world):
    today = date(2026, 2, 20)
    milestone, action = world["milestone"], world["action"]
    milestone.target_date = today + timedelta(days=30)
    action.due_date = today + timedelta(days=5)
    assert milestone.state(today) == MilestoneState.OP_SCHEMA
    milestone.target_date = today + timedelta(days=7)
    assert milestone.state(today) == MilestoneState.RISICO
    milestone.target_date = today - timedelta(days=1)
    assert milestone.state(today) == MilestoneState.TE_LAAT
    milestone.achieved_on = today
    assert milestone.state(today) == MilestoneState.BEHAALD
    milestone.achieved_on, milestone.target_date = None, today + timedelta(days=60)
    action.status = ActionStatus.GEBLOKKEERD
    assert milestone.state(today) == MilestoneState.RISICO


def test_moving_an_action_to_done_and_achieving_the_milestone(client, login, world):
    a, action, milestone = world["a"], world["action"], world["milestone"]
    login(world["users"]["teamlid"])
    client.post(
        f"/trajecten/{a.id}/acties/{action.id}",
        data=_action_data(
            world,
            title=action.title,
            status="gereed",
            stage="check",
            milestone_id=str(milestone.id),
            result="Bijeenkomst gehouden",
            version=str(action.version),
        ),
    )
    client.post(
        f"/trajecten/{a.id}/mijlpalen/{milestone.id}",
        data={
            "plan_id": str(world["plan"].id),
            "title": milestone.title,
            "target_date": "2026-03-01",
            "achieved_on": "2026-02-20",
            "actual_result": "Aanpak vastgesteld",
            "version": str(milestone.version),
        },
    )
    page = client.get(f"/trajecten/{a.id}/plannen/{world['plan'].id}").get_data(as_text=True)
    assert "Behaald" in page and "Bijeenkomst gehouden" not in page  # results live on the action page
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == ActionStatus.GEREED


def test_archiving_an_action_keeps_it_and_its_history(client, login, world):
    a, action = world["a"], world["action"]
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/acties/{action.id}/archiveren")
    db.session.expire_all()
    assert db.session.get(Action, action.id).archived_at is not None
    client.post(f"/trajecten/{a.id}/acties/{action.id}/herstellen")
    db.session.expire_all()
    assert db.session.get(Action, action.id).archived_at is None


def test_the_matrix_counts_per_layer_and_status_and_links_to_the_list(client, login, world, make_actions):
    make_actions(20)
    login(world["users"]["manager"])
    page = client.get(f"/trajecten/{world['a'].id}/acties").get_data(as_text=True)
    assert "Laag × status" in page
    filtered = client.get(f"/trajecten/{world['a'].id}/acties?laag=management&status=gepland").get_data(
        as_text=True
    )
    assert "Manon Manager" in filtered and "Pia Projectleider" not in filtered.split("list-heading")[1]


def test_exports_contain_exactly_the_filtered_view(client, login, world, make_actions):
    make_actions(20)
    login(world["users"]["manager"])
    url = f"/trajecten/{world['a'].id}/acties"
    shown = client.get(f"{url}?laag=uitvoerend").get_data(as_text=True)
    response = client.get(f"{url}.csv?laag=uitvoerend")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Traject", "Plan", "Cyclus", "Actie"]
    assert {r[6] for r in rows[1:]} == {"Uitvoerend / professional"}
    assert all(r[3] in shown for r in rows[1:])
    assert f"{len(rows) - 1} acties" in shown
    xlsx = client.get(f"{url}.xlsx?laag=uitvoerend")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == len(rows)
    ms = client.get(f"/trajecten/{world['a'].id}/mijlpalen.csv").get_data(as_text=True)
    assert "Aanpak vastgesteld" in ms


def test_formula_text_is_neutralised_in_exports(client, login, world):
    world["action"].title = '=HYPERLINK("http://evil")'
    db.session.commit()
    login(world["users"]["teamlid"])
    body = client.get(f"/trajecten/{world['a'].id}/acties.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_overview_shows_open_and_overdue_actions_and_the_next_milestone(client, login, world):
    world["action"].due_date = date.today() - timedelta(days=1)
    world["milestone"].target_date = date.today() + timedelta(days=30)
    db.session.commit()
    login(world["users"]["teamlid"])
    page = client.get("/trajecten").get_data(as_text=True)
    assert "1 open" in page and "1 te laat" in page and "Aanpak vastgesteld" in page


def test_calendar_feed_works_without_login_and_can_be_revoked(app, client, login, world):
    teamlid = world["users"]["teamlid"]
    member = next(m for m in world["a"].memberships if m.role == Role.TEAMLID)
    world["action"].owner_id = member.id
    db.session.commit()
    anonymous = app.test_client()
    feed = anonymous.get(f"/agenda/{teamlid.calendar_token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    summaries = {str(e.get("summary")) for e in calendar.walk("VEVENT")}
    assert "Actie: Bijeenkomst organiseren" in summaries and "Mijlpaal: Aanpak vastgesteld" in summaries
    old = teamlid.calendar_token
    login(teamlid)
    client.post("/account/agenda/vernieuwen")
    assert anonymous.get(f"/agenda/{old}.ics").status_code == 404
    db.session.refresh(teamlid)
    assert anonymous.get(f"/agenda/{teamlid.calendar_token}.ics").status_code == 200


def test_outsiders_get_no_feed_entries_or_exports_of_other_trajectories(client, login, world):
    outsider = world["users"]["outsider"]
    feed = client.get(f"/agenda/{outsider.calendar_token}.ics")
    assert b"Bijeenkomst organiseren" not in feed.data
    login(outsider)
    assert b"Bijeenkomst organiseren" not in client.get("/acties.csv").data
    assert client.get(f"/trajecten/{world['a'].id}/acties.xlsx").status_code == 403
