"""Voting that guides: the pages say where the member still has to vote and link to the ballot;
the ballot is compact; after saving, a summary of the cards says what happens next."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tracker.content import frameworks
from tracker.evaluations import schedules
from tracker.evaluations.pending import rounds_to_vote
from tracker.extensions import db
from tracker.models import Cadence, EvaluationRound, Layer

from .test_queries import queries_for

FACTORS = [f["key"] for f in frameworks()["ksf"]["factors"]]


def _cards(color="groen", **overrides):
    data = {f"kleur-{k}": color for k in FACTORS}
    data.update({f"kleur-{k}": v for k, v in overrides.items()})
    return data


def _planned(world):
    return schedules.current_planned(world["schedule"], date.today())


def _planned_url(world) -> str:
    return f"/trajecten/{world['a'].id}/evaluaties/gepland/{world['schedule'].first_date.isoformat()}"


def test_overview_trajectory_page_and_my_work_say_where_to_vote_until_voted(client, login, world):
    a = world["a"]
    name = _planned(world).name
    login(world["users"]["teamlid"])
    notice = f"U hebt nog niet gestemd in {name}"
    for url in ("/trajecten", f"/trajecten/{a.id}", "/mijn-werk"):
        page = client.get(url).get_data(as_text=True)
        assert f'href="{_planned_url(world)}">{notice}</a>' in page, url
    response = client.post(_planned_url(world), data=_cards())
    assert response.status_code == 302
    stored = db.session.scalar(db.select(EvaluationRound).where(EvaluationRound.name == name))
    assert response.headers["Location"].endswith(f"/evaluaties/{stored.id}")
    for url in ("/trajecten", f"/trajecten/{a.id}", "/mijn-werk"):
        assert notice not in client.get(url).get_data(as_text=True), url


def test_a_stored_round_links_to_its_ballot_and_observers_or_other_layers_are_not_asked(client, login, world):
    a = world["a"]
    users = world["users"]
    schedule = world["schedule"]
    stored = schedules.materialise(schedule, _planned(world))
    db.session.commit()
    login(users["manager"])
    page = client.get(f"/trajecten/{a.id}").get_data(as_text=True)
    assert f'href="/trajecten/{a.id}/evaluaties/{stored.id}">U hebt nog niet gestemd in {stored.name}' in page
    assert rounds_to_vote(users["meekijker"], date.today()) == []
    assert rounds_to_vote(users["outsider"], date.today(), [a.id]) == []
    stored.layers = Layer.BESTUUR.value
    db.session.commit()
    assert rounds_to_vote(users["manager"], date.today(), [a.id]) == []


def test_the_overview_links_the_round_to_its_ballot(client, login, world):
    login(world["users"]["teamlid"])
    page = client.get("/trajecten").get_data(as_text=True)
    assert f'<a class="utrecht-link" href="{_planned_url(world)}">{_planned(world).name}</a>' in page


def test_the_ballot_shows_each_question_and_keeps_comments_behind_a_details(client, login, world):
    login(world["users"]["teamlid"])
    page = client.get(_planned_url(world)).get_data(as_text=True)
    for factor in frameworks()["ksf"]["factors"]:
        assert factor["questions"][0] in page
    assert page.count('<details class="app-comment">') == len(FACTORS)
    response = client.post(
        _planned_url(world), data={**_cards(), "kleur-durf": "", "toelichting-visie_doelen": "Mijn"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.count('<details class="app-comment" open>') == 2  # the comment, and the factor in error


def test_after_saving_a_summary_of_my_cards_with_a_way_to_change_them(client, login, world):
    login(world["users"]["teamlid"])
    response = client.post(
        _planned_url(world), data={**_cards(durf="oranje"), "toelichting-durf": "Nog te voorzichtig"}
    )
    summary = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Uw kaarten" in summary and 'name="kleur-' not in summary
    assert summary.count("Groen (ja)") == len(FACTORS) - 1 and "Oranje (twijfelachtig)" in summary
    assert "Nog te voorzichtig" in summary and "actie nodig" not in summary
    change = re.search(r'href="([^"]*wijzigen=1[^"]*)"', summary).group(1)
    form = client.get(change).get_data(as_text=True)
    assert 'id="kleur-durf-oranje" name="kleur-durf" value="oranje" checked' in form
    assert "Nog te voorzichtig" in form and "Mijn kaarten opslaan" in form


def test_a_red_card_says_what_happens_next(client, login, world):
    login(world["users"]["teamlid"])
    response = client.post(_planned_url(world), data=_cards(vertrouwen="rood"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Rood (nee)" in page and "actie nodig" in page and "projectleider" in page
    title = next(f["title"] for f in frameworks()["ksf"]["factors"] if f["key"] == "vertrouwen")
    assert f"Rood: {title}" in page


def test_the_overview_with_rounds_to_vote_is_bounded(client, login, make_user, make_trajectory):
    lead = make_user()

    def add_trajectory(n: int) -> None:
        trajectory = make_trajectory(lead, name=f"Traject {n}", members={"teamlid": make_user()})
        schedule = schedules.save_schedule(
            trajectory,
            schedules.ScheduleSettings(
                framework="ksf",
                cadence=Cadence.KWARTAAL,
                first_date=date.today() - timedelta(days=n % 5),
                open_days=14,
                remind_days_before=3,
            ),
        )
        if n % 2:
            schedules.materialise(schedule, schedules.current_planned(schedule, date.today()))
        db.session.commit()

    add_trajectory(0)
    add_trajectory(1)
    login(lead)
    few = queries_for(client, "/trajecten")
    assert client.get("/trajecten").get_data(as_text=True).count("U hebt nog niet gestemd") == 2
    for n in range(2, 10):
        add_trajectory(n)
    assert queries_for(client, "/trajecten") == few
    assert client.get("/trajecten").get_data(as_text=True).count("U hebt nog niet gestemd") == 10
