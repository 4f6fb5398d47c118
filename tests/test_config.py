"""Configuration is read when the app is created, not when the module is imported."""

from __future__ import annotations

import pytest

from config import ConfigError, from_environment
from tracker import create_app


def test_the_environment_is_read_when_the_app_is_created(monkeypatch, tmp_path):
    # Set after `config` was imported (by this module): still taken.
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/tracker")
    monkeypatch.setenv("PUBLIC_URL", "https://samen.example.nl")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    monkeypatch.setenv("TRACKER_PROXY_COUNT", "1")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/tracker"
    assert app.config["PUBLIC_URL"] == "https://samen.example.nl"
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["PROXY_COUNT"] == 1
    assert app.config["SECRET_KEY"] == "k" * 40


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "p.db"))
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app("production")


def test_a_value_that_does_not_parse_names_its_variable():
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        from_environment({"MAIL_PORT": "vijfentwintig"})
    assert from_environment({"MAIL_PORT": "", "MAIL_FROM": "  "}) == {}


def test_an_unknown_configuration_name_is_refused(monkeypatch):
    monkeypatch.setenv("TRACKER_CONFIG", "productie")
    with pytest.raises(ConfigError, match="productie"):
        create_app()


def test_the_test_configuration_takes_nothing_from_the_shell(monkeypatch):
    from config import TestConfig

    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    app = create_app(type("T", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://"}))
    assert app.config["MAIL_SERVER"] is None
