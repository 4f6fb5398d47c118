"""A Taart van ambities in Chromium: the facilitator starts it and moves through the steps, a
participant adds a note from a 320-pixel-wide phone, and the screen for the room draws it in its
ring of the pie."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tracker.extensions import db
from tracker.models import Trajectory

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_participant_adds_a_note_from_a_phone_and_the_screen_draws_it_in_the_pie(page, browser, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    page.goto(f"{demo_site}/trajecten/{case.id}/werksessies")
    page.get_by_role("link", name="Nieuwe sessie").click()
    page.get_by_label("Werkvorm").select_option(label="Taart van ambities")
    page.get_by_role("button", name="Sessie starten").click()
    expect(page.get_by_role("heading", name="Stap 1: kennismaken")).to_be_visible()
    expect(page.get_by_text("wat is je rol?")).to_be_visible()
    member = page.locator("#deelnemer-membership_id")
    member.select_option(label=member.locator("option", has_text="Karin Bos").inner_text())
    page.locator("#deelnemer-role").fill("gemeente")
    page.get_by_role("button", name="Deelnemer toevoegen").click()
    page.get_by_role("button", name="Volgende stap").click()
    page.get_by_role("button", name="Deze stap overslaan").click()
    expect(page.get_by_role("heading", name="Stap 3: Wat gaat goed?")).to_be_visible()
    session_url = page.url

    phone = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 640}).new_page()
    log_in(phone, demo_site, "lisa@demo.betersamen.nl")
    phone.goto(session_url.replace("/sessie", "/meedoen"))
    expect(phone.get_by_text("Waar ben je trots op in de samenwerking?")).to_be_visible()
    phone.get_by_label("Jouw notitie").fill("We weten elkaar snel te vinden")
    phone.get_by_role("button", name="Op het vel plakken").click()
    expect(phone.get_by_text("Je notitie staat op het vel.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    phone.context.close()

    page.reload()
    expect(page.get_by_text("We weten elkaar snel te vinden")).to_be_visible()
    page.goto(session_url.replace("/sessie", "/scherm"))
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    ring = page.locator('svg g[data-ring="goed"]')
    expect(ring).to_contain_text(re.compile("We weten"))
    expect(page.locator('svg g[data-ring="kennismaken"]')).to_contain_text("Karin Bos")
    assert page.locator("svg ellipse").count() == 5
    expect(page.locator("figcaption")).to_contain_text("We weten elkaar snel te vinden")
