"""Backups, and moving a trajectory to another installation."""

from __future__ import annotations

import json
import sqlite3
import threading

from config import TestConfig
from tracker import create_app, demo
from tracker.extensions import db
from tracker.models import Trajectory, User
from tracker.transfer import export_trajectory, import_trajectory


def _fresh_app(url: str):
    app = create_app(type("OtherInstallation", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        db.create_all()
    return app


def test_backup_while_the_app_writes_is_consistent(tmp_path):
    source = tmp_path / "live.db"
    app = _fresh_app(f"sqlite:///{source}")
    with app.app_context():
        demo.load()
        db.session.commit()
    stop = threading.Event()
    written = []

    def writer():
        with app.app_context():
            n = 0
            while not stop.is_set() and n < 500:
                t = db.session.scalar(db.select(Trajectory).limit(1))
                t.area = f"schrijven {n}"
                db.session.commit()
                written.append(n)
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        target = tmp_path / "backup" / "copy.db"
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join()
    assert written
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM checklist_items").fetchone()[0] == 120
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 13


def test_backup_command_copies_sqlite_and_points_postgresql_to_pg_dump(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
    if db.engine.url.get_backend_name() == "sqlite":
        assert result.exit_code == 0 and (tmp_path / "copy.db").exists()
    else:
        assert result.exit_code != 0 and "pg_dump" in result.output


def _normalise(data: dict) -> dict:
    data = json.loads(json.dumps(data))
    data.pop("exported_at")
    return data


def test_export_import_round_trip_into_another_installation(app, demo_loaded, tmp_path):
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    exported = export_trajectory(case)
    path = tmp_path / "traject.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    other = _fresh_app("sqlite:///" + str(tmp_path / "other.db"))
    with other.app_context():
        imported, created = import_trajectory(json.loads(path.read_text(encoding="utf-8")))
        db.session.commit()
        assert "anouk@demo.betersamen.nl" in created  # unknown people get an inactive account
        imported = db.session.get(Trajectory, imported.id)
        assert _normalise(export_trajectory(imported)) == _normalise(exported)
        assert not db.session.scalar(db.select(User).where(User.email == "anouk@demo.betersamen.nl")).active


def test_cli_export_then_import_creates_a_copy(runner, app, world, tmp_path):
    path = tmp_path / "a.json"
    assert runner.invoke(args=["export-trajectory", str(world["a"].id), str(path)]).exit_code == 0
    result = runner.invoke(args=["import-trajectory", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        db.session.scalar(db.select(db.func.count(Trajectory.id)).where(Trajectory.name == "Traject A")) == 2
    )


def test_importing_a_foreign_or_broken_file_changes_nothing(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "iets anders"}', encoding="utf-8")
    result = runner.invoke(args=["import-trajectory", str(bad)])
    assert result.exit_code != 0 and "geen export" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "beter-samen-trajectory", "format_version": 1, "organisations": []}')
    result = runner.invoke(args=["import-trajectory", str(broken)])
    assert result.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(Trajectory.id))) == 0


def test_members_download_the_json_export_outsiders_cannot(client, login, world):
    a = world["a"]
    login(world["users"]["meekijker"])
    response = client.get(f"/trajecten/{a.id}/export.json")
    assert response.status_code == 200 and response.json["trajectory"]["name"] == "Traject A"
    assert len([i for p in response.json["phases"] for s in p["sections"] for i in s["items"]]) == 60
    outsider = client.application.test_client()
    outsider.post(
        "/inloggen",
        data={"email": world["users"]["outsider"].email, "password": "een lange zin als wachtwoord"},
    )
    assert outsider.get(f"/trajecten/{a.id}/export.json").status_code == 403


def test_import_service_rejects_non_dict(app):
    import pytest

    from tracker.transfer import ImportError_

    with pytest.raises(ImportError_):
        import_trajectory([])


def test_the_export_carries_plans_cycles_milestones_and_actions(app, demo_loaded):
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    data = export_trajectory(case)
    external = next(p for p in data["plans"] if p["kind"] == "extern")
    assert [c["number"] for c in external["cycles"]] == [1, 2]
    assert any(a["carried_from_cycle"] == 1 for a in external["actions"])
    assert any(a["source_type"] == "checklist_item" and a["source"] == ["2b", 2] for a in external["actions"])
    assert len(data["plans"]) == 3


def test_the_export_carries_evaluations_without_revealing_anonymous_voters(app, demo_loaded):
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    from tracker.models import EvaluationRound

    data = export_trajectory(case)
    # The demo evaluates monthly: four rounds fit between its start and today.
    assert data["evaluations"]["schedule"]["cadence"] == "maand" and len(data["evaluations"]["rounds"]) == 4
    assert any(b["voter_email"] for b in data["evaluations"]["rounds"][0]["ballots"])
    for r in db.session.scalars(db.select(EvaluationRound)):
        r.anonymous = True
    db.session.commit()
    anonymous = export_trajectory(case)
    assert all(b["voter_email"] is None for r in anonymous["evaluations"]["rounds"] for b in r["ballots"])


def test_the_export_carries_the_network_and_its_links_to_actions(app, demo_loaded):
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    network = export_trajectory(case)["network"]
    assert len(network["partners"]) == 6 and len(network["steps"]) == 4 and len(network["ambitions"]) == 2
    assert all(g["action"] for m in network["meetings"] for g in m["agreements"])
    assert all(p["action"] for w in network["workshops"] for p in w["participants"])
    assert any(n["ambition"] is not None for w in network["workshops"] for n in w["notes"])


def test_import_refuses_another_format_version_and_dangling_references_clearly(app, demo_loaded):
    import pytest

    from tracker.transfer import ImportError_

    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    exported = json.loads(json.dumps(export_trajectory(case)))
    with pytest.raises(ImportError_, match="formaatversie 2"):
        import_trajectory(exported | {"format_version": 2})
    external = next(p for p in exported["plans"] if p["kind"] == "extern")
    external["actions"][0]["cycle"] = 99
    with pytest.raises(ImportError_, match="onvolledig of beschadigd"):
        import_trajectory(exported)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Trajectory.id))) == 2


def test_a_finished_session_keeps_its_evaluation_milestone_through_export_and_import(app, world):
    from tracker.models import SessionStatus, Workshop

    workshop, milestone = world["workshop"], world["milestone"]
    workshop.milestone, workshop.status = milestone, SessionStatus.AFGEROND
    db.session.commit()
    exported = export_trajectory(world["a"])
    assert [w["milestone"] for w in exported["network"]["workshops"]] == [[0, 0]]  # [plan, milestone]
    imported, _created = import_trajectory(json.loads(json.dumps(exported)))
    db.session.commit()
    copy = db.session.scalar(db.select(Workshop).where(Workshop.trajectory_id == imported.id))
    assert copy.milestone is not None and copy.milestone.id != milestone.id
    assert copy.milestone.title == milestone.title and copy.milestone.plan.trajectory_id == imported.id
    assert _normalise(export_trajectory(imported))["network"] == _normalise(exported)["network"]


def test_the_download_is_streamed_and_writes_what_the_export_holds(client, app, demo_loaded):
    """The download is written a record at a time; its text is the export's, references to
    records further on (an action's red card, step or objective) filled in."""
    case = db.session.scalar(db.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    lead = next(m.user for m in case.memberships if m.role.value == "projectleider")
    client.post("/inloggen", data={"email": lead.email, "password": demo.DEMO_PASSWORD})
    response = client.get(f"/trajecten/{case.id}/export.json")
    assert response.status_code == 200 and response.is_streamed
    text = response.get_data(as_text=True)
    expected = export_trajectory(case)
    downloaded = json.loads(text)
    assert _normalise(downloaded) == _normalise(expected)
    assert text == json.dumps(
        expected | {"exported_at": downloaded["exported_at"]}, ensure_ascii=False, indent=2
    )
    sources = [a.get("source") for p in downloaded["plans"] for a in p["actions"]]
    assert any(s is not None for s in sources) and "\x00" not in text
