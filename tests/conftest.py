"""Shared fixtures: a fresh app per test on a throwaway database, factories and login helpers.

The suite runs on SQLite by default; with ``TEST_DATABASE=postgresql`` it runs against a
throwaway PostgreSQL database on 127.0.0.1:5432 (created here and dropped afterwards). Tests that
need a service they cannot reach are skipped locally and fail when ``CI=true``.

Under pytest-xdist (``make test`` passes ``-n auto``) every worker process has its own database
(its own SQLite file, or a PostgreSQL database whose name carries the worker id) and its own
upload folder; everything a test writes lives under pytest's own temporary directory, none of it
directly in the system's temporary folder.
"""

from __future__ import annotations

import copy
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from tracker import create_app
from tracker.extensions import db, limiter
from tracker.models import Layer, Membership, Organisation, Role, Sector, Trajectory, User

from .snapshots import Numbers, build_once, cleared, watch_writes

# Fixtures that live in their own modules, available to every test module without importing them.
pytest_plugins = ["tests.smtp_server"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "een lange zin als wachtwoord"


def skip_or_fail(reason: str) -> None:
    """Skip locally; in CI a missing service is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus):
    # Under xdist the workers' reports reach the controller, whose terminal reporter counts the
    # skips of every worker; a worker has no say over the run's exit status.
    if IN_CI and not hasattr(session.config, "workerinput"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = reporter.stats.get("skipped", []) if reporter else []
        if skipped:
            print(f"\nCI=true: {len(skipped)} test(s) were skipped; a skip is a failure in CI.")
            session.exitstatus = 1


# The long single tests (several seconds each, a few of them 10–20 s), longest first. Each worker
# starts with its share of them, so none is left over to run alone at the end of the run.
LONG_TESTS = (
    "tests/browser/test_reflow.py::test_no_page_scrolls_sideways_at_320_px",
    "tests/test_multi_server.py::",
    "tests/test_hostile_input.py::test_every_form_survives_hostile_input",
    "tests/test_throttle.py::test_the_limit_holds_across_two_worker_processes_through_redis",
    "tests/browser/test_session_timeout.py::test_after_the_end_a_posted_form_comes_back_after_logging_in",
    "tests/browser/test_workshop_walkthrough.py::",
    "tests/test_concurrency.py::test_twelve_concurrent_movers_on_postgresql",
    "tests/test_migrations.py::test_migrations_round_trip_on_postgresql",
    "tests/test_queries.py::test_overview_matrix_and_lists_issue_the_same_queries_for_10_and_1000_actions",
    "tests/test_report.py::test_the_report_issues_the_same_queries_at_1x_and_10x_data",
    "tests/test_api_schemathesis.py::test_every_operation_answers_as_described",
    "tests/test_migrations.py::test_migrations_round_trip_on_sqlite",
)


def _rank(item) -> int:
    return next((n for n, prefix in enumerate(LONG_TESTS) if item.nodeid.startswith(prefix)), -1)


def pytest_collection_modifyitems(config, items) -> None:
    """Put the long tests at the head of every worker's share. pytest-xdist's ``worksteal`` hands
    worker i the i-th contiguous slice of the collection (``len(rest) // workers left``) and lets
    idle workers steal from the tail of the others', so a long test must sit at a slice's head."""
    long = sorted((item for item in items if _rank(item) >= 0), key=_rank)
    if not long:
        return
    rest = [item for item in items if _rank(item) < 0]
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    ordered, remaining = [], len(items)
    for worker in range(workers):
        size = remaining // (workers - worker)
        remaining -= size
        head = long[worker::workers]
        take = max(0, size - len(head))
        ordered += head + rest[:take]
        rest = rest[take:]
    items[:] = ordered + rest


# --- PostgreSQL helpers ---------------------------------------------------------------------


def postgres_available() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def create_pg_database() -> tuple[str, str]:
    """Create a throwaway database; returns (name, url)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"tracker_test_{worker}_{secrets.token_hex(4)}"
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(name: str) -> None:
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(autouse=True)
def _today_of_this_test(request):
    """A test module's ``TODAY`` is today's date when each test starts, as the app takes it per
    request: a run that crosses midnight does not compare yesterday's dates with today's."""
    if hasattr(request.module, "TODAY"):
        request.module.TODAY = date.today()


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


# --- factories ------------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    numbers = Numbers()

    def make(name: str | None = None, *, email: str | None = None, admin: bool = False) -> User:
        from tracker.auth.services import create_user

        n = numbers.next()
        user = create_user(
            email or f"user{n}@example.org", name or f"Gebruiker {n}", PASSWORD, is_admin=admin
        )
        db.session.commit()
        return user

    make.numbers = numbers  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_org(app):
    numbers = Numbers()

    def make(name: str | None = None, sector: Sector = Sector.GGD_JGZ) -> Organisation:
        org = Organisation(name=name or f"Organisatie {numbers.next()}", sector=sector)
        db.session.add(org)
        db.session.commit()
        return org

    make.numbers = numbers  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_trajectory(app, make_user, make_org):
    """A trajectory with a project lead; ``members`` maps a role name to a layer (or a list)."""

    def make(
        lead: User | None = None, *, name: str = "Preventie van pesten", members: dict | None = None
    ) -> Trajectory:
        from tracker.members.services import add_member
        from tracker.trajectories.services import TrajectoryDetails, create_trajectory

        lead = lead or make_user("Projectleider")
        org = make_org()
        trajectory = create_trajectory(
            TrajectoryDetails(
                name=name,
                theme="Preventie van pesten",
                target_groups="Jeugd 12-16",
                area="Rivierenwijk",
                start_date=date(2026, 1, 5),
                focus_layer=Layer.UITVOEREND,
            ),
            creator=lead,
            organisation=org,
            layer=Layer.UITVOEREND,
        )
        for role, user in (members or {}).items():
            add_member(
                trajectory, user, org, Layer.MANAGEMENT if role == "manager" else Layer.UITVOEREND, Role(role)
            )
        db.session.commit()
        return trajectory

    return make


@pytest.fixture
def login(client):
    def do(user: User, password: str = PASSWORD, remember: bool = False):
        response = client.post(
            "/inloggen", data={"email": user.email, "password": password, "remember": "y" if remember else ""}
        )
        assert response.status_code == 302, response.data[:500]
        return response

    return do


@pytest.fixture
def world(app, make_user, make_org, make_trajectory):
    """Two trajectories; users in every role of trajectory A and a lead of trajectory B. Built once
    per worker and restored for every other test (tests/snapshots.py)."""
    return build_once(
        "world",
        app.config["UPLOAD_FOLDER"],
        lambda: _build_world(make_user, make_trajectory),
        numbers=(make_user.numbers, make_org.numbers),
    )


def _build_world(make_user, make_trajectory) -> dict:
    users = {
        "projectleider": make_user("Pia Projectleider"),
        "manager": make_user("Manon Manager"),
        "teamlid": make_user("Tim Teamlid"),
        "meekijker": make_user("Mees Meekijker"),
        "outsider": make_user("Otto Buitenstaander"),
        "admin": make_user("Ada Beheer", admin=True),
    }
    a = make_trajectory(
        users["projectleider"],
        name="Traject A",
        members={"manager": users["manager"], "teamlid": users["teamlid"], "meekijker": users["meekijker"]},
    )
    b = make_trajectory(users["outsider"], name="Traject B")
    from tracker.actions import services as actions
    from tracker.models import ActionStatus, PdcaStage, PlanKind, PlanStatus
    from tracker.plans import services as plans

    lead = a.memberships[0]
    plan = plans.create_plan(
        a,
        plans.PlanValues(
            kind=PlanKind.EXTERN,
            responsible_id=lead.id,
            purpose="Samen pesten voorkomen",
            status=PlanStatus.ACTIEF,
        ),
        cycle_start=date(2026, 1, 5),
        cycle_end=date(2026, 3, 31),
    )
    milestone = plans.create_milestone(
        a, plan, plans.MilestoneValues(title="Aanpak vastgesteld", target_date=date(2026, 3, 1))
    )
    action = actions.create_action(
        a,
        plan,
        actions.ActionValues(
            title="Bijeenkomst organiseren",
            owner_id=lead.id,
            due_date=date(2026, 2, 1),
            status=ActionStatus.GEPLAND,
            stage=PdcaStage.PLAN,
            milestone_id=milestone.id,
        ),
    )
    from datetime import timedelta

    from tracker.content import frameworks
    from tracker.evaluations.schedules import ScheduleSettings, factor_snapshot, save_schedule
    from tracker.models import Cadence, EvaluationRound

    today = date.today()
    schedule = save_schedule(
        a,
        ScheduleSettings(
            framework="ksf",
            cadence=Cadence.KWARTAAL,
            first_date=today - timedelta(days=2),
            open_days=14,
            remind_days_before=3,
            layers=[],
            anonymous=False,
        ),
    )
    closed = EvaluationRound(
        trajectory_id=a.id,
        name="2025 K4",
        framework="ksf",
        factors=factor_snapshot(frameworks()["ksf"]),
        opens_on=today - timedelta(days=100),
        closes_on=today - timedelta(days=86),
    )
    db.session.add(closed)
    import io

    from tracker.ambitions import services as ambitions_services
    from tracker.models import Meeting, NetworkPartner, ProcessStep, ResultKind, Workshop
    from tracker.workshops import services as workshops_services

    partner = NetworkPartner(
        trajectory_id=a.id, organisation_id=lead.organisation_id, contribution="Jeugdzorg"
    )
    meeting = Meeting(trajectory_id=a.id, held_on=today, purpose="Kennismaken")
    step = ProcessStep(trajectory_id=a.id, position=1, title="Signalering", gap=True)
    ambition = ambitions_services.save_ambition(
        a,
        None,
        ambitions_services.AmbitionValues(
            title="Minder pesten", result_kind=ResultKind.PROBLEEM, result="Minder kinderen worden gepest"
        ),
    )
    workshop = Workshop(trajectory_id=a.id, held_on=today, title="Taart van ambities")
    db.session.add_all([partner, meeting, step, workshop])
    db.session.flush()
    workshops_services.store_photo(workshop, io.BytesIO(PNG))
    db.session.commit()
    return {
        "users": users,
        "a": a,
        "b": b,
        "plan": plan,
        "milestone": milestone,
        "action": action,
        "schedule": schedule,
        "round": closed,
        "partner": partner,
        "meeting": meeting,
        "step": step,
        "ambition": ambition,
        "workshop": workshop,
    }


# The smallest valid PNG (1×1, transparent).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a6c5"
    "0000000049454e44ae426082"
)


@pytest.fixture
def make_actions(world):
    """Adds ``n`` actions to trajectory A's external plan, spread over members, statuses and dates."""

    def make(n: int) -> None:
        from datetime import timedelta

        from tracker.actions import services
        from tracker.models import ActionStatus, PdcaStage

        a = world["a"]
        members = a.memberships
        for i in range(n):
            services.create_action(
                a,
                world["plan"],
                services.ActionValues(
                    title=f"Actie {i}",
                    owner_id=members[i % len(members)].id,
                    due_date=date.today() + timedelta(days=(i % 40) - 20),
                    status=list(ActionStatus)[i % 5],
                    stage=PdcaStage.DO,
                    milestone_id=world["milestone"].id if i % 3 == 0 else None,
                ),
            )
        db.session.commit()

    return make


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


__all__ = ["PASSWORD", "Membership", "Role", "chromium_path", "skip_or_fail"]


# --- URLs ---------------------------------------------------------------------------------------


@pytest.fixture
def url_args(app, world) -> dict[str, object]:
    """One real value for every argument of the app's URLs, from the `world` fixture: the one table
    the access matrix, the query-parameter and the hostile-input tests fill URL rules from. What it
    adds to the world is built once per worker and restored for every other test, like the world
    itself (tests/snapshots.py)."""
    return build_once("url_args", app.config["UPLOAD_FOLDER"], lambda: _build_url_args(world), on="world")


def _build_url_args(world) -> dict[str, object]:
    from tracker.invitations.services import invite
    from tracker.models import ChecklistItem, Layer, Role

    a = world["a"]
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.trajectory_id == a.id).limit(1))
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    invitation, invite_token = invite(
        a,
        "uitgenodigd@example.org",
        teamlid.organisation,
        Layer.UITVOEREND,
        Role.TEAMLID,
        by=world["users"]["projectleider"],
    )
    from tracker.passwords.services import request_reset

    _reset, reset_token = request_reset(world["users"]["teamlid"].email)
    from tracker.models import ResultKind, WorkshopAmbition, WorkshopJointStep

    shared = WorkshopAmbition(
        workshop=world["workshop"], title="Samen sterk", result_kind=list(ResultKind)[0]
    )
    joint = WorkshopJointStep(
        workshop=world["workshop"], title="Overleg plannen", owner_id=teamlid.id, due_date=date.today()
    )
    db.session.add_all([shared, joint])
    db.session.commit()
    return {
        "trajectory_id": a.id,
        "item_id": item.id,
        "section_id": item.section_id,
        "membership_id": teamlid.id,
        "number": 1,
        "layer": "bestuur",
        "kind": "fase1",
        "user_id": world["users"]["teamlid"].id,
        "organisation_id": teamlid.organisation_id,
        "plan_id": world["plan"].id,
        "cycle_id": world["plan"].cycles[0].id,
        "action_id": world["action"].id,
        "milestone_id": world["milestone"].id,
        "fmt": "csv",
        "round_id": world["round"].id,
        "opens": world["schedule"].first_date.isoformat(),
        "partner_id": world["partner"].id,
        "meeting_id": world["meeting"].id,
        "step_id": world["step"].id,
        "ambition_id": world["ambition"].id,
        "workshop_id": world["workshop"].id,
        "shared_id": shared.id,
        "joint_id": joint.id,
        "token": world["users"]["teamlid"].calendar_token,
        "invitation_id": invitation.id,
        "invite_token": invite_token,
        "reset_token": reset_token,
    }


def fill_rule(rule: str, args: dict[str, object]) -> str:
    """A URL rule with every argument replaced by its value from ``url_args``."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), rule)
    return url
