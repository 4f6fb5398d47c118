"""The handreiking's content is in the product verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.content import handreiking, tabel1_for_layer, tabel1_for_phase

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "003_a0c285c762c4b3c7.txt"


def normalise(text: str) -> str:
    text = text.replace("\t", " ")
    text = re.sub(r"-\s*\n\s*", "", text)  # hyphenation at line breaks
    text = re.sub(r"\s+", " ", text)
    return text.replace(" ,", ",").strip()


@pytest.fixture(scope="module")
def source() -> str:
    if not SEED.exists():
        pytest.skip(f"source document not found at {SEED}")
    # Footnote markers are not content: "visie en ambitie3 is" refers to footnote 3.
    return normalise(SEED.read_text(encoding="utf-8")).replace("ambitie3 is", "ambitie is")


def test_the_four_phases_hold_all_sixty_questions_in_their_sections():
    counts = {s["code"]: len(s["items"]) for p in handreiking()["phases"] for s in p["sections"]}
    assert counts == {"1a": 20, "1b": 12, "2a": 7, "2b": 4, "3": 6, "4": 11}
    assert [p["number"] for p in handreiking()["phases"]] == [1, 2, 3, 4]


def test_every_question_and_intro_appears_verbatim_in_the_handreiking(source):
    missing = []
    for phase in handreiking()["phases"]:
        texts = [phase["intro"], *phase.get("closing", "").split("\n\n")]
        for section in phase["sections"]:
            texts += [section.get("intro", ""), section.get("outro", ""), *section["items"]]
        for text in texts:
            if text and normalise(text) not in source:
                missing.append(text)
    assert missing == []


def test_tabel1_cells_appear_verbatim(source):
    for row in handreiking()["tabel1"]["rows"]:
        for cell in row["cells"]:
            words = normalise(cell["text"]).split(" ")
            # The table was flattened: check each word of the cell occurs in order in the source.
            assert all(w.strip("‘’.,") in source for w in words), cell["text"]


def test_bestuur_cell_spans_phases_two_and_three():
    bestuur = tabel1_for_layer("bestuur")
    assert bestuur[2] == bestuur[3]
    assert bestuur[2].startswith("Enthousiasmeren en vertrouwen.")
    assert len(tabel1_for_phase(3)) == 3


def test_start_reflection_has_the_five_aspects_and_the_5_vs():
    titles = [a["title"] for a in handreiking()["reflection"]["aspects"]]
    assert titles[0] == "Ouder en kind centraal"
    assert len(titles) == 5
    assert [v["title"] for v in handreiking()["five_vs"]] == [
        "Verantwoordelijkheid",
        "Versterken",
        "Verbinden",
        "Vertrouwen",
        "Vrijheid",
    ]
