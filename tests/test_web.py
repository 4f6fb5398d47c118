"""Cross-cutting behaviour of every page: language, headers, CSRF, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tracker import create_app
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def test_every_ui_string_has_a_dutch_translation():
    with (ROOT / "tracker/translations/nl/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]  # a plural message: (singular, plural)
        for m in catalog
        if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string]) and not m.fuzzy
    }
    method_map = [("tracker/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    missing = sorted(
        {
            msg[2] if isinstance(msg[2], str) else msg[2][0]
            for msg in extract_from_dir(str(ROOT), method_map, keywords=keywords)
        }
        - translated
    )
    assert missing == [], "run `make messages`, translate, then `make translations`"


def test_a_fresh_visitor_gets_dutch(client):
    body = client.get("/inloggen").get_data(as_text=True)
    assert 'lang="nl"' in body and "Inloggen" in body and "E-mailadres" in body


def test_security_headers_on_html_pages(client, login, make_user):
    response = client.get("/inloggen")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    login(make_user())
    assert client.get("/trajecten").headers["Cache-Control"] == "no-store"


def test_a_signed_in_browser_keeps_the_stylesheets_and_asks_again_cheaply(client, login, make_user):
    login(make_user())
    sheet = client.get("/static/css/app.css")
    assert sheet.status_code == 200 and "no-store" not in sheet.headers.get("Cache-Control", "")
    again = client.get("/static/css/app.css", headers={"If-None-Match": sheet.headers["ETag"]})
    assert again.status_code == 304


def test_pages_load_no_external_resources(client):
    body = client.get("/inloggen").get_data(as_text=True)
    assert "http://" not in body.replace('xmlns="http://', "") and "https://" not in body
    assert "<script" not in body  # every control works without JavaScript


def test_production_config_hardens_cookies_and_sends_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "p.db"))
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/inloggen")
    assert "max-age" in response.headers["Strict-Transport-Security"]


@pytest.fixture
def csrf_app(database_url, _schema):
    from config import TestConfig

    from .fixtures_app import FreshContextClient

    app = create_app(
        type("CsrfConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    )
    app.test_client_class = FreshContextClient
    return app


def _token(client, url: str) -> str:
    import re

    return re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).get_data(as_text=True)
    ).group(1)


def test_a_form_without_a_valid_token_comes_back_with_the_input_and_an_explanation(csrf_app, make_user):
    client = csrf_app.test_client()
    response = client.post(
        "/inloggen", data={"email": "ann@example.org", "password": "x", "csrf_token": "verlopen"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "het formulier was verlopen" in body and 'value="ann@example.org"' in body


def test_an_expired_token_changes_nothing_and_keeps_the_typed_answer(csrf_app, world):
    a = world["a"]
    item = a.items[0]
    client = csrf_app.test_client()
    user = world["users"]["teamlid"]
    client.post(
        "/inloggen",
        data={
            "email": user.email,
            "password": "een lange zin als wachtwoord",
            "csrf_token": _token(client, "/inloggen"),
        },
    )
    response = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data={
            "answer": "Mijn lange antwoord",
            "status": "afgerond",
            "version": "1",
            "csrf_token": "oud-token",
        },
    )
    body = response.get_data(as_text=True)
    assert "het formulier was verlopen" in body and "Mijn lange antwoord" in body
    db.session.refresh(item)
    assert item.answer == "" and item.status.value == "open"
    # A button-only action without a token is refused on the error page and changes nothing.
    refused = client.post(f"/trajecten/{a.id}/items/{item.id}/archiveren")
    assert refused.status_code == 400 and "Het formulier is verlopen" in refused.get_data(as_text=True)
    db.session.refresh(item)
    assert item.archived_at is None


def test_no_state_changes_through_get(app, world, url_args):
    """Every GET page, visited by the project lead: no table gains, loses or changes a row."""
    import sqlalchemy as sa

    from .fixtures_urls import fill_rule

    def snapshot():
        db.session.expire_all()
        counts = {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
        }
        versions = {
            t.name: db.session.scalar(sa.select(sa.func.sum(t.c.version)))
            for t in db.metadata.sorted_tables
            if "version" in t.c
        }
        return counts, versions

    client = app.test_client()
    client.post(
        "/inloggen",
        data={"email": world["users"]["projectleider"].email, "password": "een lange zin als wachtwoord"},
    )
    before = snapshot()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = fill_rule(rule.rule, url_args)
        assert client.get(url).status_code < 500, url
    assert snapshot() == before


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "x" * 5000,
    "Zoë ‘quotes’ — 🚸 汉字 \u202e",
    "nul\x00byte",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_never_breaks_a_page_or_gets_rendered_as_markup(client, login, world, text):
    a = world["a"]
    item = a.items[0]
    login(world["users"]["teamlid"])
    response = client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data={"answer": text, "status": "open", "version": str(item.version)},
    )
    assert response.status_code in (200, 302)
    page = client.get(f"/trajecten/{a.id}/fasen/1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    db.session.refresh(item)
    if "\x00" in text:
        assert response.status_code == 200 and item.answer == ""
        assert "tekens die niet zijn toegestaan" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/trajecten/99999999999999999999999",
        "/trajecten/1/items/99999999999999999999",
        "/trajecten/1/fasen/99999999999999999999",
        "/trajecten/0",
        "/trajecten/-1",
        "/beheer/gebruikers/99999999999999999999",
        "/organisaties/99999999999999999999",
    ],
)
def test_absurd_ids_are_not_found_not_errors(client, login, make_user, url):
    login(make_user(admin=True))
    assert client.get(url).status_code == 404


def test_refused_access_and_csrf_failures_are_logged_without_tokens(csrf_app, world, caplog):
    client = csrf_app.test_client()
    token = _token(client, "/inloggen")
    with caplog.at_level("INFO", logger="tracker"):
        client.post(
            "/inloggen",
            data={
                "email": world["users"]["outsider"].email,
                "password": "een lange zin als wachtwoord",
                "csrf_token": token,
            },
        )
        client.get(f"/trajecten/{world['a'].id}")
        client.post(
            "/inloggen", data={"email": "x@example.org", "password": "geheim", "csrf_token": "vervalst-token"}
        )
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("login_success user=") for line in lines)
    assert any(
        line.startswith("access_refused user=") and f"/trajecten/{world['a'].id}" in line for line in lines
    )
    assert any(line.startswith("csrf_failure path=/inloggen") for line in lines)
    text = "\n".join(lines)
    assert token not in text and "vervalst-token" not in text and "geheim" not in text


def test_a_vote_without_a_valid_token_is_refused_and_not_counted(csrf_app, world):
    from tracker.models import Ballot

    client = csrf_app.test_client()
    user = world["users"]["teamlid"]
    client.post(
        "/inloggen",
        data={
            "email": user.email,
            "password": "een lange zin als wachtwoord",
            "csrf_token": _token(client, "/inloggen"),
        },
    )
    url = f"/trajecten/{world['a'].id}/evaluaties/gepland/{world['schedule'].first_date.isoformat()}"
    data = {f"kleur-{f['key']}": "rood" for f in world["round"].factors}
    response = client.post(url, data={**data, "csrf_token": "vervalst"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Ballot.id))) == 0


def test_the_csrf_secret_exists_from_login_on_so_two_tabs_opened_at_once_agree(csrf_app, make_user):
    user = make_user()
    client = csrf_app.test_client()
    client.post(
        "/inloggen",
        data={
            "email": user.email,
            "password": "een lange zin als wachtwoord",
            "csrf_token": _token(client, "/inloggen"),
        },
    )
    with client.session_transaction() as session:
        assert session.get("csrf_token")


def test_clustering_workshop_notes_with_a_forged_token_changes_nothing(csrf_app, world):
    from tracker.models import NoteCategory, WorkshopNote

    a, workshop = world["a"], world["workshop"]
    client = csrf_app.test_client()
    user = world["users"]["projectleider"]
    client.post(
        "/inloggen",
        data={
            "email": user.email,
            "password": "een lange zin als wachtwoord",
            "csrf_token": _token(client, "/inloggen"),
        },
    )
    from tracker.workshops import services as workshops_services

    participant = workshops_services.add_participant(workshop, a.memberships[0], "rol")
    note = workshops_services.add_note(workshop, participant, NoteCategory.GOED, "Korte lijnen")
    db.session.commit()
    response = client.post(
        f"/trajecten/{a.id}/werksessies/{workshop.id}",
        data={"stap": "clusteren", f"ambitie-{note.id}": str(world["ambition"].id), "csrf_token": "vervalst"},
    )
    assert response.status_code in (400, 422) and "het formulier was verlopen" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(WorkshopNote, note.id).ambition_id is None


def test_pages_carry_a_favicon(client):
    page = client.get("/inloggen").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    response.close()
