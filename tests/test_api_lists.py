"""API lists: pages of at most ``limit`` records in a stable order, followed by their ``next``
link; the web lists' filters; a fixed number of queries whatever the number of rows; and
evaluation results only once the round has closed, without voters' names in anonymous rounds."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.extensions import db
from tracker.models import Ballot, Color, EvaluationRound, Vote

from .api_helpers import bearer, token_for
from .test_queries import count_queries


def _all_pages(client, url: str, secret: str) -> tuple[list[dict], int]:
    items, pages = [], 0
    while url:
        response = client.get(url, headers=bearer(secret))
        assert response.status_code == 200, response.json
        items += response.json["items"]
        url = response.json["next"]
        pages += 1
    return items, pages


def test_actions_come_page_by_page_without_gaps_or_doubles(client, world, make_actions):
    make_actions(23)
    secret = token_for(world["users"]["meekijker"])
    items, pages = _all_pages(client, f"/api/v1/trajectories/{world['a'].id}/actions?limit=10", secret)
    ids = [i["id"] for i in items]
    assert pages == 3 and len(ids) == 24 and ids == sorted(set(ids))


def test_filters_as_on_the_web_list(client, world, make_actions):
    make_actions(10)
    secret = token_for(world["users"]["meekijker"])
    base = f"/api/v1/trajectories/{world['a'].id}"
    blocked = client.get(f"{base}/actions?status=geblokkeerd&limit=100", headers=bearer(secret)).json["items"]
    assert blocked and all(a["status"] == "geblokkeerd" for a in blocked)
    teamlid = world["users"]["teamlid"]
    owned = client.get(f"{base}/actions?owner={teamlid.id}", headers=bearer(secret)).json["items"]
    assert owned and all(a["owner_name"] == teamlid.name for a in owned)
    layer = client.get(f"{base}/actions?layer=bestuur", headers=bearer(secret)).json["items"]
    assert all(a["layer"] == "bestuur" for a in layer)
    items = client.get(f"{base}/items?phase=1&status=open&limit=5", headers=bearer(secret)).json["items"]
    assert len(items) == 5 and all(i["phase"] == 1 and i["status"] == "open" for i in items)
    wrong = client.get(f"{base}/items?phase=9&layer=x", headers=bearer(secret))
    assert wrong.status_code == 422 and set(wrong.json["errors"]) == {"phase", "layer"}


LISTS = ["", "/actions", "/items", "/plans", "/milestones", "/rounds", "/meetings", "/ambitions"]


def _counts(client, world, secret) -> dict[str, int]:
    counts = {}
    for path in LISTS:
        url = f"/api/v1/trajectories/{world['a'].id}{path}" if path else "/api/v1/trajectories"
        with count_queries() as counter:
            response = client.get(url + ("?limit=100" if path != "" else ""), headers=bearer(secret))
        assert response.status_code == 200
        counts[path] = counter["n"]
    return counts


def test_the_number_of_queries_does_not_grow_with_the_rows(client, world, make_actions):
    secret = token_for(world["users"]["projectleider"])
    client.get("/api/v1/trajectories", headers=bearer(secret))  # the token's first use is recorded once
    small = _counts(client, world, secret)
    make_actions(120)
    assert _counts(client, world, secret) == small


def _round_with_votes(world, anonymous: bool, closes_on: date) -> EvaluationRound:
    from tracker.content import frameworks
    from tracker.evaluations.schedules import factor_snapshot

    a = world["a"]
    evaluation_round = EvaluationRound(
        trajectory_id=a.id,
        name="Ronde",
        framework="ksf",
        factors=factor_snapshot(frameworks()["ksf"]),
        opens_on=closes_on - timedelta(days=14),
        closes_on=closes_on,
        anonymous=anonymous,
    )
    db.session.add(evaluation_round)
    factor = evaluation_round.factors[0]["key"]
    for m in a.memberships[:2]:
        ballot = Ballot(
            round=evaluation_round,
            membership_id=m.id,
            layer=m.layer.value,
            organisation_id=m.organisation_id,
            voter_name=m.user.name,
        )
        ballot.votes.append(Vote(factor=factor, color=Color.ROOD, comment=f"Opmerking van {m.user.name}"))
        db.session.add(ballot)
    db.session.commit()
    return evaluation_round


def test_results_only_after_closing_and_never_with_names_in_anonymous_rounds(client, world):
    secret = token_for(world["users"]["meekijker"])
    base = f"/api/v1/trajectories/{world['a'].id}/rounds"
    running = _round_with_votes(world, anonymous=True, closes_on=date.today() + timedelta(days=3))
    assert client.get(f"{base}/{running.id}", headers=bearer(secret)).json["results"] is None
    closed = _round_with_votes(world, anonymous=True, closes_on=date.today() - timedelta(days=3))
    body = client.get(f"{base}/{closed.id}", headers=bearer(secret)).get_data(as_text=True)
    first = client.get(f"{base}/{closed.id}", headers=bearer(secret)).json["results"][0]
    assert first["counts"]["rood"] == 2
    assert all(c["who"] is None for c in first["comments"])
    assert first["by_layer"] == [] and first["by_organisation"] == []  # groups under 3 are hidden
    for m in world["a"].memberships[:2]:
        assert f'"{m.user.name}"' not in body
    named = _round_with_votes(world, anonymous=False, closes_on=date.today() - timedelta(days=30))
    comments = client.get(f"{base}/{named.id}", headers=bearer(secret)).json["results"][0]["comments"]
    assert {c["who"] for c in comments} == {m.user.name for m in world["a"].memberships[:2]}
