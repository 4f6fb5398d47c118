#!/usr/bin/env python3
"""A region's worth of data: the demo, and --scale times as many trajectories, made by the import.

``--scale 1`` is the demo (two trajectories). ``--scale 100`` adds 99 trajectories, each the
demo's case under its own name, people and dates, grown to 100 actions, 6 milestones, 8 meetings
and 8 evaluation rounds (about 44 ballots, 530 votes), so 100× holds about 6,000 checklist items,
10,000 actions and 50,000 votes. The first added trajectory runs for years: 40 monthly rounds
more, the "long-running trajectory" of the issue. The project lead of the demo (anouk@…) is a
member of every trajectory, with roles in turn, so her overview and "Mijn werk" span all of them.

Everything goes through the product's own import (``tracker.transfer.import_trajectory``), which
writes through the models, so the audit trail and the search index are kept as in real use. The
people are made with one shared password hash (the demo password), not one argon2 hash each.
Deterministic: the same --scale and --seed give the same data (dates relative to today).

    .venv/bin/python scripts/scale_data.py --scale 100 --database-url sqlite:////tmp/scale.db

The database must be empty; its schema is made with the migrations (``flask db upgrade``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import _database_url  # noqa: E402
from tracker import create_app, demo  # noqa: E402
from tracker.scale import generate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="1 = the demo; 100 = 100 trajectories")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": _database_url(args.database_url)})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        if demo.state() != "empty":
            print("The database is not empty.", file=sys.stderr)
            return 1
        started = time.monotonic()
        generate(args.scale, args.seed)
        print(f"scale {args.scale}: loaded in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
