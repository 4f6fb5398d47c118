"""Configuration classes for the BETER SAMEN tracker.

The app factory picks one by name (``TRACKER_CONFIG`` or the ``config`` argument). Storage is an
SQLite file in the instance folder unless ``DATABASE_URL`` names another database.
"""

from __future__ import annotations

import os
from datetime import timedelta


def _database_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy wants the dialect name in full.
        url = "postgresql://" + url[len("postgres://") :]
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    HSTS = False
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False
    # Fast hashing in tests; production uses the argon2 library defaults.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
