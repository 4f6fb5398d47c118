"""Voting in an evaluation round and acting on a red card, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tracker.extensions import db
from tracker.models import Ballot, EvaluationRound, Trajectory

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_member_votes_with_cards_and_can_change_them(page, demo_site):
    log_in(page, demo_site, "fatima@demo.betersamen.nl")
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    page.goto(f"{demo_site}/trajecten/{case.id}/evaluaties")
    page.get_by_role("link", name="Naar de ronde").click()
    # .all() does not wait: let the round's ballot load before listing its groups.
    expect(page.get_by_role("heading", name="Uw kaarten")).to_be_visible()
    for group in page.get_by_role("radiogroup").all():
        group.get_by_label("Groen: ja").check()
    page.get_by_role("radiogroup", name="Vertrouwen").get_by_label("Rood: nee").check()
    page.locator("details.app-comment > summary").nth(9).click()
    page.get_by_label("Toelichting (optioneel)").nth(9).fill(
        "We moeten het gesprek over verrichtingen afronden."
    )
    page.get_by_role("button", name="Mijn kaarten opslaan").click()
    expect(page.get_by_text("uw kaarten zijn opgeslagen")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Wijzigen")).click()
    assert page.get_by_role("radiogroup", name="Vertrouwen").get_by_label("Rood: nee").is_checked()
    db.session.expire_all()
    open_round = db.session.scalar(db.select(EvaluationRound).order_by(EvaluationRound.opens_on.desc()))
    assert db.session.scalar(db.select(db.func.count(Ballot.id)).where(Ballot.round_id == open_round.id)) == 3


def test_project_lead_reads_the_heatmap_and_turns_a_red_card_into_an_action(page, demo_site):
    log_in(page, demo_site, "anouk@demo.betersamen.nl")
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    page.goto(f"{demo_site}/trajecten/{case.id}/evaluaties")
    expect(page.get_by_role("heading", name="Resultaten door de tijd")).to_be_visible()
    assert page.get_by_text("slechter dan de vorige ronde").count() >= 1
    closed = db.session.scalars(db.select(EvaluationRound).order_by(EvaluationRound.opens_on)).all()[2]
    page.get_by_role("link", name=closed.name).first.click()
    follow = page.locator("section", has=page.locator("#follow-heading"))
    follow.get_by_role("link", name=re.compile(r"Maak actie\W*Vertrouwen")).click()
    assert "Vertrouwen" in page.get_by_label("Titel").input_value()
    page.get_by_role("button", name="Actie opslaan").click()
    expect(page.get_by_text("De actie is toegevoegd.")).to_be_visible()
    page.goto(f"{demo_site}/trajecten/{case.id}/evaluaties/{closed.id}")
    assert (
        page.locator("section", has=page.locator("#follow-heading")).get_by_text("gekoppelde actie").count()
        == 2
    )
