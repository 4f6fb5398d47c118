"""Configuration classes for the BETER SAMEN tracker.

The app factory picks one by name (``TRACKER_CONFIG`` or the ``config`` argument). Storage is an
SQLite file in the instance folder unless ``DATABASE_URL`` names another database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any


def _database_url(url: str) -> str:
    if url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy wants the dialect name in full.
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def _port(value: str) -> int | None:
    return int(value) or None


def _weekday(value: str) -> int:
    """An ISO weekday: 1 (Monday) to 7 (Sunday)."""
    day = int(value)
    if not 1 <= day <= 7:
        raise ValueError(f"{value!r} is not a weekday from 1 (Monday) to 7 (Sunday)")
    return day


# Settings the environment may give, each with its parser; read when the app is created
# (``from_environment``), never at import time. The first name found of a tuple wins.
ENVIRONMENT: dict[str, tuple[tuple[str, ...], Callable[[str], Any]]] = {
    "SECRET_KEY": (("SECRET_KEY",), str),
    "SQLALCHEMY_DATABASE_URI": (("DATABASE_URL",), _database_url),
    "RATELIMIT_STORAGE_URI": (("RATELIMIT_STORAGE_URI", "REDIS_URL"), str),
    "RATELIMIT_KEY_PREFIX": (("RATELIMIT_KEY_PREFIX",), str),
    "API_RATE_LIMIT": (("API_RATE_LIMIT",), str),
    "PROXY_COUNT": (("TRACKER_PROXY_COUNT", "PROXY_COUNT"), int),
    "MAIL_SERVER": (("MAIL_SERVER",), str),
    "MAIL_PORT": (("MAIL_PORT",), _port),
    "MAIL_USE_TLS": (("MAIL_USE_TLS",), _flag),
    "MAIL_USE_SSL": (("MAIL_USE_SSL",), _flag),
    "MAIL_CA_FILE": (("MAIL_CA_FILE",), str),
    "MAIL_USERNAME": (("MAIL_USERNAME",), str),
    "MAIL_PASSWORD": (("MAIL_PASSWORD",), str),
    "MAIL_FROM": (("MAIL_FROM",), str),
    "PUBLIC_URL": (("PUBLIC_URL",), str),
    "NOTIFICATIONS_DIGEST_WEEKDAY": (("NOTIFICATIONS_DIGEST_WEEKDAY",), _weekday),
    "UPLOAD_FOLDER": (("UPLOAD_FOLDER",), str),
    "UPLOAD_MAX_BYTES": (("UPLOAD_MAX_BYTES",), int),
    "PAGE_CACHE": (("PAGE_CACHE",), _flag),
    "PAGE_CACHE_MAX_BYTES": (("PAGE_CACHE_MAX_BYTES",), int),
    "MAX_CONTENT_LENGTH": (("MAX_CONTENT_LENGTH",), int),
}


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings that ``environ`` sets (empty values count as unset). A value that does not
    parse stops the start with a message naming the variable."""
    settings: dict[str, Any] = {}
    for key, (names, parse) in ENVIRONMENT.items():
        name = next((n for n in names if environ.get(n, "").strip()), None)
        if name is None:
            continue
        try:
            settings[key] = parse(environ[name].strip())
        except ValueError as exc:
            raise ConfigError(f"{name}: {exc}") from exc
    return settings


class ConfigError(RuntimeError):
    """The configuration cannot work; the app refuses to start."""


class Config:
    """Defaults shared by every environment; the environment's settings go on top
    (``READS_ENVIRONMENT``)."""

    READS_ENVIRONMENT = True

    SECRET_KEY: str | None = None  # production must set it; elsewhere one is kept in the instance folder
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite in the instance folder
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
    # Login throttling: shared across worker processes and servers through Redis when set.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "tracker"
    # Fail fast (and closed: a 503 on the login page) when Redis does not answer.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    # See tracker/auth/throttle.py: a hard lock per account-and-address and per address, and a
    # progressive delay (not a lock) per account across addresses.
    LOGIN_FAILURES_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_FAILURES_PER_ADDRESS = "30 per 15 minutes"
    LOGIN_FAILURES_PER_ACCOUNT_ANYWHERE = "10 per 15 minutes"
    LOGIN_DELAY_MAX_SECONDS = 60
    # Requests for a new password (a mail each), per client address and per e-mail address asked for.
    RESET_REQUESTS_PER_ADDRESS = "10 per hour"
    RESET_REQUESTS_PER_ACCOUNT = "3 per hour"
    # Requests per personal access token (tracker/api/core.py), in the same storage.
    API_RATE_LIMIT = "600 per minute"
    # The number of proxies in front of the app that set X-Forwarded-For/-Proto/-Host; 0 trusts
    # none of these headers (the client address is then the connection's address).
    PROXY_COUNT = 0
    # Mail: invitations and reminders go through SMTP when MAIL_SERVER is set; otherwise they wait
    # in the outbox that administrators read at /beheer/berichten.
    MAIL_SERVER: str | None = None
    # Port: MAIL_PORT, else 465 with MAIL_USE_SSL (implicit TLS) and 25 otherwise. Both STARTTLS
    # (MAIL_USE_TLS) and implicit TLS verify the server's certificate and host name against the
    # system's CAs, or against MAIL_CA_FILE (a PEM file) for a server with a private CA.
    MAIL_PORT: int | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_CA_FILE: str | None = None
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "betersamen@localhost"
    # The address of the app, for links in mails sent from the command line.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # The weekly overview of notifications and due work: made on the first run of
    # `flask notifications send-due` on or after this ISO weekday (1 = Monday … 7 = Sunday).
    NOTIFICATIONS_DIGEST_WEEKDAY = 1
    # Photos of workshop sheets: stored on disk (not in the database), served only to members.
    UPLOAD_FOLDER: str | None = None  # default: <instance>/uploads
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # Sessions: idle and absolute limits (a "stay logged in" cookie lasts REMEMBER_COOKIE_DURATION).
    SESSION_IDLE_TIMEOUT = timedelta(minutes=60)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    # Signed-in pages warn this long before the session ends, with a button to stay logged in.
    SESSION_WARNING = timedelta(minutes=2)
    # Rendered read pages kept per process while the data version stays the same
    # (tracker/pagecache.py), at most this many bytes per process.
    PAGE_CACHE = True
    PAGE_CACHE_MAX_BYTES = 32 * 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    READS_ENVIRONMENT = False  # tests are hermetic: nothing from the shell leaks in
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    # Fast hashing in tests; production uses the argon2 library defaults.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    # Off, so every request renders (the query-count tests measure renders); tests/test_pagecache.py
    # turns it on.
    PAGE_CACHE = False


class ProductionConfig(Config):
    REQUIRES_SECRET_KEY = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
