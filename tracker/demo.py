"""Demo data: the handreiking's case — preventing bullying in a neighbourhood — in story order.

A youth nurse of the GGD notices that bullying in her neighbourhood is far above average. With
the school social worker she invites the GP and the neighbourhood officer: the first meeting takes
the phase-1 go. The epidemiologist joins the second meeting, GGZ, welfare and a teacher the third
(the process analysis, the five principles); the fourth takes the phase-4 decision, and phase 4 is
under way with the plans (the transformer house, the fathers as volunteer managers, the debt help).
Owners sit at all three layers. A second trajectory with its own lead shows that members of one
trajectory see nothing of another. tests/test_demo_story.py checks the story for contradictions.

The demo is data, content/demo.json: the accounts and organisations, and both trajectories as
transfer documents (see tracker.transfer) whose dates are relative to the day of loading
("today-45", "today+14"; inside a text "{today-45}", written 10-01-2026 as the app writes dates in
texts). Loading goes through the import, so every demo load tests the import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tracker.auth.services import create_user
from tracker.evaluations.schedules import planned_rounds
from tracker.extensions import db
from tracker.models import Cadence, EvaluationSchedule, Organisation, Sector, User
from tracker.security import DEMO_PASSWORD
from tracker.transfer import import_trajectory

__all__ = ["DEMO_PASSWORD", "load", "logins", "print_logins", "state"]

DEMO_FILE = Path(__file__).parent / "content" / "demo.json"
DEMO_DOMAIN = "demo.betersamen.nl"
RELATIVE_DATE = re.compile(r"today([+-]\d+)?")
DATE_IN_TEXT = re.compile(r"\{today([+-]\d+)?\}")


@cache
def _data() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def state() -> str:
    """'empty', 'loaded' (the demo is there) or 'other-data'."""
    if db.session.scalar(sa.select(User.id).where(User.email == f"anouk@{DEMO_DOMAIN}")):
        return "loaded"
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return "other-data"
    return "empty"


def logins() -> list[tuple[str, str, str]]:
    """Email, name and what the account is, for every demo account."""
    return [(a["email"], a["name"], a["login"]) for a in _data()["accounts"]]


def print_logins(echo: Callable[[str], Any]) -> None:
    echo(f"Demo-logins (wachtwoord voor iedereen: {DEMO_PASSWORD}):")
    for email, name, what in logins():
        echo(f"  {email:<36} {name} — {what}")


def load(today: date | None = None) -> None:
    """Create the demo accounts and organisations, then import the trajectories with their dates
    made absolute. The caller commits."""
    today = today or date.today()
    data = _data()
    for account in data["accounts"]:
        create_user(
            account["email"], account["name"], DEMO_PASSWORD, is_admin=account["admin"], check_policy=False
        )
    for organisation in data["organisations"]:
        db.session.add(Organisation(name=organisation["name"], sector=Sector(organisation["sector"])))
    db.session.flush()
    for document in data["trajectories"]:
        document = resolve_dates(document, today)
        align_rounds(document)
        _trajectory, created = import_trajectory(document)
        if created:
            raise ValueError(f"demo.json names people without a demo account: {created}")
    db.session.flush()


def resolve_dates(value: Any, today: date) -> Any:
    """A copy of ``value`` with every "today", "today-45", "today+14" replaced by that date, and
    every "{today-45}" inside a text by that date as texts write it."""
    if isinstance(value, dict):
        return {key: resolve_dates(item, today) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_dates(item, today) for item in value]
    if not isinstance(value, str):
        return value
    if match := RELATIVE_DATE.fullmatch(value):
        return _day(match, today).isoformat()
    return DATE_IN_TEXT.sub(lambda m: _day(m, today).strftime("%d-%m-%Y"), value)


def _day(match: re.Match[str], today: date) -> date:
    return today + timedelta(days=int(match.group(1) or 0))


def align_rounds(document: dict[str, Any]) -> None:
    """Rounds made by the schedule lie on its grid of months, which moving every date by the same
    number of days can miss by a day or two: put each back on the nearest planned round, with that
    round's dates and name, as the schedule itself will find them."""
    evaluations = document.get("evaluations") or {}
    settings = evaluations.get("schedule")
    rounds = [r for r in evaluations.get("rounds", []) if r["from_schedule"]]
    if not settings or not rounds:
        return
    schedule = EvaluationSchedule(
        cadence=Cadence(settings["cadence"]),
        first_date=date.fromisoformat(settings["first_date"]),
        open_days=settings["open_days"],
        remind_days_before=settings["remind_days_before"],
    )
    last = max(date.fromisoformat(r["opens_on"]) for r in rounds)
    planned = planned_rounds(schedule, last + timedelta(days=31))
    for stored in rounds:
        opens_on = date.fromisoformat(stored["opens_on"])
        nearest = min(planned, key=lambda p: abs((p.opens_on - opens_on).days))
        stored["name"] = nearest.name
        stored["opens_on"] = nearest.opens_on.isoformat()
        stored["closes_on"] = nearest.closes_on.isoformat()
        stored["remind_on"] = nearest.remind_on.isoformat() if nearest.remind_on else None
