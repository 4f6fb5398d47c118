"""Time-out without loss: the warning before the idle limit, and a form posted after it."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest

from tracker.extensions import db
from tracker.models import FormStash, utcnow

from .fixtures_world import PASSWORD

EXPIRED_MESSAGE = "Uw sessie was verlopen. Log opnieuw in; wat u had ingevuld staat weer klaar."


def _idle(client, minutes: int = 61) -> None:
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - minutes * 60


def _edit_data(trajectory, name: str) -> dict[str, str]:
    return {
        "name": name,
        "theme": "Thema zoals getypt",
        "target_groups": "Jongeren en ouders, zoals getypt",
        "area": "Rivierenwijk",
        "focus_layer": "uitvoerend",
        "start_date": "2026-01-05",
        "status": "actief",
        "coordinator_id": "",
        "version": str(trajectory.version),
    }


def _post_after_expiry(client, login, user, trajectory, name="Naam getypt na de time-out"):
    login(user)
    url = f"/trajecten/{trajectory.id}/bewerken"
    assert client.get(url).status_code == 200
    _idle(client)
    return url, client.post(url, data=_edit_data(trajectory, name))


def test_a_form_posted_after_the_idle_limit_comes_back_after_login(client, login, make_user, make_trajectory):
    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    url, response = _post_after_expiry(client, login, lead, trajectory)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/inloggen") and "bewerken" in location
    assert EXPIRED_MESSAGE in client.get(location).get_data(as_text=True)
    assert trajectory.name == "Preventie van pesten"  # nothing was saved

    response = client.post(location, data={"email": lead.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert 'value="Naam getypt na de time-out"' in page
    assert "Jongeren en ouders, zoals getypt" in page
    assert "Controleer het en sla het op" in page
    db.session.expire_all()
    assert trajectory.name == "Preventie van pesten"  # shown again, not submitted
    # Once: the next visit shows what is stored.
    assert "Naam getypt na de time-out" not in client.get(url).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(FormStash)) == 0


def test_another_user_logging_in_does_not_get_what_was_typed(client, login, make_user, make_trajectory):
    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    other = make_user("Otto Ander")
    url, response = _post_after_expiry(client, login, lead, trajectory, name="Geheim van Pia")
    client.post(response.headers["Location"], data={"email": other.email, "password": PASSWORD})
    assert db.session.scalar(db.select(db.func.count()).select_from(FormStash)) == 0
    client.post("/uitloggen")
    login(lead)
    assert "Geheim van Pia" not in client.get(url).get_data(as_text=True)


def test_a_stash_is_not_shown_after_thirty_minutes(client, login, make_user, make_trajectory):
    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    url, response = _post_after_expiry(client, login, lead, trajectory)
    db.session.execute(db.update(FormStash).values(created_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    client.post(response.headers["Location"], data={"email": lead.email, "password": PASSWORD})
    assert "Naam getypt na de time-out" not in client.get(url).get_data(as_text=True)


def test_a_form_posted_after_another_request_ended_the_session_is_kept_too(
    client, login, make_user, make_trajectory
):
    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    login(lead)
    url = f"/trajecten/{trajectory.id}/bewerken"
    _idle(client)
    assert client.get("/trajecten").status_code == 302  # another tab: the session ends here
    response = client.post(url, data=_edit_data(trajectory, "Getypt in het eerste tabblad"))
    assert response.status_code == 302 and "bewerken" in response.headers["Location"]
    client.post(response.headers["Location"], data={"email": lead.email, "password": PASSWORD})
    assert 'value="Getypt in het eerste tabblad"' in client.get(url).get_data(as_text=True)


def test_passwords_codes_and_the_csrf_token_are_never_kept(client, login, make_user):
    user = make_user()
    login(user)
    _idle(client)
    response = client.post(
        "/account",
        data={
            "csrf_token": "token-value",
            "pw-current_password": "oud-wachtwoord-123",
            "pw-new_password": "nieuw-wachtwoord-456",
            "pw-confirm": "nieuw-wachtwoord-456",
            "pw-submit": "Opslaan",
            "off-code": "123456",
            "prefs-locale": "en",
        },
    )
    assert response.status_code == 302
    stash = db.session.scalars(db.select(FormStash)).one()
    names = [name for name, _value in json.loads(stash.fields)]
    assert names == ["pw-submit", "prefs-locale"]
    for secret in ("oud-wachtwoord", "nieuw-wachtwoord", "123456", "token-value"):
        assert secret not in stash.fields


def test_too_much_input_is_not_kept_and_the_plain_message_shows(client, login, make_user, make_trajectory):
    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    login(lead)
    _idle(client)
    data = _edit_data(trajectory, "x")
    data["target_groups"] = "y" * (65 * 1024)
    response = client.post(f"/trajecten/{trajectory.id}/bewerken", data=data)
    assert db.session.scalar(db.select(db.func.count()).select_from(FormStash)) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Uw sessie is verlopen" in page and EXPIRED_MESSAGE not in page


def test_a_post_only_endpoint_leads_back_to_the_page_it_was_posted_from(client, login, make_user):
    user = make_user()
    login(user)
    _idle(client)
    response = client.post("/uitloggen", headers={"Referer": "http://localhost/account?x=1"})
    assert response.status_code == 302
    assert "next=/account?x%3D1" in response.headers["Location"]
    assert db.session.scalar(db.select(db.func.count()).select_from(FormStash)) == 0


def test_stay_logged_in_extends_the_session(client, login, make_user):
    login(make_user())
    _idle(client, 59)
    response = client.post("/sessie/verlengen")
    assert response.status_code == 200 and response.json["remaining"] > 59 * 60
    _idle(client, 59)  # another 59 minutes: still logged in thanks to the extension
    assert client.post("/sessie/verlengen").status_code == 200


def test_reading_the_time_left_is_not_activity(client, login, make_user):
    login(make_user())
    _idle(client, 50)
    response = client.get("/sessie")
    assert response.status_code == 200 and 9 * 60 <= response.json["remaining"] <= 10 * 60
    _idle(client, 61)
    response = client.get("/sessie")  # the script learns that the session has ended
    assert response.status_code == 401 and response.json["remaining"] == 0
    assert client.get("/trajecten").status_code == 302


def test_the_absolute_limit_bounds_the_time_left(client, login, make_user):
    login(make_user())
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 12 * 3600 + 300
    assert client.get("/sessie").json["remaining"] <= 300


def test_signed_in_pages_carry_the_warning_and_its_script(client, login, make_user):
    page = client.get("/inloggen").get_data(as_text=True)
    assert "session-timeout" not in page
    login(make_user())
    page = client.get("/trajecten").get_data(as_text=True)
    assert 'src="/static/js/session-timeout.js"' in page
    remaining = re.search(
        r'<template id="session-timeout" data-remaining="([0-9]+)" data-warning="120"', page
    )
    assert remaining and 3590 <= int(remaining[1]) <= 3600
    assert 'role="alertdialog"' in page
    assert "Ingelogd blijven" in page and "Uw sessie verloopt bijna" in page
    assert "Over ongeveer 2 minuten wordt u uitgelogd." in page
    assert client.get("/static/js/session-timeout.js").status_code == 200


def test_what_was_typed_survives_a_login_with_two_factor(client, login, make_user, make_trajectory):
    import pyotp

    lead = make_user("Pia Projectleider")
    trajectory = make_trajectory(lead)
    url, response = _post_after_expiry(client, login, lead, trajectory)
    lead.totp_secret = pyotp.random_base32()
    db.session.commit()
    step1 = client.post(response.headers["Location"], data={"email": lead.email, "password": PASSWORD})
    assert step1.headers["Location"].endswith("/inloggen/code")
    step2 = client.post("/inloggen/code", data={"code": pyotp.TOTP(lead.totp_secret).now()})
    assert step2.headers["Location"] == url
    assert 'value="Naam getypt na de time-out"' in client.get(url).get_data(as_text=True)


@pytest.fixture
def csrf_client(database_url, _schema):
    from config import TestConfig
    from tracker import create_app

    from .fixtures_app import FreshContextClient

    app = create_app(
        type("CsrfConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    )
    app.test_client_class = FreshContextClient
    return app.test_client()


def test_stay_logged_in_needs_the_csrf_token_the_page_carries(csrf_client, make_user):
    user = make_user()
    page = csrf_client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    csrf_client.post("/inloggen", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    page = csrf_client.get("/trajecten").get_data(as_text=True)
    template = page[page.index('<template id="session-timeout"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', template)[1]
    assert csrf_client.post("/sessie/verlengen").status_code == 400
    response = csrf_client.post("/sessie/verlengen", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json["remaining"] > 3500
