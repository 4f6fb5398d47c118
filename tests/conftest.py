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
import shutil
from datetime import date

import pytest

# The fixtures live in modules of their own, by what they give; every test module has them
# without importing them. The app on its throwaway database: tests/fixtures_app.py; users,
# organisations, trajectories, the `world` and logging in: tests/fixtures_world.py; one value for
# every URL argument: tests/fixtures_urls.py; a real SMTP server: tests/smtp_server.py.
pytest_plugins = ["tests.fixtures_app", "tests.fixtures_world", "tests.fixtures_urls", "tests.smtp_server"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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


@pytest.fixture(autouse=True)
def _today_of_this_test(request):
    """A test module's ``TODAY`` is today's date when each test starts, as the app takes it per
    request: a run that crosses midnight does not compare yesterday's dates with today's."""
    if hasattr(request.module, "TODAY"):
        request.module.TODAY = date.today()


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None
