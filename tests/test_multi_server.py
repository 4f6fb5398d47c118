"""Two gunicorn servers on one PostgreSQL: every write through either of them is kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import skip_or_fail
from .postgres import postgres_available

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.postgres
def test_two_gunicorn_servers_share_one_postgresql_without_losing_writes():
    if not postgres_available():
        skip_or_fail("PostgreSQL on 127.0.0.1:5432 is not reachable")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "multi_server_check.py"), "--writes", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new items missing: 0" in result.stdout and "not an accepted one: 0" in result.stdout
