"""Results of evaluation rounds only once they have closed, on every route; invitations and reminders
only to members who have not voted, never both together (through a real SMTP server)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest

from tracker import create_app
from tracker.content import frameworks
from tracker.evaluations.schedules import factor_snapshot
from tracker.extensions import db
from tracker.models import Ballot, Color, EvaluationRound, Layer, Role, Vote

from .fixtures_app import _test_config
from .fixtures_world import PASSWORD
from .smtp_server import plain_server

ROLES = ("projectleider", "manager", "teamlid", "meekijker", "outsider", "admin")
STATES = ("upcoming", "open", "closed")
# Routes outside the evaluations pages that read a round's ballots: the trajectory's JSON export and
# the form that makes an action from a red card (prefilled with the cards and comments).
OTHER_RESULTS_ROUTES = ("trajectories.export", "actions.new")


def _results_routes() -> list[tuple[str, str | None]]:
    """Every GET page of a trajectory's evaluations, from the app's URL map, plus the other routes
    that show ballots; (endpoint, fmt) with one entry per download format."""
    app = create_app(_test_config("sqlite://", UPLOAD_FOLDER="/nonexistent-not-used"))
    routes = []
    for rule in app.url_map.iter_rules():
        evaluations_page = rule.endpoint.startswith("evaluations.") and "trajectory_id" in rule.arguments
        if "GET" not in rule.methods or not (evaluations_page or rule.endpoint in OTHER_RESULTS_ROUTES):
            continue
        if rule.endpoint in OTHER_RESULTS_ROUTES and "trajectory_id" not in rule.arguments:
            continue
        for fmt in ("csv", "xlsx") if "fmt" in rule.arguments else (None,):
            routes.append((rule.endpoint, fmt))
    return sorted(set(routes), key=lambda r: (r[0], r[1] or ""))


RESULTS_ROUTES = _results_routes()
# Where a closed round's results must be visible (to those allowed on the page at all).
SHOWS_RESULTS = {
    "evaluations.index",
    "evaluations.round_view",
    "evaluations.results_export",
    "trajectories.export",
    "actions.new",
}


def test_the_results_routes_are_found():
    endpoints = {e for e, _fmt in RESULTS_ROUTES}
    assert {"evaluations.index", "evaluations.round_view", "evaluations.results_export"} <= endpoints
    assert set(OTHER_RESULTS_ROUTES) <= endpoints


def _round_with_a_ballot(world, make_user, state: str) -> tuple[EvaluationRound, str]:
    """A round in the given state with one ballot (of a member outside the roles under test, so
    nobody sees it as their own) whose comment is a marker."""
    from tracker.members.services import add_member

    today = date.today()
    opens, closes = {
        "upcoming": (today + timedelta(days=30), today + timedelta(days=44)),
        "open": (today - timedelta(days=1), today + timedelta(days=5)),
        "closed": (today - timedelta(days=60), today - timedelta(days=50)),
    }[state]
    a = world["a"]
    evaluation_round = EvaluationRound(
        trajectory_id=a.id,
        name=f"Ronde {state}",
        framework="ksf",
        anonymous=True,
        factors=factor_snapshot(frameworks()["ksf"]),
        opens_on=opens,
        closes_on=closes,
    )
    voter = add_member(
        a, make_user("Vera Stemmer"), a.memberships[0].organisation, Layer.UITVOEREND, Role.TEAMLID
    )
    db.session.add(evaluation_round)
    db.session.flush()
    secret = f"GEHEIM-{state}-toelichting"
    ballot = Ballot(round_id=evaluation_round.id, membership_id=voter.id, layer="uitvoerend")
    db.session.add(ballot)
    db.session.flush()
    for i, factor in enumerate(evaluation_round.factors):
        db.session.add(
            Vote(ballot=ballot, factor=factor["key"], color=Color.ROOD, comment=secret if i == 0 else "")
        )
    db.session.commit()
    return evaluation_round, secret


def _url(endpoint: str, fmt: str | None, world, evaluation_round: EvaluationRound) -> str:
    from flask import url_for

    a = world["a"]
    values = {
        "trajectory_id": a.id,
        "round_id": evaluation_round.id,
        "opens": evaluation_round.opens_on.isoformat(),
    }
    if fmt:
        values["fmt"] = fmt
    if endpoint == "actions.new":
        values.update(kaart=evaluation_round.id, factor=evaluation_round.factors[0]["key"])
    rule = next(r for r in world["app"].url_map.iter_rules(endpoint) if "trajectory_id" in r.arguments)
    with world["app"].test_request_context():
        return url_for(
            endpoint, **{k: v for k, v in values.items() if k in rule.arguments or k in ("kaart", "factor")}
        )


def _visible_text(response) -> str:
    """What the response shows a user: a spreadsheet's cells included."""
    if response.data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return response.get_data(as_text=True)


@pytest.fixture
def results_world(app, world):
    world["app"] = app
    return world


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("endpoint,fmt", RESULTS_ROUTES)
def test_results_only_after_the_round_closed_on_every_route_for_every_role(
    results_world, make_user, state, endpoint, fmt
):
    world = results_world
    evaluation_round, secret = _round_with_a_ballot(world, make_user, state)
    url = _url(endpoint, fmt, world, evaluation_round)
    for role in ROLES:
        client = world["app"].test_client()
        assert (
            client.post(
                "/inloggen", data={"email": world["users"][role].email, "password": PASSWORD}
            ).status_code
            == 302
        )
        response = client.get(url)
        assert response.status_code != 500, (role, url)
        text = _visible_text(response)
        shown = secret in text or 'id="heatmap-heading"' in text
        if role == "outsider":
            assert response.status_code in (403, 404) and not shown, (role, url)
        elif state != "closed":
            assert not shown, (role, state, url)
            if endpoint in ("evaluations.results_export", "actions.new"):
                assert response.status_code == 403, (role, state, url)
        elif endpoint in SHOWS_RESULTS and response.status_code == 200:
            assert shown, (role, url)
        if state == "closed" and role != "outsider" and endpoint in SHOWS_RESULTS - {"actions.new"}:
            assert response.status_code == 200, (role, url)


def test_the_json_export_leaves_out_ballots_of_an_open_round_but_the_operator_transfer_keeps_them(
    results_world, make_user, client, login
):
    world = results_world
    evaluation_round, secret = _round_with_a_ballot(world, make_user, "open")
    login(world["users"]["projectleider"])
    data = json.loads(client.get(f"/trajecten/{world['a'].id}/export.json").data)
    exported = next(r for r in data["evaluations"]["rounds"] if r["name"] == evaluation_round.name)
    assert exported["ballots"] == []
    from tracker.transfer import export_trajectory

    full = export_trajectory(world["a"], open_round_ballots=True)
    assert secret in json.dumps(full, ensure_ascii=False)


# --- invitations and reminders ------------------------------------------------------------------


def _vote(app, user, trajectory, opens: date):
    from .test_evaluations import _cards, _client_for

    client = _client_for(app, user)
    response = client.post(
        f"/trajecten/{trajectory.id}/evaluaties/gepland/{opens.isoformat()}", data=_cards()
    )
    assert response.status_code == 302


def test_a_member_who_voted_gets_no_invitation(app, world, servers):
    from tracker.evaluations.tasks import run_due

    server = plain_server(app, servers)
    manager, teamlid = world["users"]["manager"], world["users"]["teamlid"]
    _vote(app, manager, world["a"], world["schedule"].first_date)
    run_due()
    recipients = [r for rcpts, _ in server.received for r in rcpts]
    assert teamlid.email in recipients and manager.email not in recipients


def test_an_invitation_waiting_when_the_member_votes_is_not_sent(app, world, servers, client, login):
    from tracker.evaluations.tasks import run_due

    run_due()  # no mail server yet: the invitations wait in the outbox
    manager = world["users"]["manager"]
    _vote(app, manager, world["a"], world["schedule"].first_date)
    server = plain_server(app, servers)
    report = run_due()
    recipients = [r for rcpts, _ in server.received for r in rcpts]
    assert recipients and manager.email not in recipients and report.skipped == 1
    login(world["users"]["admin"])
    assert "niet verstuurd: het lid had al gestemd" in client.get("/beheer/berichten").get_data(as_text=True)


def test_an_invitation_and_a_reminder_never_arrive_together(app, world, servers):
    from tracker.evaluations.tasks import run_due
    from tracker.models import OutboxMessage

    schedule = world["schedule"]
    remind_day = schedule.first_date + timedelta(days=schedule.open_days - 1 - schedule.remind_days_before)
    # Without a mail server the invitations wait; on the reminder day the reminders are queued too.
    run_due(today=schedule.first_date)
    run_due(today=remind_day)
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "reminder")
        )
        > 0
    )
    # Then mail is configured: each member gets one message, the invitation, not both at once.
    server = plain_server(app, servers)
    run_due(today=remind_day)
    recipients = [r for rcpts, _ in server.received for r in rcpts]
    assert recipients and len(recipients) == len(set(recipients))
    assert all("Herinnering" not in content for _rcpts, content in server.received)
    run_due(today=remind_day)
    assert len(server.received) == len(recipients)  # the superseded reminders stay unsent


def test_an_invitation_made_on_the_reminder_day_gets_no_reminder_after_it(app, world, servers):
    from tracker.evaluations.tasks import run_due

    schedule = world["schedule"]
    # The schedule's round reaches its reminder day today, before any run has invited anyone.
    schedule.first_date = date.today() - timedelta(days=schedule.open_days - 1 - schedule.remind_days_before)
    db.session.commit()
    server = plain_server(app, servers)
    run_due()
    run_due()
    recipients = [r for rcpts, _ in server.received for r in rcpts]
    assert recipients and len(recipients) == len(set(recipients))
    assert all("Herinnering" not in content for _rcpts, content in server.received)
