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
from tracker.extensions import db
from tracker.models import Layer, Membership, Organisation, Role, Sector, Trajectory, User

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
        # Under the session's upload root (pytest's tmp_path_factory), never loose in /tmp.
        extra["UPLOAD_FOLDER"] = tempfile.mkdtemp(prefix="app-", dir=_UPLOAD_ROOT or _fallback_upload_root())
    return type("PerTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **extra})


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


@pytest.fixture
def app(database_url, _schema):
    app = create_app(_test_config(database_url))
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    _share_engine(app)
    _clear(app)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories ------------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, *, email: str | None = None, admin: bool = False) -> User:
        from tracker.auth.services import create_user

        n = next(counter)
        user = create_user(
            email or f"user{n}@example.org", name or f"Gebruiker {n}", PASSWORD, is_admin=admin
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_org(app):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, sector: Sector = Sector.GGD_JGZ) -> Organisation:
        org = Organisation(name=name or f"Organisatie {next(counter)}", sector=sector)
        db.session.add(org)
        db.session.commit()
        return org

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
def world(make_user, make_trajectory):
    """Two trajectories; users in every role of trajectory A and a lead of trajectory B."""
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
def url_args(world) -> dict[str, object]:
    """One real value for every argument of the app's URLs, from the `world` fixture: the one table
    the access matrix, the query-parameter and the hostile-input tests fill URL rules from."""
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
        "token": world["users"]["teamlid"].calendar_token,
        "invitation_id": invitation.id,
        "invite_token": invite_token,
        "reset_token": reset_token,
    }


def fill_rule(rule: str, args: dict[str, object]) -> str:
    """A URL rule with every argument replaced by its value from ``url_args``."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), rule)
    return url
