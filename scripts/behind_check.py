#!/usr/bin/env python3
"""'Wat loopt achter' with many rows: dump its pages for a before/after comparison, or time them.

Loads the demo into a throwaway SQLite database (or --database-url), adds --actions actions to the
demo trajectory (overdue, blocked, some with the same title and date so the last tiebreak counts),
then, as the project lead, either writes every page of /achter and /trajecten/<id>/achter (each
layer, each page number) and the report's HTML into --dump DIR, or requests both pages --repeat
times and prints the process CPU time per request. Usage:

    .venv/bin/python scripts/behind_check.py --actions 3000 --dump /tmp/after
    .venv/bin/python scripts/behind_check.py --actions 3000 --repeat 20
    diff -r /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_support as support  # noqa: E402

from config import TestConfig  # noqa: E402
from tracker import create_app, demo  # noqa: E402
from tracker.actions import services as actions  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import ActionStatus, PdcaStage  # noqa: E402

VOLATILE = re.compile(r'(nonce|value|content)="[A-Za-z0-9_\-.+/=]{20,}"')


def _load(extra: int) -> tuple[int, int]:
    case = support.demo_case()
    members = case.memberships
    external = support.external_plan(case)
    for i in range(extra):
        same = i % 10 == 0
        actions.create_action(
            case,
            external,
            actions.ActionValues(
                title="Zelfde titel" if same else f"Achterstand {i}",
                owner_id=None if i % 7 == 0 else members[i % len(members)].id,
                due_date=date.today() - timedelta(days=3 if same else 1 + i % 90),
                status=ActionStatus.GEBLOKKEERD if i % 4 == 0 else ActionStatus.GEPLAND,
                stage=PdcaStage.DO,
            ),
        )
    db.session.commit()
    return case.id, len(members)


def _pages(client, path: str) -> dict[str, str]:
    out = {}
    for layer in ("", "bestuur", "management", "uitvoerend"):
        number = 1
        while True:
            query = "&".join(x for x in (f"laag={layer}" if layer else "", f"pagina={number}") if x)
            body = client.get(f"{path}?{query}").get_data(as_text=True)
            out[f"{path.strip('/').replace('/', '_')}_{layer or 'alle'}_{number}"] = VOLATILE.sub(
                r'\1=""', body
            )
            if f"pagina={number + 1}" not in body or number > 200:
                break
            number += 1
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--dump")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/check.db"
    app = create_app(type("Check", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        case_id, _ = _load(args.actions)
    client = app.test_client()
    client.post("/inloggen", data={"email": "anouk@demo.betersamen.nl", "password": demo.DEMO_PASSWORD})
    paths = ["/achter", f"/trajecten/{case_id}/achter"]
    if args.dump:
        target = Path(args.dump)
        target.mkdir(parents=True, exist_ok=True)
        for path in paths:
            for name, body in _pages(client, path).items():
                (target / f"{name}.html").write_text(body)
        for layer in ("", "?laag=bestuur"):
            body = client.get(f"/trajecten/{case_id}/stand-van-zaken{layer}").get_data(as_text=True)
            (target / f"report{layer.replace('?laag=', '_')}.html").write_text(VOLATILE.sub(r'\1=""', body))
    for path in paths if args.repeat else ():
        client.get(path)
        start = time.process_time()
        for _ in range(args.repeat):
            assert client.get(path).status_code == 200
        print(f"{path:30} {(time.process_time() - start) * 1000 / args.repeat:8.1f} ms CPU per request")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
