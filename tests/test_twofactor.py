"""Optional TOTP two-factor login, and the admin requirement."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tracker.extensions import db
from tracker.models.setting import REQUIRE_2FA_FOR_ADMINS, set_flag

from .fixtures_world import PASSWORD

# The server's clock is fixed in the middle of a 30-second step, so that codes of the previous,
# current and next step (all accepted, for clock drift) are distinct and a test never straddles
# a step boundary. A code works once, so each use below takes a later step than the one before.
NOW = (int(time.time()) // 30) * 30 + 15


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr("tracker.auth.twofactor._now", lambda: NOW)


def code(secret: str, step: int = 0) -> str:
    """The code of the step ``step`` steps from the (fixed) current one."""
    return pyotp.TOTP(secret).at(NOW + 30 * step)


def _enable(client, user) -> str:
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    page = client.get("/account/tweestaps").get_data(as_text=True)
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'<code class="app-secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post("/account/tweestaps", data={"code": "000000"})
    assert "Deze code klopt niet" in wrong.get_data(as_text=True)
    ok = client.post("/account/tweestaps", data={"code": code(secret, -1)})
    assert ok.status_code == 302
    return secret


def test_with_two_factor_on_a_password_alone_does_not_log_in(app, make_user):
    user = make_user()
    secret = _enable(app.test_client(), user)
    client = app.test_client()
    step1 = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert step1.headers["Location"].endswith("/inloggen/code")
    assert client.get("/trajecten").status_code == 302  # not logged in yet
    bad = client.post("/inloggen/code", data={"code": "123456"})
    assert "Deze code klopt niet" in bad.get_data(as_text=True)
    good = client.post("/inloggen/code", data={"code": code(secret)})
    assert good.status_code == 302 and client.get("/trajecten").status_code == 200


def test_turning_two_factor_off_needs_password_and_code(app, make_user):
    user = make_user()
    client = app.test_client()
    secret = _enable(client, user)
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    client.post("/inloggen/code", data={"code": code(secret)})
    client.post(
        "/account/tweestaps/uit", data={"off-current_password": "fout fout fout", "off-code": code(secret, 1)}
    )
    db.session.refresh(user)
    assert user.totp_secret == secret
    client.post(
        "/account/tweestaps/uit", data={"off-current_password": PASSWORD, "off-code": code(secret, 1)}
    )
    db.session.refresh(user)
    assert user.totp_secret is None


def test_admins_can_be_required_to_set_up_two_factor(app, make_user):
    admin = make_user("Beheer", admin=True)
    set_flag(REQUIRE_2FA_FOR_ADMINS, True)
    db.session.commit()
    client = app.test_client()
    client.post("/inloggen", data={"email": admin.email, "password": PASSWORD})
    response = client.get("/beheer/gebruikers")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/tweestaps")
    assert "Beheerders moeten in deze installatie" in client.get("/account/tweestaps").get_data(as_text=True)


def test_an_admin_switches_the_requirement_on_the_users_page(client, login, make_user):
    admin = make_user("Beheer", admin=True)
    login(admin)
    client.post("/beheer/instellingen", data={"require_2fa_for_admins": "y"})
    assert client.get("/beheer/gebruikers").headers["Location"].endswith("/account/tweestaps")


def test_an_admin_resets_two_factor_from_the_cli_for_a_lost_phone(app, make_user, runner):
    user = make_user()
    _enable(app.test_client(), user)
    db.session.expire_all()  # the test's own session saw the user before the requests changed it
    result = runner.invoke(args=["reset-2fa", user.email])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.totp_secret is None
    client = app.test_client()
    assert (
        client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).headers["Location"]
        == "/trajecten"
    )
    assert runner.invoke(args=["reset-2fa", "niemand@example.org"]).exit_code != 0


def _password_step(app, user):
    client = app.test_client()
    assert (
        client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
        .headers["Location"]
        .endswith("/inloggen/code")
    )
    return client


def test_a_code_is_accepted_only_once(app, make_user):
    user = make_user()
    secret = _enable(app.test_client(), user)
    first = _password_step(app, user)
    assert first.post("/inloggen/code", data={"code": code(secret)}).status_code == 302
    assert first.get("/trajecten").status_code == 200
    replay = _password_step(app, user)
    refused = replay.post("/inloggen/code", data={"code": code(secret)})
    assert refused.status_code == 200 and "Deze code klopt niet" in refused.get_data(as_text=True)
    assert replay.get("/trajecten").status_code == 302


def test_a_code_of_an_earlier_step_than_one_used_is_refused(app, make_user):
    user = make_user()
    secret = _enable(app.test_client(), user)
    later = _password_step(app, user)
    assert later.post("/inloggen/code", data={"code": code(secret, 1)}).status_code == 302
    earlier = _password_step(app, user)
    assert "Deze code klopt niet" in earlier.post("/inloggen/code", data={"code": code(secret)}).get_data(
        as_text=True
    )
    assert earlier.get("/trajecten").status_code == 302


def test_the_code_that_switched_two_factor_on_does_not_log_in(app, make_user):
    user = make_user()
    secret = _enable(app.test_client(), user)  # used the code of step -1
    client = _password_step(app, user)
    assert "Deze code klopt niet" in client.post("/inloggen/code", data={"code": code(secret, -1)}).get_data(
        as_text=True
    )
