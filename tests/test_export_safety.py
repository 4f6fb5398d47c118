"""Exports and the calendar feed survive text pasted from a word processor: characters XML 1.0 and
iCalendar do not allow are left out by the writers, XLSX text stays text (never a formula) and CSV
keeps its formula guard."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from tracker.actions import services as actions
from tracker.extensions import db
from tracker.plans import services as plans

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture
def pasted(world):
    """Actions and a milestone of trajectory A with a vertical tab (from Word) and a formula-like title."""
    a, plan, lead = world["a"], world["plan"], world["a"].memberships[0]
    due = date.today() + timedelta(days=7)
    for title, description in (("Bel\x0b de school", "Eerst\x0b de mentor\x07"), ("=1+1", "")):
        actions.create_action(
            a,
            plan,
            actions.ActionValues(title=title, description=description, owner_id=lead.id, due_date=due),
        )
    plans.create_milestone(
        a,
        plan,
        plans.MilestoneValues(
            title="Mijlpaal\x0c met formfeed", target_date=due, expected_result="Resultaat\x1b"
        ),
    )
    db.session.commit()
    return world


def _sheet(response):
    assert response.status_code == 200 and response.data[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    return header, list(sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("url", ["/trajecten/{id}/acties.xlsx", "/acties.xlsx"])
def test_the_xlsx_action_export_keeps_the_text_without_control_characters_and_never_a_formula(
    client, login, pasted, url
):
    login(pasted["users"]["projectleider"])
    header, rows = _sheet(client.get(url.format(id=pasted["a"].id)))
    titles = {row[header.index("Actie")].value: row[header.index("Actie")] for row in rows}
    assert "Bel de school" in titles
    formula = titles["=1+1"]
    assert formula.data_type == "s" and formula.value == "=1+1"  # a string, no apostrophe added


def test_the_xlsx_milestone_export_survives_control_characters(client, login, pasted):
    login(pasted["users"]["teamlid"])
    header, rows = _sheet(client.get(f"/trajecten/{pasted['a'].id}/mijlpalen.xlsx"))
    titles = [row[header.index("Mijlpaal")].value for row in rows]
    assert "Mijlpaal met formfeed" in titles


def test_the_csv_export_has_no_control_characters_and_keeps_its_formula_guard(client, login, pasted):
    login(pasted["users"]["projectleider"])
    body = client.get(f"/trajecten/{pasted['a'].id}/acties.csv").get_data(as_text=True)
    assert not CONTROL.search(body)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    titles = [r[rows[0].index("Actie")] for r in rows[1:]]
    assert "Bel de school" in titles and "'=1+1" in titles and "=1+1" not in titles


def test_the_results_export_survives_a_control_character_in_a_comment(client, login, world):
    from tracker.models import Ballot, Color, Vote

    evaluation_round = world["round"]  # closed
    member = world["a"].memberships[1]
    ballot = Ballot(round_id=evaluation_round.id, membership_id=member.id, layer="management")
    db.session.add(ballot)
    db.session.flush()
    db.session.add(
        Vote(
            ballot=ballot,
            factor=evaluation_round.factors[0]["key"],
            color=Color.ROOD,
            comment="Te\x0b weinig tijd",
        )
    )
    db.session.commit()
    login(world["users"]["teamlid"])
    header, rows = _sheet(
        client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}/resultaten.xlsx")
    )
    comments = [row[header.index("Toelichtingen")].value for row in rows]
    assert "Te weinig tijd" in comments


def test_the_calendar_feed_has_no_control_characters_and_uids_carry_the_installation_host(
    app, client, pasted
):
    app.config["PUBLIC_URL"] = "https://tracker.example.nl"
    lead = pasted["users"]["projectleider"]
    response = client.get(f"/agenda/{lead.calendar_token}.ics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    assert not CONTROL.search(unfolded.replace("\r\n", ""))
    assert "SUMMARY:Actie: Bel de school" in unfolded and "Mijlpaal met formfeed" in unfolded
    uids = [line[len("UID:") :] for line in unfolded.split("\r\n") if line.startswith("UID:")]
    assert uids and all(uid.endswith("@tracker.example.nl") for uid in uids)
