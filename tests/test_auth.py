"""Accounts: login, logout, safe next, password rules, CLI, sessions."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tracker.extensions import db
from tracker.models import User

from .fixtures_world import PASSWORD


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
        data={
            "pw-current_password": "fout fout fout",
            "pw-new_password": new,
            "pw-confirm": new,
            "pw-submit": "1",
        },
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
        data={
            "pw-current_password": PASSWORD,
            "pw-new_password": password,
            "pw-confirm": password,
            "pw-submit": "1",
        },
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
    ok = runner.invoke(
        args=["create-user", "a@example.org", "--name", "Ann", "--password", PASSWORD, "--admin"]
    )
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
    assert (
        client.post("/inloggen", data={"email": user.email, "password": "nog een lange zin"}).status_code
        == 302
    )
    missing = runner.invoke(args=["set-password", "niemand@example.org", "--password", "nog een lange zin"])
    assert missing.exit_code != 0


def test_a_fresh_database_has_no_accounts(app):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


# --- remember-me lifetime, on the server ----------------------------------------------------------

DAY = 24 * 3600


def _remember_cookie(app, user, monkeypatch, *, days_ago: float = 0) -> str:
    """A remember-me cookie from a login made ``days_ago`` days ago (the server's clock moved)."""
    import time

    from tracker.auth import services

    monkeypatch.setattr(services, "_now", lambda: time.time() - days_ago * DAY)
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    monkeypatch.setattr(services, "_now", time.time)
    return client.get_cookie("remember_token").value


def test_a_remember_cookie_replayed_after_its_lifetime_is_refused(app, make_user, monkeypatch):
    user = make_user()
    cookie = _remember_cookie(app, user, monkeypatch, days_ago=15)  # the lifetime is 14 days
    replay = app.test_client()
    replay.set_cookie("remember_token", cookie)
    response = replay.get("/trajecten")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_a_remember_cookie_within_its_lifetime_works_but_does_not_restart_the_clock(
    app, make_user, monkeypatch
):
    import time

    user = make_user()
    cookie = _remember_cookie(app, user, monkeypatch, days_ago=13)
    replay = app.test_client()
    replay.set_cookie("remember_token", cookie)
    assert replay.get("/trajecten").status_code == 200
    with replay.session_transaction() as session:
        assert session["login_at"] < time.time() - 12.9 * DAY  # counted from the login, not from now
        session["login_at"] = time.time() - 14.1 * DAY  # a day later
    assert replay.get("/trajecten").status_code == 302


def test_an_old_style_session_id_without_issue_time_is_refused(app, make_user):
    from tracker.auth.services import load_user

    user = make_user()
    assert load_user(f"{user.id}:{user.session_token}") is None
    assert load_user(f"99999999999999999999:{user.session_token}:1") is None
    assert load_user(user.get_id()) == user


# --- timing: one hash verification for known and unknown emails ------------------------------------


def test_known_and_unknown_emails_cost_exactly_one_hash_verification(client, make_user, monkeypatch):
    from argon2 import PasswordHasher

    user = make_user()
    calls = {"verify": 0, "hash": 0}
    verify, hash_ = PasswordHasher.verify, PasswordHasher.hash

    def counting_verify(self, *args, **kwargs):
        calls["verify"] += 1
        return verify(self, *args, **kwargs)

    def counting_hash(self, *args, **kwargs):
        calls["hash"] += 1
        return hash_(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    client.post("/inloggen", data={"email": "warm-up@example.org", "password": "fout fout fout"})
    for email in (user.email, "niemand@example.org", "nog-iemand@example.org", user.email):
        calls.update(verify=0, hash=0)
        response = client.post("/inloggen", data={"email": email, "password": "fout fout fout"})
        assert "E-mailadres of wachtwoord is onjuist." in response.get_data(as_text=True)
        assert calls == {"verify": 1, "hash": 0}, email


# --- the demo password --------------------------------------------------------------------------

DEMO = "samen-sterk-voor-jeugd"
DEMO_MESSAGE = "Dit is het wachtwoord van de demo-accounts"


def test_the_demo_password_is_refused_as_a_new_password(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post(
        "/account",
        data={"pw-current_password": PASSWORD, "pw-new_password": DEMO, "pw-confirm": DEMO, "pw-submit": "1"},
    )
    assert DEMO_MESSAGE in response.get_data(as_text=True)
    db.session.refresh(user)
    from tracker.security import verify_password

    assert verify_password(user.password_hash, PASSWORD)


def test_the_demo_password_is_refused_by_the_cli_and_the_admin_form(runner, client, login, make_user):
    result = runner.invoke(args=["create-user", "c@example.org", "--name", "Cas", "--password", DEMO])
    assert result.exit_code != 0 and DEMO_MESSAGE in result.output
    assert db.session.scalar(db.select(User).where(User.email == "c@example.org")) is None
    user = make_user()
    result = runner.invoke(args=["set-password", user.email, "--password", DEMO.upper()])
    assert result.exit_code != 0 and DEMO_MESSAGE in result.output
    login(make_user("Beheer", admin=True))
    response = client.post(
        "/beheer/gebruikers/nieuw", data={"email": "d@example.org", "name": "Dirk", "password": DEMO}
    )
    assert DEMO_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "d@example.org")) is None


def test_logging_in_does_not_change_the_accounts_version(app, make_user):
    """Two tabs or devices logging in at once must not conflict (a stale version would be a 500),
    nor make an administrator's open edit of the account look stale."""
    from tracker.extensions import db
    from tracker.models import User

    user = make_user("Twee Tabbladen")
    before = user.version
    for _ in range(2):  # two devices
        response = app.test_client().post("/inloggen", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.version == before
    assert stored.last_login_at is not None
