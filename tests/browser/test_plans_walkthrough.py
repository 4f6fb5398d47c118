"""Managers, project leads and members working with the action plans, in Chromium."""

from __future__ import annotations

import csv
import io
import re

import pytest
import requests
from playwright.sync_api import expect

from tracker.extensions import db
from tracker.models import ChecklistItem, Trajectory

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_project_lead_lands_on_the_overview_with_actions_and_next_milestone(page, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    expect(page.get_by_role("heading", name="Overzicht van uw trajecten")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Preventie van pesten in de Rivierenwijk")
    expect(row.get_by_text("te laat").first).to_be_visible()
    expect(row.get_by_text("Eigen ruimte voor de jongeren geregeld")).to_be_visible()


def test_manager_filters_actions_per_layer_and_exports_what_they_see(page, demo_site):
    log_in(page, demo_site, "marieke@demo.betersamen.nl")
    page.get_by_role("link", name="Acties per laag").first.click()
    page.get_by_label("Laag", exact=True).select_option(label="Management")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"laag=management"))
    listed = page.locator("#list-heading").inner_text()
    count = int(listed.split()[0])
    assert count > 0
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    path = download.value.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8-sig").read()), delimiter=";"))
    assert len(rows) - 1 == count and {r[6] for r in rows[1:]} == {"Management"}
    # a matrix cell leads to the list behind it
    page.get_by_role("link", name="Management, Gepland").first.click()
    assert "status=gepland" in page.url and "laag=management" in page.url


def test_member_turns_an_item_into_an_action_moves_it_through_the_cycle_and_achieves_the_milestone(
    page, demo_site
):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    item = db.session.scalar(
        db.select(ChecklistItem).where(
            ChecklistItem.trajectory_id == case.id, ChecklistItem.text.like("Beschrijf de stappen%")
        )
    )
    page.goto(f"{demo_site}/trajecten/{case.id}/items/{item.id}")
    page.get_by_role("link", name="Maak actie van dit punt").click()
    assert page.get_by_label("Titel").input_value().startswith("Beschrijf de stappen")
    page.get_by_label("Titel").fill("Cliëntroute in kaart brengen")
    page.get_by_label("Leidt naar mijlpaal").select_option(
        label="Twee wijkaandachtsfunctionarissen aan de slag (Extern actieplan)"
    )
    page.get_by_role("button", name="Actie opslaan").click()
    expect(page.get_by_text("De actie is toegevoegd.")).to_be_visible()
    page.get_by_role("link", name="Cliëntroute in kaart brengen").click()
    page.get_by_role("link", name="Bewerken").click()
    page.get_by_label("Status").select_option(label="Gereed")
    page.get_by_label("PDCA-fase").select_option(label="Check")
    page.get_by_label("Behaald resultaat").fill("Route van signalering tot nazorg beschreven.")
    page.get_by_role("button", name="Actie opslaan").click()
    page.get_by_role("link", name="Twee wijkaandachtsfunctionarissen aan de slag").click()
    page.get_by_role("link", name="Bewerken").click()
    page.get_by_label("Behaald op").fill("2026-11-20")
    page.get_by_label("Werkelijk resultaat").fill("Twee personen gestart.")
    page.get_by_role("button", name="Mijlpaal opslaan").click()
    row = page.locator("tr[id^=mijlpaal-]", has_text="Twee wijkaandachtsfunctionarissen aan de slag")
    expect(row.get_by_text("Behaald")).to_be_visible()
    page.goto(f"{demo_site}/trajecten/{case.id}/items/{item.id}")
    expect(page.get_by_role("link", name="Cliëntroute in kaart brengen")).to_be_visible()


def test_the_calendar_feed_opens_in_a_calendar_client(page, demo_site):
    log_in(page, demo_site, "henk@demo.betersamen.nl")
    page.get_by_role("link", name="Henk Visser").click()
    url = page.locator("#agenda ~ p code").inner_text()
    response = requests.get(url, timeout=10)  # no cookies, as a calendar client fetches it
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in response.text and "Innovatiegelden vrijmaken" in response.text
