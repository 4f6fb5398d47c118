"""A region's worth of data, for the load benchmark and the query-count tests at scale.

``generate(scale)`` loads the demo and ``scale - 1`` more trajectories, each the demo's case
under its own name, people and dates, grown to 100 actions, 6 milestones, 8 meetings and 8
evaluation rounds (about 44 ballots, 530 votes); so ``scale=100`` holds about 6,000 checklist
items, 10,000 actions and 50,000 votes. Trajectory 1 of the added ones runs for years (40 monthly
rounds more), and the demo's project lead (anouk@…) is a member of every trajectory with roles in
turn, so her overview and "Mijn werk" span them all.

Everything goes through the product's own import (``tracker.transfer.import_trajectory``), which
writes through the models, so the audit trail and the search index are kept as in real use. The
added people share one password hash (the demo password) instead of one argon2 hash each.
Deterministic: the same scale and seed give the same data (dates relative to today).
"""

from __future__ import annotations

import copy
import json
import random
import re
import time
from datetime import date
from typing import Any

from tracker import demo
from tracker.extensions import db
from tracker.models import User
from tracker.security import hash_password
from tracker.transfer import import_trajectory

# The main pages the load benchmark measures and the page cache's tests compare, by name
# ({t}: a trajectory, {plan}: its plan, {round}: a closed round; issue 16's list).
MAIN_PAGES = {
    "overview": "/trajecten",
    "trajectory": "/trajecten/{t}",
    "phase 1": "/trajecten/{t}/fasen/1",
    "phase 2": "/trajecten/{t}/fasen/2",
    "phase 3": "/trajecten/{t}/fasen/3",
    "phase 4": "/trajecten/{t}/fasen/4",
    "per layer": "/trajecten/{t}/lagen/uitvoerend",
    "my work": "/mijn-werk",
    "actions, one trajectory": "/trajecten/{t}/acties",
    "actions, all trajectories": "/acties",
    "plan": "/trajecten/{t}/plannen/{plan}",
    "evaluations with heatmap": "/trajecten/{t}/evaluaties",
    "closed round": "/trajecten/{t}/evaluaties/{round}",
    "network map": "/trajecten/{t}/netwerk",
    "process": "/trajecten/{t}/proces",
    "history": "/trajecten/{t}/geschiedenis",
    "search": "/zoeken?q=pesten",
}

LEAD = f"anouk@{demo.DEMO_DOMAIN}"
ACTIONS_PER_TRAJECTORY = 100
EXTRA_MILESTONES = 3
EXTRA_MEETINGS = 3
EXTRA_ROUNDS = 4
LONG_RUNNING_ROUNDS = 40
ROLES = ("projectleider", "teamlid", "manager", "teamlid", "meekijker")
STATUSES = ("gepland", "bezig", "gereed", "geblokkeerd", "vervallen")
STAGES = ("plan", "do", "check", "act")
COLORS = ("groen", "oranje", "rood")
RELATIVE = re.compile(r'"today([+-]\d+)"')
WIJKEN = ("Noord", "Oost", "Zuid", "West", "Centrum", "Haven", "Park", "Dorp", "Veld", "Dijk")


def shifted(doc: Any, days: int) -> Any:
    """``doc`` with every relative date ("today-45") moved ``days`` earlier."""
    text = RELATIVE.sub(lambda m: f'"today{int(m.group(1)) - days:+d}"', json.dumps(doc))
    return json.loads(text)


def _day(offset: int) -> str:
    return f"today{offset:+d}"


def people(count: int, password_hash: str) -> list[str]:
    """``count`` active accounts sharing one password hash; returns their emails."""
    emails = [f"lid{n:04d}@schaal.betersamen.nl" for n in range(count)]
    db.session.add_all(
        User(email=e, name=f"Lid {n:04d} Schaal", password_hash=password_hash) for n, e in enumerate(emails)
    )
    db.session.flush()
    return emails


def grow_actions(plans: list[dict[str, Any]], members: list[str], rng: random.Random) -> None:
    """Copies of the plan's own actions until the trajectory has ACTIONS_PER_TRAJECTORY."""
    total = sum(len(p["actions"]) for p in plans)
    external = next(p for p in plans if p["kind"] == "extern")
    originals = list(external["actions"])
    for n in range(ACTIONS_PER_TRAJECTORY - total):
        action = copy.deepcopy(originals[n % len(originals)])
        action.update(
            title=f"{action['title']} ({n + 1})",
            due_date=_day(rng.randint(-400, 120)),
            status=rng.choice(STATUSES),
            stage=rng.choice(STAGES),
            owner_email=rng.choice(members),
            source=None,
            source_type=None,
            source_key=None,
            objective=None,
            carried_from_cycle=None,
            archived_at=None,
        )
        external["actions"].append(action)
    for n in range(EXTRA_MILESTONES):
        milestone = copy.deepcopy(external["milestones"][n % len(external["milestones"])])
        milestone.update(title=f"{milestone['title']} ({n + 1})", target_date=_day(rng.randint(-300, 200)))
        milestone.update(achieved_on=None, actual_result="")
        external["milestones"].append(milestone)


def grow_meetings(network: dict[str, Any], rng: random.Random) -> None:
    meetings = network["meetings"]
    for n in range(EXTRA_MEETINGS):
        meeting = copy.deepcopy(meetings[n % len(meetings)])
        meeting["held_on"] = _day(-160 - 30 * n - rng.randint(0, 20))
        for agreement in meeting["agreements"]:
            agreement["action"] = None
        meetings.append(meeting)


def grow_rounds(evaluations: dict[str, Any], voters: list[str], count: int, rng: random.Random) -> None:
    """``count`` more closed rounds, a month apart, before the first one; each with a ballot of
    six voters (fewer when there are fewer members)."""
    rounds = evaluations["rounds"]
    template = rounds[0]
    first = min(int(r["opens_on"].removeprefix("today")) for r in rounds)
    for n in range(1, count + 1):
        opens = first - 31 * n
        ballots = []
        for email in rng.sample(voters, min(6, len(voters))):
            ballot = copy.deepcopy(template["ballots"][0])
            ballot.update(voter_email=email, voter_name="")
            for vote in ballot["votes"]:
                vote.update(color=rng.choice(COLORS), comment="")
            ballots.append(ballot)
        extra = copy.deepcopy(template)
        extra.update(
            name=f"Ronde {n} terug",
            opens_on=_day(opens),
            closes_on=_day(opens + 14),
            remind_on=None,
            from_schedule=False,
            ballots=ballots,
        )
        rounds.append(extra)


def trajectory_document(base: dict[str, Any], number: int, pool: list[str], rng: random.Random) -> dict:
    """The demo's case as trajectory ``number``: its own name and people, older by a few weeks."""
    # The long-running one (1) keeps the demo's dates, so its latest round is open as in the demo.
    doc = shifted(base, 0 if number == 1 else rng.randint(1, 60))
    others = sorted({m["email"] for m in doc["members"]} - {LEAD})
    chosen = rng.sample(pool, len(others))
    text = json.dumps(doc)
    for old, new in zip(others, chosen, strict=True):
        text = text.replace(old, new)
    doc = json.loads(text)
    lead_member = next(m for m in doc["members"] if m["email"] == LEAD)
    lead_member["role"] = ROLES[(number - 1) % len(ROLES)]
    if lead_member["role"] != "projectleider":
        # Someone else leads; the coordinator must be a member.
        doc["trajectory"]["coordinator_email"] = chosen[0]
        next(m for m in doc["members"] if m["email"] == chosen[0])["role"] = "projectleider"
    doc["trajectory"]["name"] = f"{doc['trajectory']['theme']} {WIJKEN[number % 10]} {number:03d}"
    members = [m["email"] for m in doc["members"]]
    grow_actions(doc["plans"], members, rng)
    grow_meetings(doc["network"], rng)
    grow_rounds(doc["evaluations"], members, EXTRA_ROUNDS + (LONG_RUNNING_ROUNDS if number == 1 else 0), rng)
    return doc


def generate(scale: int, seed: int = 16, echo=print) -> None:
    """Load the demo and ``scale - 1`` more trajectories into the app's (empty) database; each
    trajectory is committed. The caller is inside an app context."""
    demo.load(date.today())
    db.session.commit()
    grow(scale, seed, echo)


def grow(scale: int, seed: int = 16, echo=print) -> None:
    """Add ``scale - 1`` trajectories to a database that holds the demo; each is committed."""
    if scale <= 1:
        return
    rng = random.Random(seed)
    today = date.today()
    started = time.monotonic()
    pool = people(max(20, 3 * scale), hash_password(demo.DEMO_PASSWORD))
    base = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))["trajectories"][0]
    for number in range(1, scale):
        doc = demo.resolve_dates(trajectory_document(base, number, pool, rng), today)
        demo.align_rounds(doc)
        import_trajectory(doc)
        db.session.commit()
        db.session.expunge_all()
        if number % 10 == 0:
            echo(f"  {number} trajectories added ({time.monotonic() - started:.0f} s)")
