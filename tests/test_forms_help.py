"""Forms that help: required selects start empty, autocomplete on the fields about the user, an
error summary after a failed submit, the ballot names the factors still missing, the * explained."""

from __future__ import annotations

import re

from tracker.content import frameworks
from tracker.extensions import db
from tracker.models import Ballot, Decision

from .fixtures_world import PASSWORD


def _select(page: str, name: str) -> str:
    return page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def _summary(page: str) -> str:
    return page.split("data-error-summary", 1)[1].split("</div>", 1)[0]


def test_a_required_select_starts_on_an_empty_option_and_refusing_it_keeps_the_input(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase1/nieuw"
    page = client.get(url).get_data(as_text=True)
    outcome = _select(page, "outcome")
    assert (
        re.findall(r"<option[^>]*>[^<]*</option>", outcome)[0] == '<option value="">Kies een optie</option>'
    )
    assert "selected" not in outcome  # no go preselected
    response = client.post(
        url,
        data={
            "outcome": "",
            "rationale": "Grote zorgen",
            "decided_by": "Overleg",
            "decided_on": "2026-03-01",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Dit veld is verplicht." in body
    assert "Grote zorgen" in body and 'value="Overleg"' in body
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0


def test_a_select_that_has_its_own_empty_option_gets_no_second_one(client, login, world):
    login(world["users"]["projectleider"])
    page = client.get(f"/trajecten/{world['a'].id}/leden/nieuw").get_data(as_text=True)
    role = re.findall(r"<option[^>]*>[^<]*</option>", _select(page, "role"))
    assert role[0] == '<option value="">Kies een rol</option>' and role.count(role[0]) == 1
    assert '<option value="">Kies een optie</option>' in _select(page, "layer")


def test_the_login_page_has_autocomplete_attributes(client):
    page = client.get("/inloggen").get_data(as_text=True)
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*name="email"', page)
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*name="password"', page)


def test_password_fields_say_whether_they_are_current_or_new(client, login, make_user):
    login(make_user())
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'autocomplete="current-password"[^>]*name="pw-current_password"', page)
    assert re.search(r'autocomplete="new-password"[^>]*name="pw-new_password"', page)
    assert re.search(r'autocomplete="new-password"[^>]*name="pw-confirm"', page)


def test_a_failed_submit_shows_a_summary_linking_to_the_fields_and_says_so_in_the_title(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase1/nieuw"
    fresh = client.get(url).get_data(as_text=True)
    assert "data-error-summary" not in fresh and not _title(fresh).startswith("Fout")
    assert fresh.count("Velden met * zijn verplicht.") == 1
    page = client.post(url, data={"outcome": "wenselijk", "decided_on": "2026-03-01"}).get_data(as_text=True)
    assert _title(page).startswith("Fout: ")
    summary = _summary(page)
    assert 'role="alert"' in page.split("data-error-summary", 1)[0].rsplit("<div", 1)[1]
    assert 'tabindex="-1"' in page.split("data-error-summary", 1)[0].rsplit("<div", 1)[1]
    assert "Er is iets niet goed ingevuld" in summary
    assert '<a class="utrecht-link" href="#rationale">Onderbouwing: Dit veld is verplicht.</a>' in summary
    assert 'href="#shared_vision"' in summary and 'id="shared_vision"' in page
    assert 'src="/static/js/error-summary.js"' in page
    # The summary comes before the form's fields.
    assert page.index("data-error-summary") < page.index('name="rationale"')


def test_the_summary_and_title_are_english_for_an_english_reader(client, login, world):
    lead = world["users"]["projectleider"]
    lead.locale = "en"
    db.session.commit()
    login(lead)
    page = client.post(f"/trajecten/{world['a'].id}/besluiten/fase1/nieuw", data={}).get_data(as_text=True)
    assert _title(page).startswith("Error: ")
    assert "Something is not filled in correctly" in _summary(page)
    assert "Fields marked * are required." in page


def test_the_login_page_summary_links_to_the_missing_password(client):
    page = client.post("/inloggen", data={"email": "ann@example.org", "password": ""}).get_data(as_text=True)
    assert _title(page).startswith("Fout: ")
    assert 'href="#password"' in _summary(page)


def test_the_ballot_names_the_factors_still_missing(app, world):
    factors = frameworks()["ksf"]["factors"]
    client = app.test_client()
    client.post("/inloggen", data={"email": world["users"]["manager"].email, "password": PASSWORD})
    url = f"/trajecten/{world['a'].id}/evaluaties/gepland/{world['schedule'].first_date.isoformat()}"
    data = {f"kleur-{f['key']}": "groen" for f in factors[1:]}
    response = client.post(url, data={**data, f"kleur-{factors[-1]['key']}": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _title(page).startswith("Fout: ")
    summary = _summary(page)
    assert "Niet opgeslagen: geef elke factor een kaart." in summary
    for number, factor in ((1, factors[0]), (len(factors), factors[-1])):
        assert f'href="#kleur-{factor["key"]}-groen">{number}. {factor["title"]}: Kies groen' in summary
        assert f'id="kleur-{factor["key"]}-groen"' in page
    assert summary.count("<li") == 2
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 0
