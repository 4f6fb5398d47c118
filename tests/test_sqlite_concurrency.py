"""SQLite with several processes: a long read, a backup or another writer in a second process
never makes a login or a write fail (WAL mode and a busy timeout on every connection).

Runs on its own SQLite file whatever ``TEST_DATABASE`` says: this is about SQLite itself.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from config import TestConfig
from tracker import create_app
from tracker.auth.services import create_user
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een lange zin als wachtwoord"

# The other process: holds a read transaction open, then runs backups, then holds the write lock
# for a second; it says what it does on stdout and waits for a line on stdin between the steps.
OTHER = textwrap.dedent(
    """
    import sqlite3, sys, time
    from pathlib import Path
    from tracker.backup import backup_sqlite

    path, target = sys.argv[1], Path(sys.argv[2])
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM users").fetchall()
    print("reading", flush=True)
    sys.stdin.readline()
    con.execute("COMMIT")
    print("backing up", flush=True)
    for _ in range(20):
        backup_sqlite(path, target)
    sys.stdin.readline()
    con.execute("BEGIN IMMEDIATE")
    print("writing", flush=True)
    time.sleep(1)
    con.execute("COMMIT")
    sys.stdin.readline()
    """
)


@pytest.fixture
def sqlite_app(tmp_path):
    path = tmp_path / "shared.db"
    config = type("Shared", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    app = create_app(config)
    with app.app_context():
        db.create_all()
        create_user("lead@example.org", "Lead", PASSWORD)
        db.session.commit()
        yield app, path
        db.session.remove()
        db.engine.dispose()


def _log_in_and_out(client) -> None:
    response = client.post("/inloggen", data={"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    assert client.post("/uitloggen").status_code == 302


def test_a_long_read_a_backup_or_a_writer_elsewhere_never_fails_a_login(sqlite_app, tmp_path):
    app, path = sqlite_app
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER, str(path), str(tmp_path / "backup.db")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    client = app.test_client()
    try:
        assert other.stdout.readline().strip() == "reading"
        _log_in_and_out(client)  # a login writes (last login, session token) during the read
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "backing up"
        for _ in range(5):
            _log_in_and_out(client)
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "writing"
        _log_in_and_out(client)  # waits for the other writer (busy timeout), does not fail
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.wait(timeout=30) == 0
    finally:
        other.kill()
    assert (tmp_path / "backup.db").stat().st_size > 0
