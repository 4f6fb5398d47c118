"""Forgotten password: one answer for every address, throttled, a single-use link for an hour
that ends every session; the mail arrives at a real SMTP server as text and HTML."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_string
from email import policy as email_policy

import pytest
import sqlalchemy as sa

from tracker.extensions import db, limiter
from tracker.models import OutboxMessage, PasswordReset, utcnow

from .fixtures_world import PASSWORD
from .smtp_server import plain_server

NEW_PASSWORD = "een heel nieuwe lange zin"
LINK = re.compile(r"(https?://[^\s/\"]+)/wachtwoord-herstellen/([A-Za-z0-9_-]+)")
ANSWER = "Als dit adres bij ons bekend is, ontvangt u een e-mail"


def _ask(client, email: str, addr: str = "10.0.0.1"):
    """Ask for a link; the response is closed, as the server does (that sends the mail)."""
    response = client.post("/wachtwoord-vergeten", data={"email": email}, environ_base={"REMOTE_ADDR": addr})
    response.close()
    return response


def _token(email: str) -> str:
    """The token in the newest reset mail to this address (from the outbox: no SMTP server)."""
    db.session.expire_all()
    message = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_email == email).order_by(OutboxMessage.id.desc())
    ).first()
    return LINK.search(message.body).group(2)


def _password_hash(user) -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(type(user).password_hash).where(type(user).id == user.id))


def _reset(client, token: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(
        f"/wachtwoord-herstellen/{token}",
        data={"new_password": password, "confirm": password if confirm is None else confirm},
    )


def test_the_login_page_links_to_the_forgotten_password_page(client):
    page = client.get("/inloggen").get_data(as_text=True)
    assert 'href="/wachtwoord-vergeten"' in page and "Wachtwoord vergeten?" in page
    form = client.get("/wachtwoord-vergeten")
    assert form.status_code == 200 and "E-mailadres" in form.get_data(as_text=True)


def test_known_unknown_and_inactive_addresses_get_the_same_answer_and_only_the_known_one_mail(
    app, client, make_user, servers
):
    server = plain_server(app, servers)
    known, inactive = make_user(email="bekend@example.org"), make_user(email="slapend@example.org")
    inactive.active = False
    db.session.commit()
    answers = {}
    for email in ("bekend@example.org", "onbekend@example.org", "slapend@example.org"):
        response = _ask(client, email)
        answers[email] = (response.status_code, response.get_data(as_text=True))
    assert answers["bekend@example.org"] == answers["onbekend@example.org"] == answers["slapend@example.org"]
    assert answers["bekend@example.org"][0] == 200 and ANSWER in answers["bekend@example.org"][1]
    assert [rcpts for rcpts, _content in server.received] == [[known.email]]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 1


def test_the_mail_arrives_as_text_and_html_with_headers_and_an_absolute_link_in_dutch_and_english(
    app, client, make_user, servers
):
    server = plain_server(app, servers)
    app.config["PUBLIC_URL"] = "https://tracker.example.nl"
    dutch, english = make_user("Daan Nederlands"), make_user("Emma English")
    english.locale = "en"
    db.session.commit()
    _ask(client, dutch.email)
    _ask(client, english.email)
    assert len(server.received) == 2
    mails = {
        rcpts[0]: message_from_string(content, policy=email_policy.default)
        for rcpts, content in server.received
    }
    for user, greeting, subject in (
        (dutch, "Beste Daan Nederlands,", "Een nieuw wachtwoord voor BETER SAMEN"),
        (english, "Dear Emma English,", "A new password for BETER SAMEN"),
    ):
        message = mails[user.email]
        assert message["Subject"] == subject and message["To"] == user.email
        assert message["From"] == "betersamen@example.org"
        assert message["Date"].datetime is not None
        assert message["Message-ID"].strip("<>").endswith("@tracker.example.nl")
        assert message["Auto-Submitted"] == "auto-generated"
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert text.startswith(greeting) and greeting in html
        link = LINK.search(text)
        assert link and link.group(1) == "https://tracker.example.nl"
        assert f'<a href="{link.group(0)}"' in html
        assert f'lang="{user.locale}"' in html
    assert "Kies een nieuw wachtwoord via deze link" in mails[dutch.email].get_body(("plain",)).get_content()
    english_text = LINK.sub("", mails[english.email].get_body(("plain",)).get_content())
    assert (
        "wachtwoord" not in english_text.lower() and "Choose a new password through this link" in english_text
    )
    # The stored copy no longer carries a working link once it went out.
    db.session.expire_all()
    for stored in db.session.scalars(sa.select(OutboxMessage)):
        assert stored.sent_at is not None and not LINK.search(stored.body) and not LINK.search(stored.html)


def test_invitations_and_evaluation_mail_take_the_same_path(app, client, world, login, servers):
    from tracker.evaluations.tasks import run_due

    server = plain_server(app, servers)
    login(world["users"]["projectleider"])
    a = world["a"]
    client.post(
        f"/trajecten/{a.id}/leden",
        data={
            "email": "nieuw@example.org",
            "organisation_id": str(a.memberships[0].organisation_id),
            "layer": "bestuur",
            "role": "manager",
        },
    )
    run_due()
    kinds = {}
    for _rcpts, content in server.received:
        message = message_from_string(content, policy=email_policy.default)
        assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"] and message["Date"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        link = re.search(r"https?://\S+", text).group(0)
        assert f'href="{link}"' in html and link.startswith(app.config["PUBLIC_URL"])
        kinds["invitation" if "/uitnodiging/" in link else "round"] = True
    assert kinds == {"invitation": True, "round": True}


def test_a_link_works_once_and_ends_every_session(app, client, make_user):
    user = make_user()
    old_client = app.test_client()  # logged in elsewhere, with "stay logged in"
    old_client.post("/inloggen", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert old_client.get("/trajecten").status_code == 200
    _ask(client, user.email)
    token = _token(user.email)
    page = client.get(f"/wachtwoord-herstellen/{token}")
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    response = _reset(client, token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/inloggen")
    landing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Uw wachtwoord is gewijzigd; log in met uw nieuwe wachtwoord." in landing
    # Every session of the user ended; the old password is gone, the new one works.
    refused = old_client.get("/trajecten")
    assert refused.status_code == 302 and "/inloggen" in refused.headers["Location"]
    assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/inloggen", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    # A second use changes nothing.
    changed = _password_hash(user)
    again = app.test_client()
    for response in (
        again.get(f"/wachtwoord-herstellen/{token}"),
        _reset(again, token, "nog een andere lange zin"),
    ):
        assert response.status_code == 410 and "Deze link is al gebruikt" in response.get_data(as_text=True)
    assert _password_hash(user) == changed


def test_a_new_password_closes_the_users_other_links(client, make_user):
    user = make_user()
    _ask(client, user.email)
    first = _token(user.email)
    _ask(client, user.email, addr="10.0.0.2")
    second = _token(user.email)
    assert first != second
    assert _reset(client, second).status_code == 302
    assert client.get(f"/wachtwoord-herstellen/{first}").status_code == 410


def test_an_expired_link_is_refused_and_changes_nothing(client, make_user):
    user = make_user()
    _ask(client, user.email)
    token = _token(user.email)
    reset = db.session.scalars(sa.select(PasswordReset)).one()
    assert abs(reset.expires_at - reset.created_at - timedelta(hours=1)) < timedelta(seconds=5)
    reset.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    before = _password_hash(user)
    for response in (client.get(f"/wachtwoord-herstellen/{token}"), _reset(client, token)):
        assert response.status_code == 410 and "Deze link is verlopen" in response.get_data(as_text=True)
        assert "Er is niets gewijzigd" in response.get_data(as_text=True)
    assert _password_hash(user) == before


@pytest.mark.parametrize("token", ["vervalst", "x" * 43, "a" * 500, "%00", "%3Cb%3E", "..%2E"])
def test_a_forged_link_is_refused_and_changes_nothing(client, make_user, token):
    user = make_user()
    _ask(client, user.email)
    before = _password_hash(user)
    for response in (client.get(f"/wachtwoord-herstellen/{token}"), _reset(client, token)):
        assert response.status_code == 404 and "Deze link werkt niet" in response.get_data(as_text=True)
    assert _password_hash(user) == before
    assert db.session.scalar(sa.select(PasswordReset.used_at)) is None


def test_a_link_with_a_slash_is_not_found(client):
    assert client.get("/wachtwoord-herstellen/..%2F..%2Fetc").status_code == 404
    assert client.post("/wachtwoord-herstellen/a/b", data={}).status_code == 404


def test_a_link_of_a_deactivated_account_no_longer_works(client, make_user):
    user = make_user()
    _ask(client, user.email)
    token = _token(user.email)
    user.active = False
    db.session.commit()
    assert client.get(f"/wachtwoord-herstellen/{token}").status_code == 404


def test_the_password_policy_applies_next_to_the_field_and_the_link_stays_valid(client, make_user):
    user = make_user()
    _ask(client, user.email)
    token = _token(user.email)
    before = _password_hash(user)
    short = _reset(client, token, "te kort")
    page = short.get_data(as_text=True)
    assert short.status_code == 200
    assert re.search(r'id="new_password-error"><p>Gebruik minstens 12 tekens', page)
    differ = _reset(client, token, NEW_PASSWORD, confirm="een andere lange zin")
    assert 'id="confirm-error"><p>De twee wachtwoorden verschillen.' in differ.get_data(as_text=True)
    assert _password_hash(user) == before
    assert db.session.scalar(sa.select(PasswordReset.used_at)) is None
    assert _reset(client, token).status_code == 302


def test_a_mistyped_address_is_refused_next_to_the_field_with_the_typed_value_kept(client):
    response = client.post("/wachtwoord-vergeten", data={"email": "geen-adres"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vul een geldig e-mailadres in." in page
    assert 'value="geen-adres"' in page and ANSWER not in page


@pytest.mark.parametrize("email", ["bekend@example.org", "onbekend@example.org"])
def test_requests_are_throttled_per_account_alike_for_unknown_accounts(client, make_user, email):
    make_user(email="bekend@example.org")
    for n in range(3):
        assert _ask(client, email, addr=f"10.0.1.{n}").status_code == 200
    refused = _ask(client, email.upper(), addr="10.0.1.99")
    assert refused.status_code == 429
    assert "Te veel aanvragen voor een nieuw wachtwoord" in refused.get_data(as_text=True)
    assert ANSWER not in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == (
        3 if email.startswith("bekend") else 0
    )
    assert _ask(client, "ander@example.org", addr="10.0.1.99").status_code == 200


def test_requests_are_throttled_per_client_address(client, make_user):
    user = make_user()
    for n in range(10):
        assert _ask(client, f"gok{n}@example.org").status_code == 200
    refused = _ask(client, user.email)
    assert refused.status_code == 429 and "Te veel aanvragen" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0
    assert _ask(client, user.email, addr="10.0.0.2").status_code == 200


def test_an_unreachable_throttle_store_refuses_in_dutch_without_a_500(client, make_user, monkeypatch):
    user = make_user()

    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(limiter.storage, "incr", unreachable)
    response = _ask(client, user.email)
    assert response.status_code == 503
    assert "tijdelijk niet mogelijk" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0


def test_the_logs_name_the_user_but_carry_no_token_password_or_email_address(client, make_user, caplog):
    user = make_user()
    with caplog.at_level("INFO", logger="tracker"):
        _ask(client, user.email)
        token = _token(user.email)
        _reset(client, token)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "password_reset_requested" in text and f"password_reset user={user.id}" in text
    assert token not in text and NEW_PASSWORD not in text and user.email not in text
