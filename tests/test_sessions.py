"""Idle and absolute session limits."""

from __future__ import annotations

import time

from .fixtures_world import PASSWORD


def _log_in(client, user, remember=False):
    client.post(
        "/inloggen", data={"email": user.email, "password": PASSWORD, "remember": "y" if remember else ""}
    )


def test_an_idle_session_ends(client, make_user):
    _log_in(client, make_user())
    assert client.get("/trajecten").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 61 * 60
    response = client.get("/trajecten")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert "Uw sessie is verlopen" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_session_ends_after_the_absolute_limit_even_when_active(client, make_user):
    _log_in(client, make_user())
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 13 * 3600
    assert client.get("/trajecten").status_code == 302


def test_a_remembered_session_survives_idleness(client, make_user):
    _log_in(client, make_user(), remember=True)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 5 * 3600
    assert client.get("/trajecten").status_code == 200


def test_login_starts_a_fresh_session(client, make_user):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _log_in(client, make_user())
    with client.session_transaction() as session:
        assert "planted" not in session
