"""The quality of an ambition (Kwaliteitskompas 1B), the one home of the rule for every form that
takes an ambition (a shared ambition, the phase-1 go decision): an ambition names the result for
children and youth; a text about the system ("samenwerking", see ``system_words`` in
``tracker/content/kwaliteitskompas.toml``) gets the document's question "waarom?" next to the field.
It is advice, not a rule: the user may confirm and save the text as it stands."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from tracker.content import kwaliteitskompas


def system_words(text: str) -> list[str]:
    """The words of ``text`` that are about the system, as written, each once, in order."""
    found: list[str] = []
    for stem in kwaliteitskompas()["system_words"]:
        for match in re.finditer(rf"\b{re.escape(stem)}\w*", text or "", re.IGNORECASE):
            if match.group(0).lower() not in (w.lower() for w in found):
                found.append(match.group(0))
    return sorted(found, key=lambda w: (text or "").lower().index(w.lower()))


def confirm_field() -> BooleanField:
    """The box that saves a text about the system as it stands."""
    return BooleanField(_l("Save it as it stands: this ambition serves a result for children and youth"))


def why_prompt(text: str, confirmed: bool) -> list[str]:
    """The system words to ask "waarom?" about before saving (none when confirmed)."""
    return [] if confirmed else system_words(text)
