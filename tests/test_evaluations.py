"""Scheduled evaluation rounds: rounds from dates, voting, results, follow-up, mail."""

from __future__ import annotations

import csv
import io
import socket
import threading
from datetime import date, timedelta

import pytest

from tracker.content import frameworks
from tracker.evaluations import schedules, voting
from tracker.evaluations.results import shown_groups
from tracker.evaluations.tasks import run_due
from tracker.extensions import db
from tracker.models import Action, Ballot, Cadence, Color, EvaluationRound, OutboxMessage, Role

from .fixtures_world import PASSWORD

FACTORS = [f["key"] for f in frameworks()["ksf"]["factors"]]


def _cards(color="groen", **overrides):
    data = {f"kleur-{k}": color for k in FACTORS}
    data.update({f"kleur-{k}": v for k, v in overrides.items()})
    return data


def _client_for(app, user):
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    return client


def test_quarterly_rounds_are_named_after_their_period():
    assert schedules.period_name(date(2027, 1, 15), Cadence.KWARTAAL) == "2027 K1"
    assert schedules.period_name(date(2027, 8, 1), Cadence.HALFJAAR) == "2027 H2"
    assert schedules.period_name(date(2027, 3, 1), Cadence.MAAND) == "maart 2027"
    assert schedules.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_the_state_follows_from_the_dates_even_when_nothing_has_run(client, login, world):
    login(world["users"]["teamlid"])
    page = client.get(f"/trajecten/{world['a'].id}/evaluaties").get_data(as_text=True)
    assert "Nu open" in page
    assert db.session.scalar(db.select(db.func.count(EvaluationRound.id))) == 1  # only the old stored round


def test_run_due_opens_the_round_invites_and_is_idempotent(app, world):
    first = run_due()
    second = run_due()
    assert first.opened == 1 and second.opened == 0
    invitations = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "invitation")).all()
    members = [m for m in world["a"].memberships if m.role != Role.MEEKIJKER]
    assert len(invitations) == len(members) and second.queued == 0


def test_voting_changing_and_one_ballot_per_member(app, world):
    schedule = world["schedule"]
    teamlid = world["users"]["teamlid"]
    client = _client_for(app, teamlid)
    url = f"/trajecten/{world['a'].id}/evaluaties/gepland/{schedule.first_date.isoformat()}"
    response = client.post(
        url, data=_cards(vertrouwen="rood", **{"toelichting-vertrouwen": "Te weinig overleg"})
    )
    assert response.status_code == 302
    round_url = response.headers["Location"]
    client.post(round_url, data=_cards("oranje"))
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 1
    ballot = db.session.scalar(db.select(Ballot))
    assert {v.color.value for v in ballot.votes} == {"oranje"}


def test_a_second_ballot_is_refused_by_the_database(app, world):
    from sqlalchemy.exc import IntegrityError

    run_due()
    evaluation_round = db.session.scalar(db.select(EvaluationRound).where(EvaluationRound.name != "2025 K4"))
    member = world["a"].memberships[0]
    db.session.add(Ballot(round=evaluation_round, membership_id=member.id, layer="uitvoerend"))
    db.session.commit()
    db.session.add(Ballot(round=evaluation_round, membership_id=member.id, layer="uitvoerend"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_incomplete_cards_keep_the_choices_and_save_nothing(app, world):
    client = _client_for(app, world["users"]["manager"])
    url = f"/trajecten/{world['a'].id}/evaluaties/gepland/{world['schedule'].first_date.isoformat()}"
    data = _cards()
    del data["kleur-middelen"]
    data["toelichting-structuur"] = "Mijn toelichting"
    response = client.post(url, data=data)
    body = response.get_data(as_text=True)
    assert (
        response.status_code == 422 and "Kies groen, oranje of rood." in body and "Mijn toelichting" in body
    )
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 0


def test_voting_outside_the_window_and_as_observer_or_outsider(app, world):
    closed = world["round"]
    url = f"/trajecten/{world['a'].id}/evaluaties/{closed.id}"
    late = _client_for(app, world["users"]["teamlid"]).post(url, data=_cards(), follow_redirects=True)
    assert "niet open om te stemmen" in late.get_data(as_text=True)
    assert _client_for(app, world["users"]["meekijker"]).post(url, data=_cards()).status_code == 403
    assert _client_for(app, world["users"]["outsider"]).post(url, data=_cards()).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 0


def test_a_schedule_whose_rounds_would_overlap_is_refused(client, login, world):
    login(world["users"]["projectleider"])
    response = client.post(
        f"/trajecten/{world['a'].id}/evaluaties/schema",
        data={
            "framework": "ksf",
            "cadence": "maand",
            "first_date": "2027-01-01",
            "open_days": "40",
            "remind_days_before": "3",
            "version": str(world["schedule"].version),
        },
    )
    assert "Een ronde moet sluiten voordat de volgende opent" in response.get_data(as_text=True)
    db.session.refresh(world["schedule"])
    assert world["schedule"].cadence.value == "kwartaal"


def _closed_round_with_votes(world, anonymous=False):
    a = world["a"]
    evaluation_round = world["round"]
    evaluation_round.anonymous = anonymous
    colors = {"projectleider": Color.ROOD, "manager": Color.ORANJE, "teamlid": Color.GROEN}
    for member in a.memberships:
        role = member.role.value
        if role in colors:
            voting.cast_ballot(
                evaluation_round,
                member,
                {k: (Color.GROEN, "") for k in FACTORS}
                | {"vertrouwen": (colors[role], f"Toelichting van {role}")},
            )
    db.session.commit()
    return evaluation_round


def test_results_show_distribution_disagreement_and_follow_up(client, login, world):
    evaluation_round = _closed_round_with_votes(world)
    login(world["users"]["teamlid"])
    page = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}").get_data(as_text=True)
    assert "partners verschillen" in page and "actie nodig" in page
    assert "Toelichting van manager — Manon Manager" in page
    follow = page.split('id="follow-heading"')[1]
    assert follow.index("Vertrouwen") < follow.index("</ol>")


def test_anonymous_rounds_never_show_who_voted_what(client, login, world):
    evaluation_round = _closed_round_with_votes(world, anonymous=True)
    login(world["users"]["projectleider"])
    page = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}").get_data(as_text=True)
    assert "Toelichting van manager" in page and "Manon Manager" not in page.split("results-heading")[1]
    export = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}/resultaten.csv")
    assert "Manon" not in export.get_data(as_text=True)


def test_red_card_becomes_an_action_linked_both_ways(client, login, world):
    evaluation_round = _closed_round_with_votes(world)
    login(world["users"]["teamlid"])
    a = world["a"]
    form = client.get(f"/trajecten/{a.id}/acties/nieuw?kaart={evaluation_round.id}&factor=vertrouwen")
    body = form.get_data(as_text=True)
    assert "Actie op ‘Vertrouwen’ (evaluatie 2025 K4)" in body and "1 rood" in body
    data = {
        "plan_id": str(world["plan"].id),
        "title": "Vertrouwen herstellen",
        "owner_id": str(a.memberships[0].id),
        "status": "gepland",
        "stage": "plan",
        "milestone_id": "",
        "due_date": "",
    }
    client.post(f"/trajecten/{a.id}/acties/nieuw?kaart={evaluation_round.id}&factor=vertrouwen", data=data)
    action = db.session.scalar(db.select(Action).where(Action.title == "Vertrouwen herstellen"))
    assert (action.source_type, action.source_id, action.source_key) == (
        "red_card",
        evaluation_round.id,
        "vertrouwen",
    )
    page = client.get(f"/trajecten/{a.id}/evaluaties/{evaluation_round.id}").get_data(as_text=True)
    assert "gekoppelde actie" in page
    # The next round opens with the open action from this one.
    current = client.get(f"/trajecten/{a.id}/evaluaties/gepland/{world['schedule'].first_date.isoformat()}")
    assert "Vertrouwen herstellen" in current.get_data(as_text=True)


def test_heatmap_and_trend_across_rounds(client, login, world):
    _closed_round_with_votes(world)
    later = EvaluationRound(
        trajectory_id=world["a"].id,
        name="2026 K1",
        framework="ksf",
        factors=world["round"].factors,
        opens_on=date.today() - timedelta(days=60),
        closes_on=date.today() - timedelta(days=46),
    )
    db.session.add(later)
    db.session.flush()
    for member in world["a"].memberships[:3]:
        voting.cast_ballot(later, member, {k: (Color.GROEN, "") for k in FACTORS})
    db.session.commit()
    login(world["users"]["teamlid"])
    page = client.get(f"/trajecten/{world['a'].id}/evaluaties").get_data(as_text=True)
    assert "Resultaten door de tijd" in page and "beter dan de vorige ronde" in page


def test_results_export_csv(client, login, world):
    evaluation_round = _closed_round_with_votes(world)
    login(world["users"]["teamlid"])
    body = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}/resultaten.csv").get_data(
        as_text=True
    )
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    vertrouwen = next(r for r in rows if r[1] == "Vertrouwen")
    assert vertrouwen[2:5] == ["1", "1", "1"] and vertrouwen[5] == "ja"
    xlsx = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}/resultaten.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_rounds_are_in_the_calendar_feed(client, world):
    feed = client.get(f"/agenda/{world['users']['teamlid'].calendar_token}.ics").get_data(as_text=True)
    assert "Evaluatieronde" in feed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_invitations_and_one_reminder_through_a_real_smtp_server(app, world, smtp_server):
    port, received = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="betersamen@example.org")
    teamlid = world["users"]["teamlid"]
    schedule = world["schedule"]
    first = schedule.first_date
    run_due(today=first)
    invited = {rcpt for rcpts, _ in received for rcpt in rcpts}
    assert teamlid.email in invited and world["users"]["meekijker"].email not in invited
    # The manager votes; on the reminder day only those who did not vote get one, once.
    client = _client_for(app, world["users"]["manager"])
    client.post(f"/trajecten/{world['a'].id}/evaluaties/gepland/{first.isoformat()}", data=_cards())
    received.clear()
    remind_day = first + timedelta(days=schedule.open_days - 1 - schedule.remind_days_before)
    run_due(today=remind_day)
    run_due(today=remind_day)
    reminded = [rcpt for rcpts, body in received for rcpt in rcpts]
    assert teamlid.email in reminded and world["users"]["manager"].email not in reminded
    assert len(reminded) == len(set(reminded))
    assert all("Herinnering" in body for _, body in received)


def test_without_smtp_messages_wait_in_the_outbox_for_admins(client, login, world):
    run_due()
    login(world["users"]["admin"])
    page = client.get("/beheer/berichten").get_data(as_text=True)
    assert "Er is geen mailserver ingesteld" in page and "Evaluatieronde" in page


def test_concurrent_run_due_sends_nothing_twice(app, world, smtp_server):
    port, received = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    errors = []

    def worker():
        try:
            with app.app_context():
                run_due()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    recipients = [r for rcpts, _ in received for r in rcpts]
    assert recipients and len(recipients) == len(set(recipients))


def test_anonymous_rounds_show_no_group_smaller_than_three_ballots(client, login, world):
    """The rule lives in the service (shown_groups); the page only renders what it is given."""
    from tracker.models import Layer

    evaluation_round = _closed_round_with_votes(
        world, anonymous=True
    )  # 2 uitvoerend, 1 management, 3 in one org
    layers, organisations = shown_groups(evaluation_round)
    assert layers == [] and len(organisations) == 1
    login(world["users"]["projectleider"])
    page = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}").get_data(as_text=True)
    results = page.split('id="results-heading"')[1]
    assert '<th class="utrecht-table__header-cell" scope="col">Management</th>' not in results
    evaluation_round.anonymous = False
    db.session.commit()
    assert shown_groups(evaluation_round)[0] == list(Layer)
    page = client.get(f"/trajecten/{world['a'].id}/evaluaties/{evaluation_round.id}").get_data(as_text=True)
    assert (
        '<th class="utrecht-table__header-cell" scope="col">Management</th>'
        in page.split('id="results-heading"')[1]
    )
