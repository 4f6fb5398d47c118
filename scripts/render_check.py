#!/usr/bin/env python3
"""What a first view costs: the main pages rendered in-process, with the page cache off.

The production configuration (CSRF on, so the login posts the form's token), the page cache
off, signed in through the test client. Three uses:

``--dump DIR`` writes every main page as five users see it (project lead, team member, manager,
read-only member, administrator), with the CSRF tokens and the session's seconds left masked, so
two checkouts can be compared byte for byte::

    git archive main | tar -x -C /tmp/before
    (cd /tmp/before && .venv/bin/python scripts/render_check.py --database-url URL --dump /tmp/a)
    .venv/bin/python scripts/render_check.py --database-url URL --dump /tmp/b
    diff -r /tmp/a /tmp/b

``--time N`` prints the CPU time of one render per page (``time.process_time``, the best of
three runs of N requests, after three warm-up requests), its queries and its size, signed in as
the project lead. ``--profile`` prints a cProfile (CPU clock) of 20 renders per page.
``--pages`` keeps the pages whose name contains one of its comma-separated words.

The database: the demo (``flask seed-demo``) or a larger data set (``scripts/scale_data.py``).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path.cwd()))  # the checkout run from, also when the script is another's

os.environ.setdefault("SECRET_KEY", "render-check-" + "x" * 32)
os.environ["TRACKER_CONFIG"] = "production"

import bench_support as support  # noqa: E402

from tracker import create_app, demo  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.scale import MAIN_PAGES  # noqa: E402

USERS = ("anouk", "fatima", "karin", "tom", "beheer")
TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]*)"')
MASKS = (
    (re.compile(rb'(name="[a-z-]*csrf_token" (?:type="hidden" )?value=")[^"]*'), rb"\1X"),
    (re.compile(rb'(value=")[^"]*("[^>]*name="[a-z-]*csrf_token")'), rb"\1X\2"),
    (re.compile(rb'(data-remaining=")[^"]*'), rb"\1X"),
)


def login(app, who: str):
    client = app.test_client()
    token = TOKEN.search(client.get("/inloggen").data)
    assert token, "no CSRF token on the login page"
    response = client.post(
        "/inloggen",
        data={
            "email": f"{who}@{demo.DEMO_DOMAIN}",
            "password": demo.DEMO_PASSWORD,
            "csrf_token": token.group(1).decode(),
        },
    )
    assert response.status_code in (302, 303), f"{who} could not sign in: {response.status_code}"
    return client


def targets(url: str) -> dict[str, int]:
    """The first trajectory, its external plan and its latest closed round with ballots."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        t = conn.execute(sa.text("SELECT min(id) FROM trajectories")).scalar_one()
        ids = {"t": t, **support.plan_and_closed_round(conn, t)}
    engine.dispose()
    return ids


def dump(app, paths: dict[str, str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for who in USERS:
        client = login(app, who)
        for name, path in paths.items():
            response = client.get(path)
            body = response.data
            for pattern, replacement in MASKS:
                body = pattern.sub(replacement, body)
            file = out / f"{who}-{name.replace(',', '').replace(' ', '_')}.html"
            file.write_bytes(f"{response.status_code}\n".encode() + body)


def measure(app, paths: dict[str, str], repeat: int, profile: bool) -> None:
    client = login(app, "anouk")
    with app.app_context():
        engine = db.engine
    for name, path in paths.items():
        for _ in range(3):
            client.get(path)
        count = [0]

        def before(*_args, count=count, **_kwargs):
            count[0] += 1

        sa.event.listen(engine, "before_cursor_execute", before)
        response = client.get(path)
        sa.event.remove(engine, "before_cursor_execute", before)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        if repeat:
            runs = []
            for _ in range(3):
                started = time.process_time()
                for _ in range(repeat):
                    client.get(path)
                runs.append((time.process_time() - started) * 1000 / repeat)
            size = len(response.data) // 1024
            print(f"{name:28s} {min(runs):7.2f} ms  {count[0]:3d} queries  {size:5d} KiB", flush=True)
        if profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(20):
                client.get(path)
            profiler.disable()
            print(f"--- {name}")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--time", type=int, default=0, metavar="N")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pages", default="")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "PAGE_CACHE": False})
    ids = targets(args.database_url)
    paths = {name: path.format(**ids) for name, path in MAIN_PAGES.items()}
    if args.pages:
        words = args.pages.split(",")
        paths = {name: path for name, path in paths.items() if any(w in name for w in words)}
    if args.dump:
        dump(app, paths, args.dump)
    if args.time or args.profile:
        measure(app, paths, args.time, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
