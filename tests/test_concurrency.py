"""Concurrent one-click changes never give a 500, moving does not cost an open form its version,
and forms that had no version now detect a second writer."""

from __future__ import annotations

import random
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import create_app
from tracker.actions import services as action_services
from tracker.extensions import db
from tracker.models import (
    Action,
    ChecklistItem,
    Cycle,
    Layer,
    Organisation,
    Sector,
    Trajectory,
    WorkshopParticipant,
)
from tracker.phases import services as phase_services
from tracker.plans import services as plan_services

from .conftest import skip_or_fail
from .fixtures_app import FreshContextClient, _test_config
from .fixtures_world import PASSWORD
from .postgres import create_pg_database, drop_pg_database, postgres_available

CONFLICT = "Iemand anders heeft dit net gewijzigd; probeer het opnieuw."


def _section_items(section_id: int) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            sa.select(ChecklistItem)
            .where(ChecklistItem.section_id == section_id, ChecklistItem.archived_at.is_(None))
            .order_by(ChecklistItem.position, ChecklistItem.id)
        )
    )


def _bump_version_elsewhere(model, object_id: int) -> None:
    """Someone else saves the record on another connection, between our read and our write."""
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(model.__table__)
            .where(model.__table__.c.id == object_id)
            .values(version=model.__table__.c.version + 1)
        )


# --- moving keeps versions --------------------------------------------------------------------


def test_moving_an_item_keeps_its_version_so_the_open_form_still_saves(client, login, world):
    a = world["a"]
    first, second = _section_items(a.items[0].section_id)[:2]
    version = second.version
    login(world["users"]["teamlid"])
    form = client.get(f"/trajecten/{a.id}/items/{second.id}/bewerken").get_data(as_text=True)
    assert f'value="{version}"' in form
    client.post(f"/trajecten/{a.id}/items/{second.id}/verplaatsen", data={"richting": "omhoog"})
    db.session.expire_all()
    assert [i.id for i in _section_items(first.section_id)[:2]] == [second.id, first.id]
    assert db.session.get(ChecklistItem, second.id).version == version
    response = client.post(
        f"/trajecten/{a.id}/items/{second.id}",
        data={
            "answer": "Ons antwoord na het verplaatsen",
            "status": "in_behandeling",
            "owner_id": "",
            "accountable_layer": "",
            "due_date": "",
            "version": str(version),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ChecklistItem, second.id).answer == "Ons antwoord na het verplaatsen"


def test_moving_a_process_step_keeps_its_version(client, login, world):
    a, step = world["a"], world["step"]
    from tracker.models import ProcessStep

    other = ProcessStep(trajectory_id=a.id, position=2, title="Toeleiding")
    db.session.add(other)
    db.session.commit()
    versions = (step.version, other.version)
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/proces/{other.id}/verplaatsen", data={"richting": "omhoog"})
    db.session.expire_all()
    assert (
        db.session.get(ProcessStep, other.id).position,
        db.session.get(ProcessStep, step.id).position,
    ) == (1, 2)
    assert (
        db.session.get(ProcessStep, step.id).version,
        db.session.get(ProcessStep, other.id).version,
    ) == versions


# --- a concurrent change is a clear message, not a 500 -----------------------------------------


@pytest.mark.parametrize(
    "what", ["item_archive", "item_restore", "action_archive", "action_restore", "cycle_close"]
)
def test_a_concurrent_change_during_a_one_click_change_is_a_message(client, login, world, monkeypatch, what):
    a, action, plan = world["a"], world["action"], world["plan"]
    item = a.items[3]
    if what == "item_restore":
        item.archived_at = item.created_at
    if what == "action_restore":
        action.archived_at = action.created_at
    item.answer = "Een antwoord, dus archiveren"
    db.session.commit()
    targets = {
        "item_archive": (
            phase_services,
            "archive_or_delete",
            ChecklistItem,
            item.id,
            f"/trajecten/{a.id}/items/{item.id}/archiveren",
            {},
        ),
        "item_restore": (
            phase_services,
            "restore",
            ChecklistItem,
            item.id,
            f"/trajecten/{a.id}/items/{item.id}/herstellen",
            {},
        ),
        "action_archive": (
            action_services,
            "archive_action",
            Action,
            action.id,
            f"/trajecten/{a.id}/acties/{action.id}/archiveren",
            {},
        ),
        "action_restore": (
            action_services,
            "restore_action",
            Action,
            action.id,
            f"/trajecten/{a.id}/acties/{action.id}/herstellen",
            {},
        ),
        "cycle_close": (
            plan_services,
            "close_cycle",
            Cycle,
            plan.cycles[0].id,
            f"/trajecten/{a.id}/cycli/{plan.cycles[0].id}/afsluiten",
            {"close-confirm": "1"},
        ),
    }
    module, name, model, object_id, url, data = targets[what]
    original = getattr(module, name)

    def racing(obj, *args, **kwargs):
        _bump_version_elsewhere(model, object_id)
        return original(obj, *args, **kwargs)

    monkeypatch.setattr(module, name, racing)
    login(world["users"]["projectleider"])
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    assert CONFLICT in response.get_data(as_text=True)
    db.session.expire_all()
    if what == "cycle_close":
        assert db.session.get(Cycle, object_id).closed_at is None
        assert db.session.scalar(sa.select(sa.func.count(Cycle.id)).where(Cycle.plan_id == plan.id)) == 1
    elif what.endswith("archive"):
        assert db.session.get(model, object_id).archived_at is None
    else:
        assert db.session.get(model, object_id).archived_at is not None


# --- forms that had no version ------------------------------------------------------------------


def test_two_writers_of_the_client_goals_the_second_gets_the_conflict_view(app, world, login):
    a = world["a"]
    url = f"/trajecten/{a.id}/proces"
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/inloggen", data={"email": world["users"]["teamlid"].email, "password": PASSWORD})
    version = str(a.version)
    assert f'name="doelen-version" type="hidden" value="{version}"' in first.get(url).get_data(as_text=True)
    ok = first.post(
        url,
        data={
            "doelen-client_goals": "ja",
            "doelen-client_goals_note": "Tekst van de eerste",
            "doelen-version": version,
        },
    )
    assert ok.status_code == 302
    late = second.post(
        url,
        data={
            "doelen-client_goals": "nee",
            "doelen-client_goals_note": "Tekst van de tweede",
            "doelen-version": version,
        },
    )
    body = late.get_data(as_text=True)
    assert "Iemand anders heeft dit opgeslagen terwijl u het bewerkte." in body
    assert "Tekst van de eerste" in body and "Tekst van de tweede" in body  # theirs shown, ours kept
    db.session.expire_all()
    assert db.session.get(Trajectory, a.id).client_goals_note == "Tekst van de eerste"
    # Saving again with the version the conflict view carries deliberately replaces it.
    new_version = str(db.session.get(Trajectory, a.id).version)
    assert f'value="{new_version}"' in body
    again = second.post(
        url,
        data={
            "doelen-client_goals": "nee",
            "doelen-client_goals_note": "Tekst van de tweede",
            "doelen-version": new_version,
        },
    )
    assert again.status_code == 302


def test_two_writers_of_a_workshop_grade_the_second_gets_the_conflict_view(app, world):
    a, workshop = world["a"], world["workshop"]
    participant = WorkshopParticipant(workshop_id=workshop.id, membership_id=a.memberships[0].id)
    db.session.add(participant)
    db.session.commit()
    url = f"/trajecten/{a.id}/werksessies/{workshop.id}"
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/inloggen", data={"email": world["users"]["teamlid"].email, "password": PASSWORD})
    prefix = f"p{participant.id}"
    page = first.get(url).get_data(as_text=True)
    assert f'name="{prefix}-version"' in page
    data = {"stap": f"cijfer-{participant.id}", f"{prefix}-version": str(participant.version)}
    assert first.post(url, data={**data, f"{prefix}-grade": "7"}).status_code == 302
    late = second.post(url, data={**data, f"{prefix}-grade": "4"})
    body = late.get_data(as_text=True)
    assert "Iemand anders heeft dit opgeslagen terwijl u het bewerkte." in body
    db.session.expire_all()
    assert db.session.get(WorkshopParticipant, participant.id).grade == 7


# --- twelve concurrent movers on PostgreSQL ---------------------------------------------------


def _setup_trajectory() -> tuple[int, int, str]:
    from tracker.auth.services import create_user
    from tracker.trajectories.services import TrajectoryDetails, create_trajectory

    user = create_user("mover@example.org", "Mover", PASSWORD)
    org = Organisation(name="Organisatie", sector=Sector.GGD_JGZ)
    db.session.add(org)
    trajectory = create_trajectory(
        TrajectoryDetails(
            name="Movers",
            theme="T",
            target_groups="J",
            area="A",
            start_date=date(2026, 1, 5),
            focus_layer=Layer.UITVOEREND,
        ),
        creator=user,
        organisation=org,
        layer=Layer.UITVOEREND,
    )
    db.session.commit()
    section_id = max(
        {i.section_id for i in trajectory.items},
        key=lambda s: sum(1 for i in trajectory.items if i.section_id == s),
    )
    return trajectory.id, section_id, user.email


@pytest.mark.postgres
def test_twelve_concurrent_movers_on_postgresql_get_no_500_and_keep_a_permutation():
    if not postgres_available():
        skip_or_fail("PostgreSQL on 127.0.0.1:5432 is not reachable")
    name, url = create_pg_database()
    app = create_app(_test_config(url))
    app.test_client_class = FreshContextClient
    try:
        with app.app_context():
            db.create_all()
            trajectory_id, section_id, email = _setup_trajectory()
            items = _section_items(section_id)
            before = sorted(i.position for i in items)
            versions = {i.id: i.version for i in items}
            ids = [i.id for i in items]
            db.session.remove()
        statuses: list[int] = []
        errors: list[BaseException] = []
        start = threading.Barrier(12, timeout=60)

        # Log in one after the other (this test is about moving, not about logging in).
        clients = [app.test_client() for _ in range(12)]
        for client in clients:
            assert client.post("/inloggen", data={"email": email, "password": PASSWORD}).status_code == 302

        def mover(seed: int) -> None:
            try:
                rng = random.Random(seed)
                client = clients[seed]
                start.wait()
                for _ in range(10):
                    item_id = rng.choice(ids)
                    response = client.post(
                        f"/trajecten/{trajectory_id}/items/{item_id}/verplaatsen",
                        data={"richting": rng.choice(["omhoog", "omlaag"])},
                    )
                    statuses.append(response.status_code)
            except BaseException as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)

        threads = [threading.Thread(target=mover, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(statuses) == 120 and all(s < 500 for s in statuses), sorted(set(statuses))
        with app.app_context():
            after = _section_items(section_id)
            assert sorted(i.position for i in after) == before  # a permutation: no duplicates, none lost
            assert {i.id: i.version for i in after} == versions  # moving bumps no version
            db.session.remove()
    finally:
        with app.app_context():
            db.engine.dispose()
        drop_pg_database(name)


def test_a_move_stays_in_the_history_although_it_keeps_the_version(client, login, world):
    from tracker.models import AuditEvent

    a = world["a"]
    first, second = _section_items(a.items[0].section_id)[:2]
    old_first, old_second = first.position, second.position
    login(world["users"]["teamlid"])
    client.post(f"/trajecten/{a.id}/items/{second.id}/verplaatsen", data={"richting": "omhoog"})
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "ChecklistItem", AuditEvent.action == "update")
    ).all()
    moved = {e.entity_id: e.changes["position"] for e in events}
    assert moved == {second.id: [old_second, old_first], first.id: [old_first, old_second]}
    assert {e.actor for e in events} == {"Tim Teamlid"}
