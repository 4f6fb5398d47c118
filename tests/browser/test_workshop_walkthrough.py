"""Running an ambition workshop on its data page in Chromium (rather than through the guided
steps): four participants, two shared ambitions, four first steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tracker.extensions import db
from tracker.models import Trajectory

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_workshop_ends_with_shared_ambitions_and_first_steps_in_my_work(page, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    page.goto(f"{demo_site}/trajecten/{case.id}/werksessies")
    page.get_by_role("link", name="Nieuwe sessie").click()
    page.get_by_label("Werkvorm").select_option(label="Ambitiegesprek")
    page.get_by_label("Titel").fill("Ambitiegesprek voorjaar")
    page.get_by_role("button", name="Sessie starten").click()
    # A new session opens its guided steps; the data page of the workshop is one link away.
    page.goto(page.url.removesuffix("/sessie"))
    people = [
        ("Karin Bos", "gemeente"),
        ("Marieke Jansen", "manager JGZ"),
        ("Henk Visser", "bestuur GGD"),
        ("Lisa Meijer", "GGZ"),
    ]
    for name, role in people:
        page.locator("summary", has_text="Een deelnemer toevoegen").click()
        participant = page.locator("#deelnemer-membership_id")
        participant.select_option(label=participant.locator("option", has_text=name).inner_text())
        page.locator("#deelnemer-role").fill(role)
        page.get_by_role("button", name="Deelnemer toevoegen").click()
    page.locator("summary", has_text="Een notitie toevoegen").click()
    page.locator("#notitie-participant_id").select_option(label="Karin Bos")
    page.locator("#notitie-category").select_option(label="Mijn ambitie")
    page.locator("#notitie-text").fill("Elke school in de wijk werkt met hetzelfde pestprotocol")
    page.get_by_role("button", name="Notitie toevoegen").click()
    for index, (name, _role) in enumerate(people):
        card = page.locator("article", has=page.get_by_role("heading", name=name))
        card.locator("summary").click()
        card.get_by_label("Cijfer voor de samenwerking nu (1–10)").fill(str(5 + index))
        card.get_by_label("Eerste stap (en nu)").fill(f"Eerste stap van {name}")
        card.get_by_role("button", name=f"Opslaan voor {name}").click()
    expect(page.get_by_text("Nulmeting")).to_be_visible()
    page.locator("summary", has_text="Notities clusteren").click()
    page.get_by_role("combobox", name="Gedeelde ambitie voor: Elke school in de wijk").select_option(
        label="Een eigen plek voor de jongeren"
    )
    page.get_by_role("button", name="Clustering opslaan").click()
    expect(page.get_by_text("De notities zijn geclusterd.")).to_be_visible()
    # The first steps are the participants' own actions.
    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, demo_site, "lisa@demo.betersamen.nl")
    page.get_by_role("link", name="Mijn werk").click()
    expect(page.get_by_role("link", name="Eerste stap van Lisa Meijer")).to_be_visible()
