"""BETER SAMEN tracker: the application factory."""

from __future__ import annotations

import gc
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter

from tracker import pagecache
from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate
from tracker.ids import MAX_ID

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type | dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` is a config name ('development', 'test', 'production'),
    a config class, or a dict of overrides applied on top of the environment's config."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    configure(app, config, os.environ)

    if int(app.config.get("PROXY_COUNT") or 0) > 0:
        # Behind the TLS proxy: trust its X-Forwarded-* headers (client address, https, host),
        # and only those of the configured number of proxies, so a client cannot forge them.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    if not app.testing:
        # CPython 3.11 corrupts its heap when an automatic collection lands inside the making of an
        # instance dict (SQLAlchemy's weakref callbacks then change that object): tracker/gcguard.py.
        # (Tests leave it: the test client keeps a response open until it is closed.)
        from tracker.gcguard import NoCollectionDuringRequests

        app.wsgi_app = NoCollectionDuringRequests(app.wsgi_app)  # type: ignore[method-assign]

    app.url_map.converters["id"] = IdConverter
    register_extensions(app)
    pagecache.init_app(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_session_limits(app)
    register_commands(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    app.logger.setLevel(logging.INFO)
    if not app.testing:
        # What start-up made (modules, mappers, compiled templates, content) lives as long as the
        # process: move it out of the collector's reach, so a full collection during a request
        # walks only what requests made (about 150,000 objects fewer). Tests make many apps and
        # let them go, so they leave it.
        gc.collect()
        gc.freeze()
    return app


def configure(app: Flask, config: str | type | dict[str, Any] | None, environ: Mapping[str, str]) -> None:
    """The config class, then the environment (read now, not at import), then the overrides;
    then the defaults that live in the instance folder."""
    from config import CONFIGS, ConfigError, from_environment

    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config = None
    if config is None:
        config = environ.get("TRACKER_CONFIG", "development")
    if isinstance(config, str) and config not in CONFIGS:
        raise ConfigError(
            f"TRACKER_CONFIG: unknown configuration {config!r}; use one of {', '.join(CONFIGS)}"
        )
    app.config.from_object(CONFIGS[config] if isinstance(config, str) else config)
    if app.config.get("READS_ENVIRONMENT", True):
        app.config.update(from_environment(environ))
    app.config.update(overrides)
    if app.config.get("REQUIRES_SECRET_KEY") and not app.config.get("SECRET_KEY"):
        raise ConfigError("SECRET_KEY must be set for the production configuration")

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "tracker.db")
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))


class IdConverter(IntegerConverter):
    """A database id in a URL: a positive 32-bit integer, so an absurd number is a 404, not a
    database overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _instance_secret_key(instance: Path) -> str:
    """A key generated once and kept in the instance folder, for local use only."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _select_locale() -> str:
    if request and request.path.startswith("/api/v1/") and request.headers.get("Accept-Language"):
        # The API's answers: the language the client asks for, else the token user's.
        return request.accept_languages.best_match(["nl", "en"]) or "nl"
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.locale or "nl"
    return "nl"


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (register the tables)

    db.init_app(app)
    from tracker.models.search import include_name

    # include_name: Alembic leaves the full-text structure of the search index out of its comparison.
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, include_name=include_name
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")

    from tracker.auth.services import load_user

    login_manager.user_loader(load_user)

    from tracker import audit
    from tracker.notifications import recording as notifications
    from tracker.search import index as search_index

    audit.register()
    search_index.register()
    notifications.register()


def register_blueprints(app: Flask) -> None:
    """Every feature's blueprint; then the check that every view declares who may use it."""
    from tracker.access import check_declarations
    from tracker.actions.routes import bp as actions_bp
    from tracker.admin.routes import bp as admin_bp
    from tracker.ambitions.routes import bp as ambitions_bp
    from tracker.api.account import bp as api_tokens_bp
    from tracker.api.routes import bp as api_bp
    from tracker.auth.routes import bp as auth_bp
    from tracker.behind.routes import bp as behind_bp
    from tracker.calendar.routes import bp as calendar_bp
    from tracker.decisions.routes import bp as decisions_bp
    from tracker.evaluations.routes import bp as evaluations_bp
    from tracker.invitations.routes import bp as invitations_bp
    from tracker.mail.routes import bp as mail_bp
    from tracker.meetings.routes import bp as meetings_bp
    from tracker.members.routes import bp as members_bp
    from tracker.notifications.routes import bp as notifications_bp
    from tracker.partners.routes import bp as partners_bp
    from tracker.passwords.routes import bp as passwords_bp
    from tracker.phases.routes import bp as phases_bp
    from tracker.plans.routes import bp as plans_bp
    from tracker.process.routes import bp as process_bp
    from tracker.reflection.routes import bp as reflection_bp
    from tracker.report.routes import bp as report_bp
    from tracker.search.routes import bp as search_bp
    from tracker.sessions.routes import bp as sessions_bp
    from tracker.timeline.routes import bp as timeline_bp
    from tracker.trajectories.routes import bp as trajectories_bp
    from tracker.workshops.routes import bp as workshops_bp

    for bp in (
        auth_bp,
        passwords_bp,
        admin_bp,
        mail_bp,
        trajectories_bp,
        behind_bp,
        report_bp,
        members_bp,
        invitations_bp,
        decisions_bp,
        reflection_bp,
        phases_bp,
        partners_bp,
        meetings_bp,
        process_bp,
        ambitions_bp,
        workshops_bp,
        sessions_bp,
        plans_bp,
        actions_bp,
        calendar_bp,
        evaluations_bp,
        search_bp,
        notifications_bp,
        timeline_bp,
        api_tokens_bp,
        api_bp,
    ):
        app.register_blueprint(bp)
    check_declarations(app)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if code >= 500:
            db.session.rollback()
        if request.path.startswith("/api/"):  # an API address no view answers: problem details
            from tracker.api.problems import problem

            return problem(code)
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        """An expired or missing token: a form page comes back with what the user typed and an
        explanation (forms refuse to validate in this state), anything else gets the error page."""
        app.logger.warning("csrf_failure path=%s reason=%s", request.path, error.description)
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "redisplay_on_csrf_failure", False):
            g.csrf_expired = True
            response = app.make_response(view(**(request.view_args or {})))
            if response.status_code < 400:
                response.status_code = 400
            return response
        return render_template("errors/error.html", code=400, csrf=True), 400


def register_template_helpers(app: Flask) -> None:
    from tracker import templating

    templating.register(app)


def register_security_headers(app: Flask) -> None:
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", csp)
            response.headers.setdefault("X-Frame-Options", "DENY")
        # A signed-in user's pages are never stored (a shared computer). The stylesheets, scripts
        # and icons hold nothing personal: they keep Flask's "no-cache" with their ETag, so the
        # browser asks again and gets a 304 instead of fetching them for every page.
        if request.endpoint != "static" and current_user and getattr(current_user, "is_authenticated", False):
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def register_session_limits(app: Flask) -> None:
    from tracker.auth.sessions import enforce_session_limits
    from tracker.auth.twofactor import enforce_setup

    app.before_request(enforce_session_limits)
    app.before_request(enforce_setup)


def register_commands(app: Flask) -> None:
    from tracker.cli import register

    register(app)
