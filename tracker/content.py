"""Domain content from the data files in ``tracker/content`` (TOML, loaded once)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).parent / "content"


@cache
def handreiking() -> dict[str, Any]:
    """The handreiking template: phases with sections and items, Tabel 1, reflection, 5 V's."""
    with (CONTENT_DIR / "handreiking.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def common_passwords() -> frozenset[str]:
    text = (CONTENT_DIR / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def tabel1_for_phase(number: int) -> list[dict[str, Any]]:
    """Tabel 1 guidance for one phase: a list of {layer, label, text}, one per layer."""
    rows = []
    for row in handreiking()["tabel1"]["rows"]:
        for cell in row["cells"]:
            if number in cell["phases"]:
                rows.append({"layer": row["layer"], "label": row["label"], "text": cell["text"]})
    return rows


def tabel1_for_layer(layer: str) -> dict[int, str]:
    """Tabel 1 guidance for one layer: phase number → text (merged cells repeat)."""
    for row in handreiking()["tabel1"]["rows"]:
        if row["layer"] == layer:
            return {p: cell["text"] for cell in row["cells"] for p in cell["phases"]}
    return {}


def tabel1_grid() -> list[dict[str, Any]]:
    """Tabel 1 as rows of cells with their column span, for rendering the table itself."""
    return [
        {
            "layer": row["layer"],
            "label": row["label"],
            "cells": [
                {"text": c["text"], "span": len(c["phases"]), "phases": c["phases"]} for c in row["cells"]
            ],
        }
        for row in handreiking()["tabel1"]["rows"]
    ]


@cache
def frameworks() -> dict[str, dict[str, Any]]:
    """Evaluation frameworks by key (the 12 critical success factors, the 5 V's, Met Andere Ogen)."""
    with (CONTENT_DIR / "frameworks.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {f["key"]: f for f in data["frameworks"]}


@cache
def default_framework() -> str:
    """The framework a new evaluation schedule starts on (``default`` in frameworks.toml)."""
    with (CONTENT_DIR / "frameworks.toml").open("rb") as fh:
        return str(tomllib.load(fh)["default"])


@cache
def phase_tools() -> dict[int, list[str]]:
    """Per phase number, the keys of the menu pages that carry out that phase (phase_tools.toml)."""
    with (CONTENT_DIR / "phase_tools.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {int(p["number"]): list(p["tools"]) for p in data["phases"]}


@cache
def kwaliteitskompas() -> dict[str, Any]:
    """What an ambition is (Kwaliteitskompas 1B): the document's texts and examples, and the words
    that mark an ambition as being about the system (kwaliteitskompas.toml)."""
    with (CONTENT_DIR / "kwaliteitskompas.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def session_instruments() -> dict[str, dict[str, Any]]:
    """The guided sessions (Taart van ambities, Ambitiegesprek) by key, each with its steps in the
    document's order (sessions.toml)."""
    with (CONTENT_DIR / "sessions.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {i["key"]: i for i in data["instruments"]}
