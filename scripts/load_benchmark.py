#!/usr/bin/env python3
"""Load test: every main page against a minimal Flask-SQLAlchemy page, interleaved, under gunicorn.

For each database (SQLite, PostgreSQL) and each scale (1 = the demo, 100 = a region; see
scripts/scale_data.py), the command makes the data set once (kept in --data-dir or as a
PostgreSQL database ``tracker_bench_scale_<n>``; --fresh makes it again), starts the tracker
(production configuration) and scripts/baseline_app.py with gunicorn, 2 workers each, signs in as
the demo's project lead, and loads the baseline and each page in turn with wrk (Debian's
``wrk``). It prints per page: requests per second and the ratio to the baseline measured just
before it, the workers' CPU time per request and its ratio to the baseline's, p50 and p99 latency,
the response size, the SQL queries of one request served from the page cache (what wrk loads
after the warm-up; with --no-page-cache every request renders), and what a first view costs,
when the page is rendered (queries and CPU time in-process, page cache off; counted with an event
listener), and at the end the peak RSS of the gunicorn workers and every worker that died (a
signal, a time-out). Exit status 1 when a worker died or a page failed.

    .venv/bin/python scripts/load_benchmark.py                       # both databases, 1x and 100x
    .venv/bin/python scripts/load_benchmark.py --databases sqlite --scales 1 --seconds 2

Ratios are fair within one run (both servers share the machine and its load); absolute figures
depend on the machine. --gunicorn-args passes options to both servers (e.g. "--preload" or
"--threads 4").
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_support as support  # noqa: E402

from tracker.scale import MAIN_PAGES  # noqa: E402

LEAD = "anouk@demo.betersamen.nl"
PASSWORD = "samen-sterk-voor-jeugd"  # the demo's public password (tracker.security.DEMO_PASSWORD)
PAGES = MAIN_PAGES


def targets(url: str) -> dict[str, int]:
    """The trajectory the lead leads with the most evaluation rounds (the demo's case at 1x, the
    long-running one at 100x), its external plan and its last closed round with ballots."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        t = conn.execute(
            sa.text(
                "SELECT m.trajectory_id FROM memberships m JOIN users u ON u.id = m.user_id "
                "LEFT JOIN evaluation_rounds r ON r.trajectory_id = m.trajectory_id "
                "WHERE u.email = :e AND m.role = 'projectleider' "
                "GROUP BY m.trajectory_id ORDER BY count(r.id) DESC, m.trajectory_id LIMIT 1"
            ),
            {"e": LEAD},
        ).scalar_one()
        ids = {"t": t, **support.plan_and_closed_round(conn, t)}
    engine.dispose()
    return ids


def in_process(url: str, paths: dict[str, str], cached: bool) -> dict[str, tuple[int, int, float]]:
    """Queries, bytes and CPU ms of one request per page, through the test client: with the page
    cache off, what a first view (a render) costs; with it on, what a page served from the cache
    costs (the second request, so start-up work is not counted)."""
    import time

    from tracker import create_app
    from tracker.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "PAGE_CACHE": cached})
    client = app.test_client()
    client.post("/inloggen", data={"email": LEAD, "password": PASSWORD})
    result = {}
    with app.app_context():
        engine = db.engine
    for name, path in paths.items():
        client.get(path)
        count = [0]

        def before(*_args, count=count, **_kwargs):
            count[0] += 1

        sa.event.listen(engine, "before_cursor_execute", before)
        started = time.process_time()
        response = client.get(path)
        cpu_ms = (time.process_time() - started) * 1000
        sa.event.remove(engine, "before_cursor_execute", before)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        result[name] = (count[0], len(response.data), cpu_ms)
    engine.dispose()
    return result


def run_one(
    database: str, scale: int, url: str, args: argparse.Namespace
) -> tuple[dict[str, tuple[float, float]], bool]:
    ids = targets(url)
    paths = {name: path.format(**ids) for name, path in PAGES.items() if _wanted(name, args.pages)}
    rendered = in_process(url, paths, cached=False)
    hits = in_process(url, paths, cached=not args.no_page_cache)
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_CONFIG": "production", "SECRET_KEY": support.SECRET}
    env["PAGE_CACHE"] = "0" if args.no_page_cache else "1"
    env["PYTHONPATH"] = str(support.ROOT)
    extra = shlex.split(args.gunicorn_args)
    app = support.start_server("tracker", "tracker:create_app()", env, args.workers, extra, support.ROOT)
    base = support.start_server(
        "baseline", "baseline_app:app", env, args.workers, extra, support.ROOT / "scripts"
    )
    ok = True
    ratios: dict[str, tuple[float, float]] = {}
    try:
        cookie = support.login_cookie(app.base, LEAD, PASSWORD)
        for path in paths.values():  # warm up: templates compiled, caches filled, in both workers
            for _ in range(2 * args.workers):
                support.requests.get(app.base + path, headers={"Cookie": cookie}, timeout=120)
        print(f"\n### {database}, {scale}x (trajectory {ids['t']}, {args.seconds:g} s per run)\n")
        print(
            "| page | req/s | ratio | CPU ms/req | CPU ratio | p50 ms | p99 ms | KiB | queries | "
            "first view: queries, CPU ms | errors |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, path in paths.items():
            reference, reference_cpu = support.measure(
                base, base.base + "/", "", args.seconds, args.connections
            )
            load, cpu = support.measure(app, app.base + path, cookie, args.seconds, args.connections)
            support.drain(app.base)
            queries, size, _ = hits[name]
            render_queries, _, render_ms = rendered[name]
            ratios[name] = (load.rps / reference.rps, reference_cpu / cpu)
            ok = ok and load.errors == 0
            print(
                f"| {name} | {load.rps:.1f} | {ratios[name][0]:.0%} | {cpu:.1f} | {ratios[name][1]:.0%} "
                f"| {load.p50_ms:.0f} | {load.p99_ms:.0f} | {size / 1024:.0f} | {queries} "
                f"| {render_queries}, {render_ms:.0f} | {load.errors} |"
                f"  (baseline {reference.rps:.0f} req/s, {reference_cpu:.1f} CPU ms/req)",
                flush=True,
            )
    except Exception as exc:  # a worker that died mid-request shows up here; reported below
        print(f"\nERROR: {type(exc).__name__}: {exc}")
        ok = False
    finally:
        for server in (app, base):
            support.stop_server(server)
    for server in (app, base):
        dead = server.dead_workers()
        print(
            f"\n{server.name}: peak worker RSS {server.peak_rss_kib / 1024:.0f} MiB, "
            f"{len(server.workers_seen)} worker processes, {len(dead)} died"
        )
        for line in dead:
            print("   ", line)
        if dead:
            saved = args.data_dir / f"gunicorn-{server.name}-{database}-{scale}x.log"
            saved.write_text(server.log_text(), encoding="utf-8")
            print(f"    (the server's log: {saved})")
        ok = ok and not dead
        server.log.close()
    return ratios, ok


def _wanted(name: str, pages: str | None) -> bool:
    return not pages or any(p.strip() and p.strip() in name for p in pages.split(","))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", help="only pages whose name contains one of these (comma-separated)")
    parser.add_argument("--gunicorn-args", default="", help='e.g. "--preload" or "--threads 4"')
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--pg-prefix", default="tracker_bench_scale_", help="PostgreSQL data sets: name before the scale"
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="serve every request by rendering (PAGE_CACHE=0)"
    )
    parser.add_argument("--fresh", action="store_true", help="make the data sets again")
    args = parser.parse_args()
    summary: dict[tuple[str, int], dict[str, tuple[float, float]]] = {}
    ok = True
    for database in args.databases.split(","):
        for scale in (int(s) for s in args.scales.split(",")):
            url = support.dataset_url(database, scale, args.data_dir, args.pg_admin_url, args.pg_prefix)
            if args.fresh or not support.dataset_ready(url):
                support.make_dataset(database, scale, url, args.pg_admin_url)
            summary[(database, scale)], passed = run_one(database, scale, url, args)
            ok = ok and passed
    print("\n### Ratio to the minimal page: req/s (CPU per request)\n")
    columns = list(summary)
    print("| page | " + " | ".join(f"{d} {s}x" for d, s in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name in next(iter(summary.values()), {}):
        cells = (summary[c].get(name, (0.0, 0.0)) for c in columns)
        print(f"| {name} | " + " | ".join(f"{r:.0%} ({c:.0%})" for r, c in cells) + " |")
    print("\nOK" if ok else "\nFAILED: a worker died or a page had errors")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
