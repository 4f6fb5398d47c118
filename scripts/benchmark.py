#!/usr/bin/env python3
"""Response times and query counts of the busiest pages, with many rows.

Loads the demo into a throwaway SQLite database (or the database in --database-url), adds
--actions actions and --items own checklist items to the demo trajectory, then requests each page
--repeat times as the project lead and prints the median time, the query count and the response
size. Figures are for this machine; compare runs, not machines. Usage:

    .venv/bin/python scripts/benchmark.py [--actions 1000] [--items 500] [--repeat 7]
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
from tracker import create_app, demo  # noqa: E402
from tracker.actions import services as actions  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import ActionStatus, ChecklistItem, PdcaStage, Trajectory  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    app = create_app(type("Bench", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        case = support.demo_case()
        members = case.memberships
        external = support.external_plan(case)
        for i in range(args.actions):
            actions.create_action(
                case,
                external,
                actions.ActionValues(
                    title=f"Benchmarkactie {i}",
                    owner_id=members[i % len(members)].id,
                    due_date=date.today() + timedelta(days=(i % 60) - 30),
                    status=list(ActionStatus)[i % 5],
                    stage=PdcaStage.DO,
                ),
            )
        section = case.phases[0].sections[0]
        for i in range(args.items):
            db.session.add(
                ChecklistItem(
                    trajectory=case,
                    section=section,
                    position=100 + i,
                    text=f"Extra punt {i}",
                    is_custom=True,
                    owner_id=members[i % len(members)].id,
                )
            )
        db.session.commit()
        case_id, plan_id = case.id, external.id

    pages = {
        "overzicht (/trajecten)": "/trajecten",
        "acties per laag, alle trajecten": "/acties",
        "acties per laag, gefilterd": f"/trajecten/{case_id}/acties?laag=uitvoerend",
        "actieplan met cycli": f"/trajecten/{case_id}/plannen/{plan_id}",
        "fase 1 (met extra punten)": f"/trajecten/{case_id}/fasen/1",
        "mijn werk": "/mijn-werk",
        "evaluaties met heatmap": f"/trajecten/{case_id}/evaluaties",
        "export acties (XLSX)": f"/trajecten/{case_id}/acties.xlsx",
        "stand van zaken (HTML)": f"/trajecten/{case_id}/stand-van-zaken",
        "stand van zaken, bestuur (HTML)": f"/trajecten/{case_id}/stand-van-zaken?laag=bestuur",
        "stand van zaken (PDF)": f"/trajecten/{case_id}/stand-van-zaken.pdf",
        "stand van zaken, bestuur (PDF)": f"/trajecten/{case_id}/stand-van-zaken.pdf?laag=bestuur",
        "tijdlijn (SVG en tabel)": f"/trajecten/{case_id}/tijdlijn",
        "grafieken (drie SVG's en tabellen)": f"/trajecten/{case_id}/grafieken",
        "wat loopt achter (traject)": f"/trajecten/{case_id}/achter",
        "wat loopt achter (alle trajecten)": "/achter",
        "export van het traject (JSON)": f"/trajecten/{case_id}/export.json",
    }
    client = app.test_client()
    client.post("/inloggen", data={"email": "anouk@demo.betersamen.nl", "password": demo.DEMO_PASSWORD})
    print(
        f"{args.actions} extra actions, {args.items} extra checklist items, median of {args.repeat} requests"
    )
    print(f"{'page':40} {'median ms':>10} {'queries':>8} {'KiB':>8}")
    with app.app_context():
        engine = db.engine
    for name, path in pages.items():
        timings, queries = [], []
        for _ in range(args.repeat):
            count = {"n": 0}

            def before(*_a, count=count, **_k):
                count["n"] += 1

            sa.event.listen(engine, "before_cursor_execute", before)
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            sa.event.remove(engine, "before_cursor_execute", before)
            queries.append(count["n"])
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"{name:40} {statistics.median(timings):10.1f} {max(queries):8d} {len(response.data) / 1024:8.0f}"
        )
    with app.test_request_context():
        _export_memory(case_id)
    tmp.cleanup()
    return 0


def _export_memory(case_id: int) -> None:
    """The Python memory at the peak of the trajectory export: streamed (as the download sends it)
    and built whole as a dict and then a string (as the export was before)."""
    import json
    import tracemalloc

    from tracker.transfer import export_trajectory, stream_trajectory

    def peak(build) -> float:
        db.session.expunge_all()
        tracemalloc.start()
        size = build()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {size / 1024:8.0f} KiB of JSON, peak {peak / 1024 / 1024:6.1f} MiB")
        return peak

    case = db.session.get(Trajectory, case_id)
    print("export of the trajectory, streamed:")
    peak(lambda: sum(len(chunk) for chunk in stream_trajectory(db.session.get(Trajectory, case.id))))
    print("export of the trajectory, built whole:")
    peak(
        lambda: len(
            json.dumps(
                export_trajectory(db.session.get(Trajectory, case.id)), ensure_ascii=False, indent=2
            ).encode()
        )
    )


if __name__ == "__main__":
    sys.exit(main())
