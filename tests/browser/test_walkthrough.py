"""A new user's path through the demo, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_project_lead_follows_phases_answers_an_item_and_sees_progress(page, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    expect(page.get_by_role("heading", name="Trajecten")).to_be_visible()
    page.get_by_role("link", name="Preventie van pesten in de Rivierenwijk", exact=True).click()
    expect(page.get_by_text("Samenwerking wenselijk (go)").first).to_be_visible()
    # Phase 4 is under way in the demo (phase 3's process analysis was done at the third meeting).
    page.get_by_role("link", name="Fase 4: Afspraken, plannen en borgen").click()
    expect(page.get_by_text("3 van 11 afgerond (27%)")).to_be_visible()
    expect(page.get_by_text("Doorontwikkelen, cliënten blijven betrekken")).to_be_visible()  # Tabel 1
    page.get_by_role("link", name="Beantwoorden en bewerken").first.click()
    page.get_by_label("Antwoord", exact=True).fill(
        "Bij de opening van het transformatorhuisje, met alle partners en de buurt."
    )
    page.get_by_label("Status").select_option(label="Afgerond")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het punt is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("4 van 11 afgerond (36%)")).to_be_visible()


def test_bad_input_gets_a_dutch_message_next_to_the_field_and_keeps_the_rest(page, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    page.goto(f"{demo_site}/trajecten/1/fasen/2")
    page.get_by_text("Eigen punt toevoegen aan Netwerkanalyse").click()
    form = page.locator("details[open] form")
    form.get_by_label("Antwoord", exact=True).fill("Antwoord zonder vraag")
    form.get_by_role("button", name="Punt toevoegen").click()
    question = page.get_by_label("Vraag of aandachtspunt")
    assert question.get_attribute("aria-invalid") == "true"
    error_id = question.get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").inner_text() == "Dit veld is verplicht."
    assert page.get_by_label("Antwoord", exact=True).input_value() == "Antwoord zonder vraag"


def test_a_failed_submit_focuses_the_error_summary_whose_links_lead_to_the_fields(page, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    page.goto(f"{demo_site}/trajecten/1/fasen/2")
    page.get_by_text("Eigen punt toevoegen aan Netwerkanalyse").click()
    page.locator("details[open] form").get_by_role("button", name="Punt toevoegen").click()
    summary = page.get_by_role("alert").filter(has_text="Er is iets niet goed ingevuld")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fout: ")
    summary.get_by_role("link", name="Vraag of aandachtspunt: Dit veld is verplicht.").click()
    expect(page.get_by_label("Vraag of aandachtspunt")).to_be_focused()


def test_outsider_sees_nothing_of_the_case(page, demo_site):
    log_in(page, demo_site, "ruud@demo.betersamen.nl")
    expect(page.get_by_text("Gezond gewicht Oosterpark")).to_be_visible()
    assert page.get_by_text("Rivierenwijk").count() == 0
    response = page.goto(f"{demo_site}/trajecten/1")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()


def test_observer_can_read_but_not_change(page, demo_site):
    log_in(page, demo_site, "tom@demo.betersamen.nl")
    page.get_by_role("link", name="Preventie van pesten in de Rivierenwijk", exact=True).click()
    page.get_by_role("link", name="Fasen", exact=True).click()  # the menu group; its pages show below
    page.get_by_role("link", name="Fase 1", exact=True).click()
    expect(page.get_by_text("Wat is de ambitie?", exact=True).first).to_be_visible()
    assert page.get_by_role("button", name="Archiveren").count() == 0
