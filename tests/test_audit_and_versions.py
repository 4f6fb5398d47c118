"""Every change is traceable; no edit of any record is silently lost."""

from __future__ import annotations

import pytest

from tracker.extensions import db
from tracker.models import AuditEvent, Organisation, Role, Trajectory


def _events(**filters):
    stmt = db.select(AuditEvent).order_by(AuditEvent.id)
    for key, value in filters.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def test_an_answer_change_records_who_what_when_and_old_to_new(client, login, world):
    a = world["a"]
    item = a.items[0]
    login(world["users"]["teamlid"])
    client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data={"answer": "Eerste antwoord", "status": "in_behandeling", "version": str(item.version)},
    )
    db.session.refresh(item)
    client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data={"answer": "Beter antwoord", "status": "afgerond", "version": str(item.version)},
    )
    events = _events(entity="ChecklistItem", entity_id=item.id)
    assert [e.action for e in events] == ["update", "update"]
    last = events[-1]
    assert last.user_id == world["users"]["teamlid"].id and last.actor == "Tim Teamlid"
    assert last.changes["answer"] == ["Eerste antwoord", "Beter antwoord"]
    assert last.changes["status"] == ["in_behandeling", "afgerond"]
    assert last.at.tzinfo is not None and last.trajectory_id == a.id
    page = client.get(f"/trajecten/{a.id}/geschiedenis?soort=ChecklistItem&id={item.id}").get_data(
        as_text=True
    )
    assert "Eerste antwoord" in page and "Beter antwoord" in page and "Tim Teamlid" in page


def test_archive_restore_membership_and_decision_changes_are_recorded(client, login, world):
    a = world["a"]
    item = a.items[0]
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    login(world["users"]["projectleider"])
    client.post(f"/trajecten/{a.id}/items/{item.id}/archiveren")
    client.post(f"/trajecten/{a.id}/items/{item.id}/herstellen")
    client.post(
        f"/trajecten/{a.id}/leden/{teamlid.id}",
        data={
            "organisation_id": str(teamlid.organisation_id),
            "layer": "bestuur",
            "role": "teamlid",
            "version": str(teamlid.version),
        },
    )
    client.post(
        f"/trajecten/{a.id}/besluiten/fase1/nieuw",
        data={
            "outcome": "pas_op_de_plaats",
            "rationale": "Nog geen draagvlak",
            "decided_by": "Overleg",
            "decided_on": "2026-03-01",
        },
    )
    actions = [(e.entity, e.action) for e in _events(trajectory_id=a.id)]
    assert ("ChecklistItem", "archive") in actions and ("ChecklistItem", "restore") in actions
    assert ("Membership", "update") in actions and ("Decision", "create") in actions
    page = client.get(f"/trajecten/{a.id}/geschiedenis").get_data(as_text=True)
    assert "gearchiveerd" in page and "teruggezet" in page


def test_history_of_one_trajectory_is_invisible_to_outsiders(client, login, world):
    a = world["a"]
    login(world["users"]["outsider"])
    assert client.get(f"/trajecten/{a.id}/geschiedenis").status_code == 403
    b = world["b"]
    page = client.get(f"/trajecten/{b.id}/geschiedenis?soort=ChecklistItem&id={a.items[0].id}")
    assert page.status_code == 200 and a.items[0].text not in page.get_data(as_text=True)


def test_passwords_never_appear_in_the_trail(client, login, make_user):
    user = make_user()
    login(user)
    new = "een ander lang wachtwoord"
    client.post(
        "/account",
        data={
            "pw-current_password": "een lange zin als wachtwoord",
            "pw-new_password": new,
            "pw-confirm": new,
            "pw-submit": "1",
        },
    )
    for event in _events(entity="User", entity_id=user.id):
        assert new not in str(event.changes) and "$argon2" not in str(event.changes)


def _stale_post(client, url, data, version):
    return client.post(url, data={**data, "version": str(version)})


def test_stale_trajectory_settings_are_not_saved_over_another_change(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    base = {
        "name": "Traject A",
        "theme": "Pesten",
        "target_groups": "",
        "area": "",
        "focus_layer": "uitvoerend",
        "start_date": "2026-01-05",
        "status": "actief",
        "coordinator_id": "",
    }
    version = a.version
    assert (
        _stale_post(client, f"/trajecten/{a.id}/bewerken", {**base, "area": "Noord"}, version).status_code
        == 302
    )
    response = _stale_post(client, f"/trajecten/{a.id}/bewerken", {**base, "area": "Zuid"}, version)
    body = response.get_data(as_text=True)
    assert "Iemand anders heeft dit opgeslagen" in body and 'value="Zuid"' in body and "Noord" in body
    db.session.expire_all()
    assert db.session.get(Trajectory, a.id).area == "Noord"


def test_stale_organisation_edit_is_refused(client, login, make_user, make_org):
    org = make_org("GGD Oud")
    login(make_user(admin=True))
    version = org.version
    client.post(
        f"/organisaties/{org.id}", data={"name": "GGD Nieuw", "sector": "ggd_jgz", "version": str(version)}
    )
    response = client.post(
        f"/organisaties/{org.id}", data={"name": "GGD Anders", "sector": "ggd_jgz", "version": str(version)}
    )
    assert "Iemand anders heeft dit opgeslagen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "GGD Nieuw"


def test_stale_reflection_keeps_my_text_and_shows_theirs(client, login, world):
    a = world["a"]
    reflection = a.reflections[0]
    version = reflection.version
    login(world["users"]["teamlid"])
    data = {"aspects-0-aspect_key": reflection.aspect_key, "aspects-0-movement": "deels"}
    client.post(
        f"/trajecten/{a.id}/startreflectie",
        data={**data, "aspects-0-note": "Hun notitie", "aspects-0-version": str(version)},
    )
    response = client.post(
        f"/trajecten/{a.id}/startreflectie",
        data={**data, "aspects-0-note": "Mijn notitie", "aspects-0-version": str(version)},
    )
    body = response.get_data(as_text=True)
    assert "Hun notitie" in body and "Mijn notitie" in body and "Iemand anders heeft dit opgeslagen" in body
    db.session.refresh(reflection)
    assert reflection.note == "Hun notitie"


@pytest.mark.parametrize("role", ["manager", "teamlid"])
def test_stale_membership_edit_is_refused(client, login, world, role):
    a = world["a"]
    member = next(m for m in a.memberships if m.role.value == role)
    version = member.version
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/leden/{member.id}"
    data = {"organisation_id": str(member.organisation_id), "role": role}
    client.post(url, data={**data, "layer": "bestuur", "version": str(version)})
    response = client.post(url, data={**data, "layer": "uitvoerend", "version": str(version)})
    assert "Iemand anders heeft dit opgeslagen" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.layer.value == "bestuur"
