"""The warning before the session ends, and a form that survives the end, in Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.fixtures_world import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_the_warning_appears_shortly_before_the_end_and_stay_logged_in_extends(
    app, live_server, page, make_user
):
    user = make_user("Pia Projectleider")
    _log_in(page, live_server, user.email)
    # The warning comes two minutes before the end: with a limit of two minutes and three
    # seconds, three seconds after the page loads.
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(seconds=123)
    page.goto(f"{live_server}/trajecten")
    dialog = page.get_by_role("alertdialog", name="Uw sessie verloopt bijna")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_contain_text("Over ongeveer 2 minuten wordt u uitgelogd.")
    stay = dialog.get_by_role("button", name="Ingelogd blijven")
    expect(stay).to_be_focused()
    expect(dialog.get_by_role("button", name="Uitloggen")).to_be_visible()
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(hours=1)
    stay.click()
    expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Mijn werk").click()
    expect(page).to_have_url(f"{live_server}/mijn-werk")  # still logged in


def test_after_the_end_a_posted_form_comes_back_after_logging_in(
    app, live_server, page, make_user, make_trajectory
):
    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    _log_in(page, live_server, lead.email)
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(seconds=4)
    page.goto(f"{live_server}/trajecten/{trajectory.id}/bewerken")
    dialog = page.get_by_role("alertdialog", name="Uw sessie is verlopen")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog.get_by_role("button", name="Ingelogd blijven")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_focused()
    dialog.get_by_role("button", name="Sluiten").click()
    expect(dialog).to_be_hidden()
    page.locator("#name").fill("Getypt na het verlopen van de sessie")
    page.wait_for_timeout(1500)  # the page counts in whole seconds: be sure the server's limit passed
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Uw sessie was verlopen. Log opnieuw in; wat u had ingevuld staat weer klaar.")
    ).to_be_visible()
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(hours=1)
    page.get_by_label("E-mailadres").fill(lead.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{live_server}/trajecten/{trajectory.id}/bewerken")
    expect(page.locator("#name")).to_have_value("Getypt na het verlopen van de sessie")
