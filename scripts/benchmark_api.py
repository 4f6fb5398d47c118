#!/usr/bin/env python3
"""Response times and query counts of the API's list endpoints, at demo size and at 100× data.

Loads the demo into a throwaway SQLite database (or the database in --database-url), makes a
read-only token for the project lead and requests each list (a full page of 100) --repeat times;
then adds 99 times the demo trajectory's actions and checklist items, and measures again. Prints
the median time, the query count and the response size per list and size; the query counts must
be equal at both sizes (tests/test_api_lists.py checks the same). Usage:

    .venv/bin/python scripts/benchmark_api.py [--factor 100] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_support as support  # noqa: E402

from config import TestConfig  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.actions import services as actions  # noqa: E402
from tracker.api.tokens import create_token  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import Action, ChecklistItem, TokenScope, Trajectory, User  # noqa: E402

LISTS = ["", "/actions", "/items", "/plans", "/milestones", "/rounds", "/meetings", "/ambitions"]


def grow(case: Trajectory, factor: int) -> tuple[int, int]:
    """(factor - 1) times as many actions and checklist items as the trajectory has."""
    members = case.memberships
    external = support.external_plan(case)
    n_actions = db.session.scalar(sa.select(sa.func.count(Action.id)).where(Action.trajectory_id == case.id))
    n_items = db.session.scalar(
        sa.select(sa.func.count(ChecklistItem.id)).where(ChecklistItem.trajectory_id == case.id)
    )
    for i in range(n_actions * (factor - 1)):
        actions.create_action(
            case,
            external,
            actions.ActionValues(
                title=f"Benchmarkactie {i}",
                owner_id=members[i % len(members)].id,
                due_date=date.today() + timedelta(days=(i % 60) - 30),
            ),
        )
    section = case.phases[0].sections[0]
    db.session.add_all(
        ChecklistItem(
            trajectory=case, section=section, position=100 + i, text=f"Extra punt {i}", is_custom=True
        )
        for i in range(n_items * (factor - 1))
    )
    db.session.commit()
    return n_actions, n_items


def measure(client, engine, url: str, headers: dict, repeat: int) -> tuple[float, int, float]:
    timings, queries = [], []
    for _ in range(repeat):
        count = {"n": 0}

        def before(*_a, count=count, **_k):
            count["n"] += 1

        sa.event.listen(engine, "before_cursor_execute", before)
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        sa.event.remove(engine, "before_cursor_execute", before)
        queries.append(count["n"])
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(queries), len(response.data) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    app = create_app(
        type("Bench", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "API_RATE_LIMIT": "100000 per minute"})
    )
    with app.app_context():
        case = support.demo_case()
        lead = db.session.scalar(sa.select(User).where(User.email == "anouk@demo.betersamen.nl"))
        secret, _token = create_token(lead, "benchmark", TokenScope.READ)
        db.session.commit()
        case_id, engine = case.id, db.engine
    headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    client.get("/api/v1/trajectories", headers=headers)  # the token's first use is recorded once
    results: dict[str, list[tuple[float, int, float]]] = {}
    for size in ("demo", f"{args.factor}x"):
        if size != "demo":
            with app.app_context():
                n_actions, n_items = grow(db.session.get_one(Trajectory, case_id), args.factor)
            print(f"demo trajectory: {n_actions} actions and {n_items} items, grown {args.factor}x")
        for path in LISTS:
            url_path = (
                f"/api/v1/trajectories/{case_id}{path}?limit=100"
                if path
                else "/api/v1/trajectories?limit=100"
            )
            results.setdefault(path or "/trajectories", []).append(
                measure(client, engine, url_path, headers, args.repeat)
            )
    print(f"median of {args.repeat} requests of a full page (limit=100), read-only token of the project lead")
    print(
        f"{'list':16} {'demo ms':>8} {'queries':>8} {'KiB':>6} | {args.factor}x ms {'queries':>8} {'KiB':>6}"
    )
    for name, ((t1, q1, k1), (t2, q2, k2)) in results.items():
        print(f"{name:16} {t1:8.1f} {q1:8d} {k1:6.0f} | {t2:8.1f} {q2:8d} {k2:6.0f}")
        assert q1 == q2, f"{name}: {q1} queries at demo size, {q2} at {args.factor}x"
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
