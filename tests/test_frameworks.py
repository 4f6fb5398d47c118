"""The evaluation frameworks in their own words: Met Andere Ogen with the document's numbering and
headings, the 5 V's asked as one question per V derived from quoted passages of the handreiking, and
the evaluation texts, the ballot and the mails naming the chosen framework and cadence."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracker.content import frameworks
from tracker.evaluations import tasks
from tracker.evaluations.schedules import ScheduleSettings, factor_snapshot, save_schedule
from tracker.extensions import db
from tracker.models import Cadence, EvaluationRound, OutboxMessage

from .test_content import normalise

# The seeds sit next to the checkout (../shared/seeds); SEEDS_DIR points elsewhere (a worktree).
SEEDS = Path(os.environ.get("SEEDS_DIR") or Path(__file__).resolve().parents[1].parent / "shared" / "seeds")


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"source document not found at {path}")
    return normalise(path.read_text(encoding="utf-8"))


def test_met_andere_ogen_keeps_the_documents_numbers_and_headings():
    source = _seed("001_12fc91b0c980ae1c.txt")
    factors = frameworks()["met_andere_ogen"]["factors"]
    assert [(f["number"], f["title"]) for f in factors if f["number"]] == [
        ("1", "Cultuur van samenwerken"),
        ("3", "Lerende cyclus: zicht op de vooruitgang"),
        ("5", "Werken in één ecosysteem"),
    ]
    for factor in factors:
        heading = normalise(factor["title"])
        if factor["number"]:
            assert f"{factor['number']} {heading}" in source
        else:
            assert heading in source and not re.search(rf"\d {re.escape(heading)}", source)
        for question in factor["questions"]:
            assert normalise(question) in source, question


def test_the_critical_success_factors_carry_the_handreikings_numbers():
    source = _seed("003_a0c285c762c4b3c7.txt")
    factors = frameworks()["ksf"]["factors"]
    assert [f["number"] for f in factors] == [str(n) for n in range(1, 13)]
    for factor in factors:
        assert f"{factor['number']} {normalise(factor['title'])}" in source, factor["title"]


def test_each_v_is_one_question_derived_from_quoted_passages_of_the_handreiking():
    source = _seed("003_a0c285c762c4b3c7.txt")
    factors = frameworks()["vijf_v"]["factors"]
    assert [f["title"] for f in factors] == [
        "Verantwoordelijkheid",
        "Versterken",
        "Verbinden",
        "Vertrouwen",
        "Vrijheid",
    ]
    for factor in factors:
        assert factor["source"], factor["key"]
        for passage in factor["source"]:
            assert normalise(passage) in source, passage
        [question] = factor["questions"]
        # A question, in the handreiking's words but not itself a quotation.
        assert question.endswith("?") and normalise(question) not in source
        words = {w for w in re.findall(r"\w+", question.lower()) if len(w) > 5}
        quoted = " ".join(factor["source"]).lower()
        assert len([w for w in words if w in quoted]) >= 3, factor["key"]


def _schedule(world, framework: str, cadence: Cadence):
    save_schedule(
        world["a"],
        ScheduleSettings(
            framework=framework,
            cadence=cadence,
            first_date=date.today() - timedelta(days=2),
            open_days=14,
            remind_days_before=3,
        ),
    )
    db.session.commit()


def test_the_evaluations_page_names_the_chosen_framework_and_cadence(client, login, world):
    login(world["users"]["projectleider"])
    a = world["a"]
    page = client.get(f"/trajecten/{a.id}/evaluaties").get_data(as_text=True)
    assert "elk van de 12 kritische succesfactoren" in page and "elk kwartaal" in page
    _schedule(world, "met_andere_ogen", Cadence.MAAND)
    page = client.get(f"/trajecten/{a.id}/evaluaties").get_data(as_text=True)
    assert "elke maand elk van de zes werkzame elementen van Met Andere Ogen" in page
    assert "kritische succesfactoren" not in page and "kwartaal" not in page


def test_the_ballot_shows_met_andere_ogen_with_its_own_numbers(client, login, world):
    _schedule(world, "met_andere_ogen", Cadence.HALFJAAR)
    login(world["users"]["teamlid"])
    a = world["a"]
    page = client.get(f"/trajecten/{a.id}/evaluaties").get_data(as_text=True)
    planned = re.search(r'href="(/trajecten/\d+/evaluaties/gepland/[\d-]+)"', page).group(1)
    ballot = client.get(planned).get_data(as_text=True)
    assert "zes werkzame elementen van Met Andere Ogen" in ballot and "elk halfjaar" in ballot
    legends = re.findall(r'<legend class="utrecht-form-fieldset__legend" lang="nl">(.*?)</legend>', ballot)
    assert legends == [
        "Gedeelde visie en urgentie onderwijs-zorg-jeugd",
        "1. Cultuur van samenwerken",
        "Regie op de samenwerking op alle niveaus van uitvoering, beleid en bestuur",
        "3. Lerende cyclus: zicht op de vooruitgang",
        "Faciliterend stelsel",
        "5. Werken in één ecosysteem",
    ]
    # A ballot without cards names the elements by the same headings in the error summary.
    response = client.post(planned, data={"kleur-cultuur": "groen"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "3. Lerende cyclus" in body and "2. Regie" not in body


def test_the_five_vs_are_asked_as_questions_with_their_source(client, login, world):
    _schedule(world, "vijf_v", Cadence.JAAR)
    login(world["users"]["teamlid"])
    a = world["a"]
    page = client.get(f"/trajecten/{a.id}/evaluaties").get_data(as_text=True)
    planned = re.search(r'href="(/trajecten/\d+/evaluaties/gepland/[\d-]+)"', page).group(1)
    ballot = client.get(planned).get_data(as_text=True)
    assert "elk van de 5 V’s, met één vraag per V" in ballot and "elk jaar" in ballot
    for factor in frameworks()["vijf_v"]["factors"]:
        assert factor["questions"][0] in ballot
        assert all(f"‘{passage}’" in ballot for passage in factor["source"])
    assert ballot.count("Waar deze vraag vandaan komt") == 5


def test_invitations_and_reminders_name_the_framework_and_cadence(app, world):
    a = world["a"]
    db.session.execute(sa.delete(EvaluationRound).where(EvaluationRound.trajectory_id == a.id))
    _schedule(world, "met_andere_ogen", Cadence.MAAND)
    tasks.run_due(date.today())
    bodies = [
        m.body for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    ]
    assert bodies
    for body in bodies:
        assert "elk van de zes werkzame elementen van Met Andere Ogen" in body and "elke maand" in body
        assert "kritische succesfactor" not in body and "kwartaal" not in body
    stored = db.session.scalar(sa.select(EvaluationRound).where(EvaluationRound.trajectory_id == a.id))
    assert stored.framework == "met_andere_ogen" and stored.factors == factor_snapshot(
        frameworks()["met_andere_ogen"]
    )
