"""An ambition names a result for children and youth (Kwaliteitskompas 1B): the ambition form and the
phase-1 go decision explain it with the document's own examples and ask "waarom?" about a text on
the system, which the user may still save as it stands."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracker import demo
from tracker.ambitions.quality import system_words
from tracker.content import kwaliteitskompas
from tracker.extensions import db
from tracker.models import Ambition, Decision, DecisionKind, Trajectory

SEEDS = Path(os.environ.get("SEEDS_DIR") or Path(__file__).resolve().parents[1].parent / "shared" / "seeds")
WHY = "Waarom wil je een betere samenwerking tussen partners? Wat levert dat op voor kinderen en jongeren?"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_explanation_and_examples_are_the_documents_own_words():
    path = SEEDS / "002_871d3d9300ca9611.txt"
    if not path.exists():
        pytest.skip(f"source document not found at {path}")
    source = _flat(path.read_text(encoding="utf-8"))
    kk = kwaliteitskompas()
    for key in ("what", "advice", "protective", "system", "why"):
        assert _flat(kk[key]) in source, key
    assert source.startswith(kk["title"])
    assert [e["kind"] for e in kk["examples"]] == ["probleem", "beschermende_factor", "algemeen"]
    for example in kk["examples"]:
        assert _flat(example["lead"]) in source and f"'{example['example']}'" in source


def test_a_text_about_the_system_is_recognised_by_the_words_in_the_content_file():
    assert system_words("Een betere Samenwerking tussen partners") == ["Samenwerking", "partners"]
    assert system_words("We willen dat minder kinderen opgroeien in armoede") == []
    assert system_words("Samen sterk") == []  # a word must start with a listed stem


def _ambition_form(title: str, result: str, **extra) -> dict:
    return {"title": title, "result_kind": "probleem", "result": result, "active": "y", **extra}


def test_the_ambition_form_shows_the_examples_and_asks_why_before_saving_a_system_ambition(
    client, login, world
):
    a = world["a"]
    login(world["users"]["projectleider"])
    form = client.get(f"/trajecten/{a.id}/ambities/nieuw").get_data(as_text=True)
    assert "We willen dat minder kinderen opgroeien in armoede" in form
    assert "We willen dat ieder kind opgroeit in een veilige thuisomgeving" in form
    before = db.session.scalar(sa.select(sa.func.count(Ambition.id)))
    data = _ambition_form("Betere samenwerking in de wijk", "Korte lijnen tussen school en JGZ")
    response = client.post(f"/trajecten/{a.id}/ambities/nieuw", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Waarom?" in page and WHY in page
    assert "samenwerking" in page.split('id="waarom"', 1)[1].split("</div>", 1)[0]
    assert 'value="Betere samenwerking in de wijk"' in page  # kept what was typed
    assert db.session.scalar(sa.select(sa.func.count(Ambition.id))) == before
    # The user may confirm: it is advice, not a rule.
    response = client.post(f"/trajecten/{a.id}/ambities/nieuw", data=data | {"confirm_why": "y"})
    assert response.status_code == 302
    listed = client.get(f"/trajecten/{a.id}/ambities").get_data(as_text=True)
    assert "Wat levert dat op voor kinderen en jongeren?" in listed


def test_an_ambition_that_names_a_result_for_children_saves_at_once(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    data = _ambition_form("Minder armoede", "We willen dat minder kinderen opgroeien in armoede")
    assert client.post(f"/trajecten/{a.id}/ambities/nieuw", data=data).status_code == 302


def test_the_phase_one_go_asks_why_about_a_system_ambition(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    form = client.get(f"/trajecten/{a.id}/besluiten/fase1/nieuw").get_data(as_text=True)
    assert "We willen dat alle kinderen gezond opgroeien" in form
    data = {
        "outcome": "wenselijk",
        "rationale": "Veel pesten in de wijk",
        "decided_by": "Eerste overleg",
        "decided_on": "2026-03-01",
        "shared_vision": "Samen optrekken",
        "shared_ambition": "Een goede samenwerking tussen school en JGZ",
        "confirm_open": "y",
    }
    response = client.post(f"/trajecten/{a.id}/besluiten/fase1/nieuw", data=data)
    assert response.status_code == 200 and WHY in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    response = client.post(
        f"/trajecten/{a.id}/besluiten/fase1/nieuw",
        data=data | {"shared_ambition": "Minder kinderen in de wijk worden gepest"},
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(sa.select(Decision.shared_ambition)) == "Minder kinderen in de wijk worden gepest"
    )


def test_the_demo_ambitions_name_results_for_children(app):
    demo.load()
    db.session.flush()
    case = db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    go = next(d for d in case.decisions if d.kind == DecisionKind.PHASE1)
    assert system_words(go.shared_ambition) == [] and not go.shared_ambition.endswith("?")
    for ambition in db.session.scalars(sa.select(Ambition).where(Ambition.trajectory_id == case.id)):
        assert system_words(f"{ambition.title} {ambition.result}") == [], ambition.title


def test_in_english_the_guidance_is_english_around_the_documents_dutch(client, login, world):
    from .test_english import dutch_words, ui_text

    a = world["a"]
    lead = world["users"]["projectleider"]
    lead.locale = "en"
    db.session.commit()
    login(lead)
    data = _ambition_form("Betere samenwerking", "Short lines")
    page = client.post(f"/trajecten/{a.id}/ambities/nieuw", data=data).get_data(as_text=True)
    assert "Why?" in page and WHY in page  # the document's question stays Dutch, marked lang="nl"
    text = ui_text(page).replace("Betere samenwerking", "").replace("samenwerking", "")
    assert dutch_words(text) == set()
    form = client.get(f"/trajecten/{a.id}/besluiten/fase1/nieuw").get_data(as_text=True)
    assert dutch_words(ui_text(form)) == set()
