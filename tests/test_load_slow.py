"""The 100x data set under load on gunicorn: no worker dies, no request fails.

Marked slow: not part of ``make test``; run with ``pytest -m slow`` (a few minutes; the data set
is made once and kept in the temporary folder, see scripts/load_benchmark.py). Uses Debian's wrk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_no_worker_dies_under_load_at_100x(database):
    if shutil.which("wrk") is None:
        pytest.fail("wrk is needed (apt-get install wrk)")
    command = [sys.executable, str(ROOT / "scripts" / "load_benchmark.py"), "--databases", database]
    command += ["--scales", "100", "--seconds", "3", "--pages", "evaluations,closed round,trajectory,plan"]
    command += ["--no-page-cache"]  # the crash was in rendering: render on every request
    run = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "0 died" in run.stdout
