"""The app on the worker's throwaway database (SQLite, or PostgreSQL with
``TEST_DATABASE=postgresql``): one engine and one template cache for the whole run, the tables
emptied before each test, and the previous test's app used again when that test left it as it
found it."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from tracker import create_app
from tracker.extensions import db, limiter

from .postgres import create_pg_database, drop_pg_database, postgres_available
from .snapshots import build_once, cleared, watch_writes


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if os.environ.get("TEST_DATABASE") == "postgresql":
        if not postgres_available():
            pytest.fail("TEST_DATABASE=postgresql but PostgreSQL on 127.0.0.1:5432 is not reachable")
        name, url = create_pg_database()
        yield url
        drop_pg_database(name)
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


# Per worker: the folder under pytest's temporary directory in which each app gets its own
# upload folder (set by the session fixture below; pytest removes old runs' folders itself).
_UPLOAD_ROOT: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def _upload_root(tmp_path_factory) -> Iterator[Path]:
    global _UPLOAD_ROOT
    _UPLOAD_ROOT = tmp_path_factory.mktemp("uploads")
    yield _UPLOAD_ROOT
    _UPLOAD_ROOT = None


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run: every test builds a fresh app, and
    without this each app compiled every template it rendered again (a large share of the time).
    Jinja checks each entry against the template's source, so an edited template is recompiled."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _SharedBytecodeCache()


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    """Test databases are thrown away: SQLite need not wait for the disk on every commit.
    (Only durability after a power cut changes; what other connections see does not.)"""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


# One engine per database for the whole run (per worker). Each test still gets a fresh app, but
# a fresh engine per app started with an empty statement cache and a new connection pool: SQL
# compilation was a large part of every test.
_ENGINES: dict[str, sa.Engine] = {}


def _share_engine(app) -> None:
    engines = db._app_engines[app]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    shared = _ENGINES.setdefault(url, engines[None])
    if engines[None] is not shared:
        engines[None].dispose()
        engines[None] = shared
    watch_writes(shared)


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(_test_config(database_url))
    _share_engine(app)
    with app.app_context():
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _test_config(database_url: str, **extra) -> type:
    """The test configuration pointed at the throwaway database."""
    from config import TestConfig

    if "UPLOAD_FOLDER" not in extra:
        extra["UPLOAD_FOLDER"] = _new_upload_folder()
    return type("PerTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **extra})


def _new_upload_folder() -> str:
    """An app's own upload folder, under the session's upload root (pytest's tmp_path_factory),
    never loose in /tmp."""
    return tempfile.mkdtemp(prefix="app-", dir=_UPLOAD_ROOT or _fallback_upload_root())


def _empty_upload_folder(previous: str) -> str:
    """The previous test's upload folder when it is still empty (as a new one would be; most tests
    write no file), otherwise a new one: thousands fewer folders to make and to remove."""
    folder = Path(previous)
    if _UPLOAD_ROOT is not None and folder.parent == _UPLOAD_ROOT and folder.is_dir():
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return previous
    return _new_upload_folder()


def _fallback_upload_root() -> Path:
    """For a config built outside a pytest session: one folder, removed when the process ends."""
    global _UPLOAD_ROOT
    import atexit

    _UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="tracker-test-uploads-"))
    atexit.register(shutil.rmtree, _UPLOAD_ROOT, True)
    return _UPLOAD_ROOT


def _clear(app) -> None:
    """Empty every table and restart the ids, before each test."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            try:
                _clear_postgresql_quickly()
            except sa.exc.DBAPIError:  # not allowed to skip the foreign-key triggers
                db.session.rollback()
                names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
                db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()
    cleared()


def _clear_postgresql_quickly() -> None:
    """DELETE and resetting the sequences takes ~15 ms where TRUNCATE of every table took ~700 ms
    (it replaces each table's files). The foreign-key triggers are off for this transaction only
    (``session_replication_role``, which the test database's owner, a superuser, may set)."""
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
    db.session.execute(sa.text("; ".join(statements)))
    sequences = db.session.scalars(
        sa.text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
        )
    ).all()
    if sequences:
        db.session.execute(sa.text("SELECT " + ", ".join(f"setval('\"{s}\"', 1, false)" for s in sequences)))


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: ``g``, the logged-in user
    and the database session do not leak from the test (or a previous request) into it."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class _Reuse:
    """The app the previous test left as it found it."""

    app = None


def _looks(app) -> tuple:
    """What a test could change on an app: its configuration (compared by value), and its hooks,
    routes, template globals and extensions (compared by identity)."""
    ids = lambda mapping: {key: id(value) for key, value in mapping.items()}  # noqa: E731
    hooks = (
        app.before_request_funcs,
        app.after_request_funcs,
        app.teardown_request_funcs,
        app.teardown_appcontext_funcs,
        app.url_value_preprocessors,
        app.url_default_functions,
        app.template_context_processors,
        app.error_handler_spec,
    )
    return (
        copy.deepcopy(dict(app.config)),
        repr(_without_empty(hooks)),
        ids(app.view_functions),
        len(list(app.url_map.iter_rules())),
        ids(app.url_map.converters),
        ids(app.jinja_env.globals),
        ids(app.jinja_env.filters),
        ids(app.jinja_env.tests),
        ids(app.extensions),
        (app.wsgi_app, app.session_interface, app.json, app.jinja_env.bytecode_cache),
        (app.test_client_class, app.test_cli_runner_class, app.response_class, app.request_class),
    )


def _without_empty(value):
    """Nested hook tables without their empty entries (Flask's error handler lookup adds those)."""
    if isinstance(value, dict):
        compact = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in compact.items() if item}
    if isinstance(value, tuple):
        return tuple(_without_empty(item) for item in value)
    return value


def _fresh_app(database_url: str):
    app = create_app(_test_config(database_url))
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    _share_engine(app)
    return app


@pytest.fixture
def app(database_url, _schema):
    """The app on the worker's test database, emptied. Building an app costs ~40 ms, so the app of
    the previous test is used again when that test left it exactly as it found it (``_looks``);
    it then gets what ``create_app`` would give it afresh: an empty upload folder of its own (the
    previous test's when that one left it empty) and empty login throttling counters. A test that
    changes the app (its configuration, say) has it to itself: the next test gets a new one."""
    app, _Reuse.app = _Reuse.app or _fresh_app(database_url), None
    app.config["UPLOAD_FOLDER"] = _empty_upload_folder(app.config["UPLOAD_FOLDER"])
    limiter.init_app(app)  # a new, empty storage, as create_app makes (its hooks are not added twice)
    looks = _looks(app)
    _clear(app)
    with app.app_context():
        yield app
        db.session.remove()
    if _looks(app) == looks:
        _Reuse.app = app


@pytest.fixture
def demo_loaded(app) -> None:
    """The demo, loaded through the import on the worker's first use of the day and restored from
    a copy of that database after (tests/snapshots.py)."""
    from tracker import demo

    build_once("demo", app.config["UPLOAD_FOLDER"], demo.load)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
