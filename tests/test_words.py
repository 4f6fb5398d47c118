"""One Dutch word per concept: actions, items and agreements have a deadline, milestones a
streefdatum; the coördinator coordinates a trajectory (the handreiking's word), projectleider is a role."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parent.parent / "tracker/translations/nl/LC_MESSAGES/messages.po"

WORDS = {  # English words in a msgid → the Dutch word its msgstr uses
    r"\bdue( date)?s?\b": "deadline",
    r"\btarget date": "streefdatum",
    r"\bproject leads?\b": "projectleider",
    r"\bcoordinator\b": "coördinator",
}


def test_each_concept_has_one_dutch_word():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    wrong = []
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        for english, dutch in WORDS.items():
            if re.search(english, message.id, re.I) and dutch not in str(message.string).lower():
                wrong.append((message.id, message.string))
    assert wrong == []
