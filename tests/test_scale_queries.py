"""The main pages issue the same number of SQL queries at demo size and at a larger scale.

The data set is the load benchmark's (``tracker.scale``): the demo, then more trajectories made
through the import, with a long-running one (44 rounds with their ballots) that the project lead
leads. The pages are those of ``scripts/load_benchmark.py``, for the same user.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from tracker import demo, scale
from tracker.extensions import db
from tracker.models import Ballot, EvaluationRound, Membership, Plan, Role, User
from tracker.models.audit import audited_models
from tracker.paging import PER_PAGE

from .test_queries import count_queries

PAGES = (
    "/trajecten",
    "/trajecten/{t}",
    "/trajecten/{t}/fasen/1",
    "/trajecten/{t}/fasen/2",
    "/trajecten/{t}/fasen/3",
    "/trajecten/{t}/fasen/4",
    "/trajecten/{t}/lagen/uitvoerend",
    "/mijn-werk",
    "/trajecten/{t}/acties",
    "/acties",
    "/trajecten/{t}/plannen/{plan}",
    "/trajecten/{t}/achter",
    "/achter",
    "/trajecten/{t}/evaluaties",
    "/trajecten/{t}/evaluaties/{round}",
    "/trajecten/{t}/netwerk",
    "/trajecten/{t}/proces",
    "/trajecten/{t}/geschiedenis",
    "/zoeken?q=pesten",
)
LEAD = f"anouk@{demo.DEMO_DOMAIN}"


def _targets() -> dict[str, int]:
    """The trajectory the lead leads with the most rounds, its external plan, its last closed
    round with ballots (as the load benchmark chooses them)."""
    lead = db.session.scalar(sa.select(User).where(User.email == LEAD))
    rounds = sa.func.count(EvaluationRound.id)
    t = db.session.scalar(
        sa.select(Membership.trajectory_id)
        .outerjoin(EvaluationRound, EvaluationRound.trajectory_id == Membership.trajectory_id)
        .where(Membership.user_id == lead.id, Membership.role == Role.PROJECTLEIDER)
        .group_by(Membership.trajectory_id)
        .order_by(rounds.desc(), Membership.trajectory_id)
        .limit(1)
    )
    plan = db.session.scalar(sa.select(Plan.id).where(Plan.trajectory_id == t, Plan.kind == "extern"))
    closed = db.session.scalar(
        sa.select(EvaluationRound.id)
        .where(
            EvaluationRound.trajectory_id == t,
            EvaluationRound.closes_on < date.today(),
            sa.exists().where(Ballot.round_id == EvaluationRound.id),
        )
        .order_by(EvaluationRound.closes_on.desc())
        .limit(1)
    )
    return {"t": t, "plan": plan, "round": closed}


def _queries(client) -> dict[str, int]:
    ids = _targets()
    counts = {}
    for page in PAGES:
        url = page.format(**ids)
        client.get(url)  # once before counting, as a worker has served it before
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[page] = counter["n"]
    return counts


def test_main_pages_issue_the_same_queries_at_demo_size_and_three_times_more(app, client):
    demo.load()
    db.session.commit()
    client.post("/inloggen", data={"email": LEAD, "password": demo.DEMO_PASSWORD})
    small = _queries(client)
    scale.grow(3, echo=lambda _text: None)
    large = _queries(client)
    # The history looks up the names its page refers to with one query per referenced record
    # type: bounded by the number of audited types, whatever the trail's length.
    history = "/trajecten/{t}/geschiedenis"
    assert large.pop(history) <= small.pop(history) + len(audited_models())
    assert large == small
    # The lists that grow with use render a page of rows at most, whatever the data.
    ids = _targets()
    for page, marker in (
        ("/trajecten/{t}/plannen/{plan}", r'id="actie-\d+"'),
        ("/trajecten/{t}/achter", '<span class="app-badge app-badge--overdue">'),
        ("/achter", '<span class="app-badge app-badge--overdue">'),
    ):
        body = client.get(page.format(**ids)).get_data(as_text=True)
        assert len(re.findall(marker, body)) <= PER_PAGE, page
    assert _targets()["t"] != db.session.scalar(sa.select(sa.func.min(Membership.trajectory_id)))
