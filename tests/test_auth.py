"""Accounts: login, logout, safe next, password rules, CLI, sessions."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tracker.extensions import db
from tracker.models import User

from .conftest import PASSWORD


def test_login_with_wrong_password_shows_a_dutch_message_and_keeps_the_email(client, make_user):
    user = make_user()
    response = client.post("/inloggen", data={"email": user.email, "password": "verkeerd wachtwoord"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "E-mailadres of wachtwoord is onjuist." in body
    assert f'value="{user.email}"' in body


def test_login_lands_on_the_trajectory_overview(client, make_user):
    user = make_user()
    response = client.post("/inloggen", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/trajecten"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/%0d%0aLocation: https://evil.example",
        " https://evil.example",
    ],
)
def test_next_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/inloggen", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//")
    assert not parts.scheme and not parts.netloc and "\n" not in location


def test_next_to_a_local_page_is_followed(client, make_user):
    user = make_user()
    response = client.post(
        "/inloggen", query_string={"next": "/mijn-werk"}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/mijn-werk"


def test_logout_ends_the_session_and_a_replayed_remember_cookie(app, make_user):
    user = make_user()
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    session_cookie = client.get_cookie("session")
    assert remember is not None
    client.post("/uitloggen")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    replay.set_cookie("session", session_cookie.value)
    response = replay.get("/trajecten")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_deactivating_a_user_ends_their_sessions(app, make_user):
    admin = make_user("Beheer", admin=True)
    user = make_user()
    theirs = app.test_client()
    theirs.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert theirs.get("/trajecten").status_code == 200
    mine = app.test_client()
    mine.post("/inloggen", data={"email": admin.email, "password": PASSWORD})
    mine.post(f"/beheer/gebruikers/{user.id}", data={"name": user.name, "active": ""})
    assert theirs.get("/trajecten").status_code == 302


def test_changing_password_requires_the_current_one(client, login, make_user):
    user = make_user()
    login(user)
    new = "een nieuwe lange zin"
    response = client.post(
        "/account",
        data={"pw-current_password": "fout fout fout", "pw-new_password": new, "pw-confirm": new, "pw-submit": "1"},
    )
    assert "Het huidige wachtwoord is onjuist." in response.get_data(as_text=True)
    db.session.refresh(user)
    from tracker.security import verify_password

    assert verify_password(user.password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "Gebruik minstens 12 tekens."),
        ("x" * 129, "Gebruik maximaal 128 tekens."),
        ("wachtwoord123", "Dit wachtwoord komt te vaak voor"),
    ],
)
def test_weak_new_passwords_are_refused_with_a_reason(client, login, make_user, password, message):
    user = make_user()
    login(user)
    response = client.post(
        "/account",
        data={"pw-current_password": PASSWORD, "pw-new_password": password, "pw-confirm": password, "pw-submit": "1"},
    )
    assert message in response.get_data(as_text=True)


def test_password_change_logs_out_other_sessions_but_not_this_one(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    new = "een nieuwe lange zin"
    first.post(
        "/account",
        data={"pw-current_password": PASSWORD, "pw-new_password": new, "pw-confirm": new, "pw-submit": "1"},
    )
    assert first.get("/trajecten").status_code == 200
    assert second.get("/trajecten").status_code == 302


def test_passwords_are_stored_as_argon2id(make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")


def test_user_can_choose_english(client, login, make_user):
    user = make_user()
    login(user)
    assert "Trajecten" in client.get("/trajecten").get_data(as_text=True)
    client.post("/account", data={"prefs-locale": "en", "prefs-submit": "1"})
    body = client.get("/trajecten").get_data(as_text=True)
    assert "Trajectories" in body and 'lang="en"' in body


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_create_user_and_duplicate(runner):
    ok = runner.invoke(args=["create-user", "a@example.org", "--name", "Ann", "--password", PASSWORD, "--admin"])
    assert ok.exit_code == 0, ok.output
    user = db.session.scalar(db.select(User).where(User.email == "a@example.org"))
    assert user.is_admin
    dup = runner.invoke(args=["create-user", "A@example.org", "--name", "Ann", "--password", PASSWORD])
    assert dup.exit_code != 0 and "bestaat al" in dup.output


def test_cli_refuses_a_bad_password(runner):
    result = runner.invoke(args=["create-user", "b@example.org", "--name", "Bob", "--password", "kort"])
    assert result.exit_code != 0 and "12" in result.output
    assert db.session.scalar(db.select(User).where(User.email == "b@example.org")) is None


def test_cli_set_password(runner, make_user, client):
    user = make_user()
    result = runner.invoke(args=["set-password", user.email, "--password", "nog een lange zin"])
    assert result.exit_code == 0, result.output
    assert client.post("/inloggen", data={"email": user.email, "password": "nog een lange zin"}).status_code == 302
    missing = runner.invoke(args=["set-password", "niemand@example.org", "--password", "nog een lange zin"])
    assert missing.exit_code != 0


def test_a_fresh_database_has_no_accounts(app):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
