"""How the evaluation texts name a round's framework and cadence, in the reader's language: the
intro of the evaluations page, the ballot and the invitation and reminder mails all say what is
asked ("each of the 12 critical success factors", "each of the 5 V's", the six working elements of
Met Andere Ogen) and how often ("every month", "every quarter"), never one fixed framework.

The factors' own titles, questions and numbers are the documents' words, in
``tracker/content/frameworks.toml``; a factor's number is the one its document prints (Met Andere
Ogen numbers only three of its six headings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.content import frameworks
from tracker.extensions import db
from tracker.models import Cadence, EvaluationRound, EvaluationSchedule

FRAMEWORK_CARDS = {
    "ksf": _l("each of the 12 critical success factors"),
    "vijf_v": _l("each of the 5 V’s, one question per V"),
    "met_andere_ogen": _l("each of the six working elements of With Other Eyes (Met Andere Ogen)"),
}
CADENCES = {
    Cadence.MAAND: _l("every month"),
    Cadence.KWARTAAL: _l("every quarter"),
    Cadence.HALFJAAR: _l("every six months"),
    Cadence.JAAR: _l("every year"),
}


def framework_cards(framework: str) -> str:
    """What a member gives a card to in this framework, as a phrase inside a sentence."""
    phrase = FRAMEWORK_CARDS.get(framework)
    return str(phrase) if phrase is not None else _("each factor")


def cadence_phrase(cadence: Cadence | str | None) -> str:
    """How often the rounds come ("every quarter"); empty for a round opened by hand."""
    if cadence is None or cadence == "":
        return ""
    return str(CADENCES[Cadence(cadence)])


def schedule_cadence(evaluation_round: EvaluationRound) -> Cadence | None:
    """The cadence of the schedule that made this round; None for a round opened by hand."""
    if not evaluation_round.schedule_id:
        return None
    schedule = db.session.get(EvaluationSchedule, evaluation_round.schedule_id)
    return schedule.cadence if schedule else None


def round_cadence(evaluation_round: EvaluationRound) -> str:
    """How often rounds like this one come ("every month"); empty for a round opened by hand."""
    return cadence_phrase(schedule_cadence(evaluation_round))


def factor_number(framework: str, key: str) -> str:
    """The number the factor's document gives it ("" when the document numbers it not)."""
    for factor in frameworks().get(framework, {}).get("factors", []):
        if factor["key"] == key:
            return str(factor.get("number", ""))
    return ""


def factor_heading(framework: str, factor: dict[str, Any]) -> str:
    """A factor's heading as its document prints it: number and title, or the title alone."""
    number = factor_number(framework, factor["key"])
    return f"{number}. {factor['title']}" if number else str(factor["title"])


def factor_source(framework: str, key: str) -> list[str]:
    """The passages a derived question comes from (the 5 V's), quoted from the handreiking."""
    for factor in frameworks().get(framework, {}).get("factors", []):
        if factor["key"] == key:
            return list(factor.get("source", []))
    return []


TEMPLATE_GLOBALS: dict[str, Callable[..., Any]] = {
    "framework_cards": framework_cards,
    "cadence_phrase": cadence_phrase,
    "round_cadence": round_cadence,
    "factor_heading": factor_heading,
    "factor_source": factor_source,
}
