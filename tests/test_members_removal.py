"""Removing a member (issue 9, parts 1 and 2): foreign keys on SQLite, a confirmation that lists
what the member owns, reassignment or no owner, contributions kept under the person's name, no
leak to whoever gets the old membership id next, and an audit trail of it all. Also: who may add
organisations."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    Action,
    Agreement,
    AuditEvent,
    ChecklistItem,
    Layer,
    MeetingAttendee,
    Membership,
    NetworkPartner,
    NoteCategory,
    Organisation,
    Plan,
    Role,
    WorkshopNote,
    WorkshopParticipant,
)

from .fixtures_world import PASSWORD


def _add(trajectory, user, role="teamlid") -> Membership:
    from tracker.members.services import add_member

    membership = add_member(
        trajectory, user, trajectory.memberships[0].organisation, Layer.UITVOEREND, Role(role)
    )
    db.session.commit()
    return membership


def _with_work(world, make_user) -> tuple[Membership, dict]:
    """A member (the newest membership, so SQLite would hand its id out again) who owns an action
    and a network contact, attended a meeting and took part in a workshop with a grade, a first
    step and a note."""
    from tracker.meetings import services as meetings_services
    from tracker.workshops import services as workshops_services

    a = world["a"]
    wim = _add(a, make_user("Wim Weggaat"))
    action = Action(
        trajectory_id=a.id,
        plan_id=world["plan"].id,
        cycle_id=world["plan"].cycles[0].id,
        title="Ouderavond plannen",
        description="Geheime details van traject A",
        owner_id=wim.id,
        due_date=date.today() + timedelta(days=7),
    )
    world["partner"].contact_id = wim.id
    db.session.add(action)
    meetings_services.save_meeting(
        a,
        world["meeting"],
        meetings_services.MeetingValues(
            held_on=world["meeting"].held_on,
            purpose="Kennismaken",
            attendees=(wim,),
            guests=meetings_services.parse_guests("Gast; Bibliotheek; "),
        ),
    )
    participant = workshops_services.add_participant(world["workshop"], wim, "partner")
    participant.grade, participant.first_step = 7, "Ouders uitnodigen"
    workshops_services.add_note(
        world["workshop"], participant, NoteCategory.BETER, "Ouders zitten niet aan tafel"
    )
    db.session.commit()
    return wim, {
        "action": action.id,
        "participant": participant.id,
        "membership": wim.id,
        "user": wim.user_id,
    }


def test_sqlite_connections_enforce_foreign_keys(app, world):
    """The database's own rule works: deleting a membership row leaves no action pointing at it."""
    a = world["a"]
    if db.engine.dialect.name == "sqlite":
        pragmas = [
            db.session.connection().exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("foreign_keys", "busy_timeout")
        ]
        assert pragmas == [1, 5000]
    action_id, lead_id = world["action"].id, a.memberships[0].id
    db.session.execute(sa.delete(Membership.__table__).where(Membership.id == lead_id))
    db.session.commit()
    assert db.session.scalar(sa.select(Action.owner_id).where(Action.id == action_id)) is None


def test_removal_lists_what_the_member_owns_and_keeps_what_they_contributed(client, login, world, make_user):
    a = world["a"]
    wim, ids = _with_work(world, make_user)
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/leden/{ids['membership']}/verwijderen"
    page = client.get(url).get_data(as_text=True)
    assert "Acties van deze persoon: 1" in page and "Ouderavond plannen" in page
    assert "Netwerkpartners" in page and "Kennismaken" in page and "Taart van ambities" in page
    # Nothing happens before a choice is made.
    refused = client.post(url, data={})
    assert refused.status_code == 200 and "Kies een lid" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, ids["membership"]) is not None

    assert client.post(url, data={"successor": "niemand"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, ids["membership"]) is None
    assert db.session.get(Action, ids["action"]).owner_id is None
    assert db.session.get(NetworkPartner, world["partner"].id).contact_id is None
    participant = db.session.get(WorkshopParticipant, ids["participant"])
    assert (participant.membership_id, participant.name, participant.grade, participant.first_step) == (
        None,
        "Wim Weggaat",
        7,
        "Ouders uitnodigen",
    )
    assert db.session.scalar(
        sa.select(WorkshopNote.text).where(WorkshopNote.participant_id == participant.id)
    ) == ("Ouders zitten niet aan tafel")
    attendee = db.session.scalar(
        sa.select(MeetingAttendee).where(MeetingAttendee.member_name == "Wim Weggaat")
    )
    assert attendee is not None and attendee.membership_id is None

    # The next membership anywhere (SQLite hands out the same id again) reveals nothing.
    stranger_user = make_user("Stella Vreemd")
    stranger = _add(world["b"], stranger_user)
    if db.engine.dialect.name == "sqlite":
        assert stranger.id == ids["membership"]
    feed = client.get(f"/agenda/{stranger_user.calendar_token}.ics").get_data(as_text=True)
    assert "Ouderavond plannen" not in feed and "Geheime details" not in feed and "Traject A" not in feed
    plan_page = client.get(f"/trajecten/{a.id}/plannen/{world['plan'].id}").get_data(as_text=True)
    assert "Ouderavond plannen" in plan_page and "Stella Vreemd" not in plan_page
    workshop = client.get(f"/trajecten/{a.id}/werksessies/{world['workshop'].id}")
    text = workshop.get_data(as_text=True)
    assert workshop.status_code == 200
    assert "Wim Weggaat" in text and "geen lid meer" in text and "Ouders zitten niet aan tafel" in text
    assert "Stella Vreemd" not in text
    meeting = client.get(f"/trajecten/{a.id}/bijeenkomsten/{world['meeting'].id}").get_data(as_text=True)
    assert "Wim Weggaat" in meeting and "Stella Vreemd" not in meeting


def test_a_meeting_saved_again_keeps_a_former_members_attendance(app, world, make_user):
    from tracker.meetings import services as meetings_services
    from tracker.members.removal import remove_member

    wim, _ids = _with_work(world, make_user)
    remove_member(wim)
    db.session.commit()
    meeting = world["meeting"]
    assert meetings_services.guests_text(meeting) == "Gast; Bibliotheek"
    meetings_services.save_meeting(
        world["a"],
        meeting,
        meetings_services.MeetingValues(
            held_on=meeting.held_on,
            purpose="Kennismaken",
            guests=meetings_services.parse_guests(meetings_services.guests_text(meeting)),
        ),
    )
    db.session.commit()
    assert sorted((a.member_name, a.guest_name) for a in meeting.attendees) == [
        ("", "Gast"),
        ("Wim Weggaat", ""),
    ]


def test_reassigning_gives_everything_owned_to_the_chosen_member(client, login, world, make_user):
    a = world["a"]
    wim, ids = _with_work(world, make_user)
    item = a.items[0]
    item.owner_id = ids["membership"]
    plan = world["plan"]
    plan.responsible_id = ids["membership"]
    agreement = Agreement(
        meeting_id=world["meeting"].id,
        text="Verslag rondsturen",
        owner_id=ids["membership"],
        due_date=date(2026, 5, 1),
    )
    db.session.add(agreement)
    a.coordinator_id = ids["user"]
    db.session.commit()
    manager = next(m for m in a.memberships if m.role == Role.MANAGER)
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/leden/{ids['membership']}/verwijderen"
    page = client.get(url).get_data(as_text=True)
    assert "Coördinator van het traject" in page and "Verslag rondsturen" in page
    response = client.post(url, data={"successor": str(manager.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item.id).owner_id == manager.id
    assert db.session.get(Action, ids["action"]).owner_id == manager.id
    assert db.session.get(Plan, plan.id).responsible_id == manager.id
    assert db.session.get(NetworkPartner, world["partner"].id).contact_id == manager.id
    assert db.session.get(Agreement, agreement.id).owner_id == manager.id
    assert db.session.get(type(a), a.id).coordinator_id == manager.user_id

    # The audit trail has the removal and every reassignment.
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.trajectory_id == a.id)).all()
    assert ("Membership", ids["membership"], "delete") in {(e.entity, e.entity_id, e.action) for e in events}
    changed = {(e.entity, e.entity_id) for e in events if e.action == "update"}
    assert {
        ("ChecklistItem", item.id),
        ("Action", ids["action"]),
        ("Plan", plan.id),
        ("NetworkPartner", world["partner"].id),
        ("Agreement", agreement.id),
    } <= changed


def test_a_successor_from_another_trajectory_is_refused(client, login, world, make_user):
    a, b = world["a"], world["b"]
    wim, ids = _with_work(world, make_user)
    login(world["users"]["projectleider"])
    response = client.post(
        f"/trajecten/{a.id}/leden/{ids['membership']}/verwijderen",
        data={"successor": str(b.memberships[0].id)},
    )
    assert response.status_code == 200 and "Kies een van de mogelijkheden" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, ids["membership"]) is not None
    assert db.session.get(Action, ids["action"]).owner_id == ids["membership"]


def test_a_read_only_meekijker_is_not_offered_nor_accepted_as_successor(client, login, world, make_user):
    a = world["a"]
    wim, ids = _with_work(world, make_user)
    meekijker = next(m for m in a.memberships if m.role == Role.MEEKIJKER)
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/leden/{ids['membership']}/verwijderen"
    assert f'value="{meekijker.id}"' not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"successor": str(meekijker.id)})
    assert response.status_code == 200 and "Kies een van de mogelijkheden" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, ids["membership"]) is not None


def test_the_last_project_lead_is_not_removed(client, login, world):
    a = world["a"]
    lead = next(m for m in a.memberships if m.role == Role.PROJECTLEIDER)
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/leden/{lead.id}/verwijderen"
    assert "minstens één projectleider" in client.get(url).get_data(as_text=True)
    client.post(url, data={"successor": "niemand"})
    db.session.expire_all()
    assert db.session.get(Membership, lead.id) is not None


def test_every_reference_to_a_membership_is_handled_by_the_removal():
    from tracker.members.removal import KEPT, OWNED

    pointing = {
        (fk.parent.table.name, fk.parent.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "memberships"
    }
    handled = {(model.__tablename__, column) for _key, model, column, _label, _title in OWNED + KEPT}
    assert pointing == handled


def test_removing_a_member_is_audited_even_without_owned_work(client, login, world, make_user):
    """The membership leaves through a delete-orphan cascade; the audit hook sees it."""
    a = world["a"]
    kees_id = _add(a, make_user("Kees Kort")).id
    login(world["users"]["projectleider"])
    assert client.post(f"/trajecten/{a.id}/leden/{kees_id}/verwijderen").status_code == 302
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.entity == "Membership", AuditEvent.entity_id == kees_id, AuditEvent.action == "delete"
        )
    )
    assert event is not None and event.summary == "Kees Kort"
    assert event.trajectory_id == a.id


def test_meekijkers_and_outsiders_cannot_add_organisations(app, world, make_user):
    def client_of(user):
        client = app.test_client()
        assert client.post("/inloggen", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    loner = make_user("Lotte Zonder Traject")
    for user in (world["users"]["meekijker"], loner):
        client = client_of(user)
        assert client.get("/organisaties/nieuw").status_code == 403
        assert (
            client.post("/organisaties/nieuw", data={"name": "Nepbedrijf", "sector": "onderwijs"}).status_code
            == 403
        )
        assert "/organisaties/nieuw" not in client.get("/organisaties").get_data(as_text=True)
        assert "Vraag een beheerder" in client.get("/trajecten/nieuw").get_data(as_text=True)
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == "Nepbedrijf")) is None
    client = client_of(world["users"]["teamlid"])
    assert "/organisaties/nieuw" in client.get("/organisaties").get_data(as_text=True)
    response = client.post(
        "/organisaties/nieuw", data={"name": "Bibliotheek Rivierenwijk", "sector": "onderwijs"}
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == "Bibliotheek Rivierenwijk"))
