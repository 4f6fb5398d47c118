"""The guided sessions' steps, purposes and help questions are the documents' own words, in the
documents' order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.content import session_instruments

# Next to the repository (its checkout), or one level further up (a worktree beside it).
SEEDS = next(
    (
        p / "shared" / "seeds"
        for p in Path(__file__).resolve().parents[1:4]
        if (p / "shared" / "seeds").exists()
    ),
    Path(__file__).resolve().parents[1].parent / "shared" / "seeds",
)
SOURCES = {"taart": "000_8809ada88384fd53.txt", "ambitiegesprek": "004_4d672f3b4b88b781.txt"}


def normalise(text: str) -> str:
    text = text.replace("\t", " ")
    text = re.sub(r"-\s*\n\s*", "", text)  # hyphenation at line breaks
    text = re.sub(r"\s+", " ", text)
    return text.replace("/ ", "/").replace(" ,", ",").strip()


def source(key: str) -> str:
    path = SEEDS / SOURCES[key]
    if not path.exists():
        pytest.skip(f"source document not found at {path}")
    return normalise(path.read_text(encoding="utf-8"))


def texts(step: dict) -> list[str]:
    found = [step["title"], step["purpose"], step["after"], *step["help"]]
    found += [step.get("follow_up", ""), step.get("evaluation_question", "")]
    return [t for t in found if t]


@pytest.mark.parametrize("key", SOURCES)
def test_every_title_purpose_and_help_question_is_in_the_document_verbatim(key):
    document = source(key)
    instrument = session_instruments()[key]
    missing = [
        text
        for text in [instrument["title"], instrument["intro"], instrument["purpose"], *instrument["needed"]]
        + [t for step in instrument["steps"] for t in texts(step)]
        if normalise(text) not in document
    ]
    assert missing == []


@pytest.mark.parametrize("key", SOURCES)
def test_the_steps_follow_the_documents_order(key):
    document = source(key)
    positions = [document.index(normalise(s["title"])) for s in session_instruments()[key]["steps"]]
    assert positions == sorted(positions)


def test_the_two_instruments_have_their_steps_and_the_taart_its_optional_factsheet_step():
    taart, gesprek = session_instruments()["taart"], session_instruments()["ambitiegesprek"]
    assert [s["key"] for s in taart["steps"]] == [
        "kennismaken",
        "factsheets",
        "goed",
        "beter",
        "ambitie",
        "gezamenlijk",
        "en_nu",
    ]
    assert [s["key"] for s in taart["steps"] if s.get("optional")] == ["factsheets"]
    assert len(gesprek["steps"]) == 7 and gesprek["steps"][0]["key"] == "contracteren"
    assert sum(len(s["help"]) for s in taart["steps"]) == 15
    grades = next(s for s in taart["steps"] if "grades" in s["inputs"])
    assert grades["follow_up"] == "wat is er gewijzigd als dit met een punt zal stijgen?"
