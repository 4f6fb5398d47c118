"""Guided sessions: a Taart van ambities and an Ambitiegesprek run step by step with the test
client, into the work (ambitions, actions, a milestone), and what they refuse."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from tracker.extensions import db
from tracker.models import (
    Action,
    Ambition,
    Milestone,
    Role,
    SessionStatus,
    Workshop,
    WorkshopNote,
    WorkshopParticipant,
)

from .fixtures_world import PNG
from .test_queries import count_queries

DUE = date.today() + timedelta(days=30)


def base(a, workshop) -> str:
    return f"/trajecten/{a.id}/werksessies/{workshop.id}"


def start(client, a, instrument: str, title: str = "") -> Workshop:
    response = client.post(
        f"/trajecten/{a.id}/werksessies/nieuw",
        data={"instrument": instrument, "title": title, "held_on": date.today().isoformat()},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/sessie")
    return db.session.scalars(db.select(Workshop).order_by(Workshop.id.desc())).first()


def step_of(workshop: Workshop) -> str:
    db.session.expire_all()
    return db.session.get(Workshop, workshop.id).step


def post_input(client, a, workshop, kind: str, data: dict, step: str | None = None):
    return client.post(
        base(a, workshop) + "/sessie", data={"invoer": kind, "stap": step or step_of(workshop), **data}
    )


def move(client, a, workshop, action: str = "verder", **extra):
    return client.post(
        base(a, workshop) + "/sessie/stap", data={"stap": step_of(workshop), "actie": action, **extra}
    )


def members(a, *roles: Role):
    return [next(m for m in a.memberships if m.role == r) for r in roles]


def participants(a, workshop):
    lead, manager, teamlid = members(a, Role.PROJECTLEIDER, Role.MANAGER, Role.TEAMLID)
    for member, role in ((lead, "jeugdverpleegkundige"), (manager, "manager"), (teamlid, "SMW")):
        response = post_input(
            client_of[0],
            a,
            workshop,
            "participants",
            {"deelnemer-membership_id": member.id, "deelnemer-role": role},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.scalars(
        db.select(WorkshopParticipant).where(WorkshopParticipant.workshop_id == workshop.id)
    ).all()


client_of: list = []  # the test's client, for the helpers


def switch(client, login, user) -> None:
    client.post("/uitloggen")
    login(user)


@pytest.fixture
def lead(client, login, world):
    switch(client, login, world["users"]["projectleider"])
    client_of[:] = [client]
    return client


def note(client, a, workshop, participant, text: str):
    return post_input(
        client, a, workshop, "notes", {"notitie-participant_id": participant.id, "notitie-text": text}
    )


def test_a_taart_van_ambities_from_introductions_to_ambitions_actions_and_the_pie(lead, login, world):
    client, a = lead, world["a"]
    workshop = start(client, a, "taart")
    assert workshop.title == "Taart van ambities" and workshop.step == "kennismaken"
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert (
        "Stap 1: kennismaken" in page
        and "wat is je rol?" in page
        and "Vul dit in de buitenste cirkel in." in page
    )
    people = participants(a, workshop)
    assert move(client, a, workshop).status_code == 302 and step_of(workshop) == "factsheets"
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert "Wat valt jullie op, positief/negatief?" in page and "Deze stap overslaan" in page
    move(client, a, workshop, "overslaan")
    assert step_of(workshop) == "goed" and db.session.get(Workshop, workshop.id).skipped == "factsheets"
    assert note(client, a, workshop, people[0], "Korte lijnen met de school").status_code == 302
    # A participant adds their own note from the phone page.
    switch(client, login, world["users"]["teamlid"])
    join = base(a, workshop) + "/meedoen"
    assert "Waar ben je trots op in de samenwerking?" in client.get(join).get_data(as_text=True)
    assert client.post(join, data={"mijn-stap": "goed", "mijn-text": "We kennen elkaar"}).status_code == 302
    assert "We kennen elkaar" in client.get(join).get_data(as_text=True)
    switch(client, login, world["users"]["projectleider"])
    move(client, a, workshop)
    note(client, a, workshop, people[1], "Ouders zitten niet aan tafel")
    move(client, a, workshop)
    note(client, a, workshop, people[2], "Eén plan per kind")
    grades = {f"cijfers-grade_{p.id}": 5 + i for i, p in enumerate(people)}
    grades[f"cijfers-plus_{people[0].id}"] = "We spreken elkaar elke maand"
    assert post_input(client, a, workshop, "grades", grades).status_code == 302
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert "wat is er gewijzigd als dit met een punt zal stijgen?" in page
    move(client, a, workshop)
    post_input(
        client,
        a,
        workshop,
        "ambitions",
        {"ambitie-title": "Minder kinderen gepest", "ambitie-result_kind": "probleem"},
    )
    move(client, a, workshop)
    assert step_of(workshop) == "en_nu"
    lead_member = members(a, Role.PROJECTLEIDER)[0]
    post_input(
        client,
        a,
        workshop,
        "joint_steps",
        {
            "samen-title": "Pestprotocol afstemmen",
            "samen-owner_id": lead_member.id,
            "samen-due_date": DUE.isoformat(),
        },
    )
    steps = {f"stappen-step_{p.id}": f"Stap van {p.name}" for p in people}
    steps |= {f"stappen-due_{p.id}": DUE.isoformat() for p in people}
    assert post_input(client, a, workshop, "first_steps", steps).status_code == 302

    screen = client.get(base(a, workshop) + "/scherm").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in screen and "<svg" in screen
    for text in (
        "Korte lijnen met de school",
        "We kennen elkaar",
        "Ouders zitten niet aan tafel",
        "Minder kinderen gepest",
    ):
        assert text in screen
    assert [r in screen for r in ('data-ring="kennismaken"', 'data-ring="gezamenlijk"')] == [True, True]

    finished = client.post(base(a, workshop) + "/sessie/afronden")
    assert finished.status_code == 302
    db.session.expire_all()
    workshop = db.session.get(Workshop, workshop.id)
    assert workshop.status == SessionStatus.AFGEROND
    assert workshop.ambitions[0].ambition.title == "Minder kinderen gepest"
    actions = db.session.scalars(db.select(Action).where(Action.source_type.like("workshop%"))).all()
    assert sorted((x.title, x.due_date) for x in actions) == sorted(
        [("Pestprotocol afstemmen", DUE)] + [(f"Stap van {p.name}", DUE) for p in people]
    )
    assert {x.owner_id for x in actions} == {p.membership_id for p in people}
    joint = next(x for x in actions if x.source_type == "workshop_joint_step")
    action_page = client.get(f"/trajecten/{a.id}/acties/{joint.id}").get_data(as_text=True)
    assert f"/werksessies/{workshop.id}" in action_page
    session_page = client.get(base(a, workshop)).get_data(as_text=True)
    assert "Pestprotocol afstemmen" in session_page and f"/acties/{joint.id}" in session_page
    # Finishing twice makes nothing twice.
    again = client.post(base(a, workshop) + "/sessie/afronden")
    assert again.status_code == 422
    assert (
        db.session.scalar(db.select(db.func.count(Action.id)).where(Action.source_type.like("workshop%")))
        == 4
    )


def test_an_ambitiegesprek_from_contract_to_look_back_with_an_evaluation_milestone(lead, world):
    client, a = lead, world["a"]
    workshop = start(client, a, "ambitiegesprek", "Ambitiegesprek najaar")
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert "1 – Contracteren" in page and "Wat verwacht je van mij?" in page
    people = participants(a, workshop)
    note(client, a, workshop, people[0], "Zinvol als we met één ambitie eindigen")
    move(client, a, workshop)
    post_input(client, a, workshop, "focus", {"focus-focus": "Terugkomen op: één ambitie, twee uur"})
    move(client, a, workshop)
    note(client, a, workshop, people[1], "Elk kind voelt zich veilig")
    for title in ("Veilig op school", "Ouders betrokken"):
        post_input(
            client,
            a,
            workshop,
            "ambitions",
            {"ambitie-title": title, "ambitie-result_kind": "beschermende_factor"},
        )
    move(client, a, workshop)
    note(client, a, workshop, people[2], "Buddy-systeem")
    move(client, a, workshop)
    note(client, a, workshop, people[2], "Kanjertraining")
    move(client, a, workshop)
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert "Hoe en wanneer gaan jullie deze stappen evalueren? Wie pakt dit op?" in page
    manager = members(a, Role.MANAGER)[0]
    post_input(
        client,
        a,
        workshop,
        "joint_steps",
        {
            "samen-title": "Kanjertraining inplannen",
            "samen-owner_id": manager.id,
            "samen-due_date": DUE.isoformat(),
        },
    )
    evaluation = {
        "evaluatie-how": "In het teamoverleg",
        "evaluatie-on": (DUE + timedelta(days=30)).isoformat(),
    }
    assert (
        post_input(
            client, a, workshop, "evaluation", evaluation | {"evaluatie-owner_id": manager.id}
        ).status_code
        == 302
    )
    move(client, a, workshop)
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert "Zinvol als we met één ambitie eindigen" in page and "Terugkomen op: één ambitie, twee uur" in page
    post_input(client, a, workshop, "look_back", {"terug-look_back": "Beide punten kwamen aan bod"})
    # The photo of the sheet, uploaded from the last step, brings the facilitator back to it.
    photo = client.post(
        base(a, workshop) + "/foto", data={"terug": "sessie", "foto-photo": (io.BytesIO(PNG), "vel.png")}
    )
    assert photo.headers["Location"].endswith("/sessie#foto")
    assert "/foto" in client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    # Back one step and forward again: the input stays.
    move(client, a, workshop, "terug")
    assert step_of(workshop) == "concretiseren"
    move(client, a, workshop)
    assert client.post(base(a, workshop) + "/sessie/afronden").status_code == 302
    db.session.expire_all()
    workshop = db.session.get(Workshop, workshop.id)
    milestone = db.session.get(Milestone, workshop.milestone_id)
    assert milestone.target_date == DUE + timedelta(days=30) and "Manon Manager" in milestone.expected_result
    action = workshop.joint_steps[0].action
    assert action.milestone_id == milestone.id and action.owner_id == manager.id
    assert len([x for x in db.session.scalars(db.select(Ambition)) if x.active]) == 3
    assert workshop.look_back == "Beide punten kwamen aan bod"


def test_bad_input_gets_a_dutch_message_and_changes_nothing(lead, world, make_trajectory):
    client, a = lead, world["a"]
    workshop = start(client, a, "taart")
    url = base(a, workshop) + "/sessie"
    people = participants(a, workshop)
    # A note for a step the session is not at.
    wrong = post_input(
        client, a, workshop, "notes", {"notitie-participant_id": people[0].id, "notitie-text": "x"}, "goed"
    )
    assert wrong.status_code == 422 and "nu bij staat; er is niets opgeslagen" in wrong.get_data(as_text=True)
    # Jumping ahead, and skipping a step the document does not mark as optional.
    ahead = move(client, a, workshop, naar="en_nu")
    assert ahead.status_code == 422 and "Die stap is nog niet bereikt" in ahead.get_data(as_text=True)
    assert move(client, a, workshop, "overslaan").status_code == 422 and step_of(workshop) == "kennismaken"
    for _ in range(2):
        move(client, a, workshop)
    empty = note(client, a, workshop, people[0], "  ")
    assert empty.status_code == 422 and "Dit veld is verplicht." in empty.get_data(as_text=True)
    for _ in range(2):
        move(client, a, workshop)
    grade = post_input(client, a, workshop, "grades", {f"cijfers-grade_{people[0].id}": "11"})
    assert grade.status_code == 422 and "Geef een cijfer van 1 tot 10." in grade.get_data(as_text=True)
    move(client, a, workshop)
    for i in range(3):
        post_input(
            client,
            a,
            workshop,
            "ambitions",
            {"ambitie-title": f"Ambitie {i}", "ambitie-result_kind": "probleem"},
        )
    fourth = post_input(
        client, a, workshop, "ambitions", {"ambitie-title": "Vierde", "ambitie-result_kind": "probleem"}
    )
    assert fourth.status_code == 422 and "al drie gezamenlijke ambities" in fourth.get_data(as_text=True)
    move(client, a, workshop)
    # Three new ambitions next to the trajectory's one active ambition: more than three.
    too_many = client.post(url + "/afronden")
    assert too_many.status_code == 422 and "hoogstens drie actieve ambities" in too_many.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Ambition.id))) == 1
    assert db.session.get(Workshop, workshop.id).status == SessionStatus.BEZIG
    assert db.session.scalar(db.select(db.func.count(WorkshopNote.id))) == 0
    # Another trajectory's session is not found.
    other = make_trajectory(world["users"]["projectleider"], name="Ander traject")
    assert client.get(f"/trajecten/{other.id}/werksessies/{workshop.id}/sessie").status_code == 404
    assert client.get(f"/trajecten/{other.id}/werksessies/{workshop.id}/scherm").status_code == 404


def test_a_paused_session_takes_no_notes_until_it_is_resumed(lead, login, world):
    client, a = lead, world["a"]
    workshop = start(client, a, "taart")
    move(client, a, workshop)
    move(client, a, workshop)
    move(client, a, workshop, "pauze")
    assert "gepauzeerd" in client.get(base(a, workshop) + "/scherm").get_data(as_text=True).lower()
    switch(client, login, world["users"]["teamlid"])
    join = base(a, workshop) + "/meedoen"
    refused = client.post(join, data={"mijn-stap": "goed", "mijn-text": "Fijne samenwerking"})
    assert refused.status_code == 422 and "Fijne samenwerking" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(WorkshopNote.id))) == 0
    switch(client, login, world["users"]["projectleider"])
    move(client, a, workshop, "hervatten")
    switch(client, login, world["users"]["teamlid"])
    assert client.post(join, data={"mijn-stap": "goed", "mijn-text": "Fijne samenwerking"}).status_code == 302
    # The note went to the step's own category, from a participant who joined by adding it.
    note_ = db.session.scalar(db.select(WorkshopNote))
    assert note_.category.value == "goed" and note_.participant.membership.user.name == "Tim Teamlid"


def test_the_session_pages_issue_the_same_queries_for_few_and_many_notes(lead, world):
    client, a = lead, world["a"]
    workshop = start(client, a, "taart")
    people = participants(a, workshop)
    urls = [base(a, workshop) + s for s in ("/sessie", "/scherm", "/meedoen", "")]

    def grow(n: int) -> None:
        for i in range(n):
            for category in ("goed", "beter", "ambitie"):
                db.session.add(
                    WorkshopNote(
                        workshop_id=workshop.id,
                        participant_id=people[i % 3].id,
                        category=category,
                        text=f"N {i}",
                    )
                )
        db.session.commit()

    def counts() -> dict[str, int]:
        result = {}
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result[url] = counter["n"]
        return result

    grow(2)
    before = counts()
    grow(40)
    assert counts() == before


def test_the_pie_wraps_long_notes_and_says_how_many_more_did_not_fit():
    from types import SimpleNamespace

    from tracker.models import NoteCategory
    from tracker.sessions import pie

    assert pie.wrap("Elk kind heeft één plan en één vast gezicht in de wijk") == (
        "Elk kind heeft",
        "één plan en…",
    )
    notes = [SimpleNamespace(category=NoteCategory.GOED, text=f"Notitie {i}") for i in range(60)]
    workshop = SimpleNamespace(participants=[], notes=notes, ambitions=[])
    goed = next(r for r in pie.rings(workshop) if r.key == "goed")
    assert len(goed.texts) == 60 and goed.more == 60 - len(goed.items) > 0
    assert all(pie.MARGIN <= item.x <= pie.WIDTH - pie.MARGIN for item in goed.items)


def test_a_shared_ambition_can_be_one_the_trajectory_already_has(lead, world):
    client, a = lead, world["a"]
    workshop = start(client, a, "taart")
    for _ in range(5):
        move(client, a, workshop)
    assert step_of(workshop) == "gezamenlijk"
    missing = post_input(client, a, workshop, "ambitions", {"ambitie-title": "", "ambitie-existing": ""})
    assert missing.status_code == 422 and "Dit veld is verplicht." in missing.get_data(as_text=True)
    existing = {"ambitie-existing": world["ambition"].id}
    assert post_input(client, a, workshop, "ambitions", existing).status_code == 302
    move(client, a, workshop)
    assert client.post(base(a, workshop) + "/sessie/afronden").status_code == 302
    db.session.expire_all()
    shared = db.session.get(Workshop, workshop.id).ambitions[0]
    assert shared.title == "Minder pesten" and shared.ambition_id == world["ambition"].id
    assert db.session.scalar(db.select(db.func.count(Ambition.id))) == 1


def test_shared_ambitions_and_joint_steps_can_be_changed_and_removed_until_the_session_is_finished(
    lead, world, make_trajectory
):
    from tracker.models import WorkshopAmbition, WorkshopJointStep

    client, a = lead, world["a"]
    workshop = start(client, a, "ambitiegesprek", "Ambitiegesprek voorjaar")
    manager, teamlid = members(a, Role.MANAGER, Role.TEAMLID)
    move(client, a, workshop)
    move(client, a, workshop)
    for title in ("Veilig op school", "Ouders betrokken"):
        kind = {"ambitie-title": title, "ambitie-result_kind": "probleem"}
        assert post_input(client, a, workshop, "ambitions", kind).status_code == 302
    for _ in range(3):
        move(client, a, workshop)
    step = {
        "samen-title": "Training plannen",
        "samen-owner_id": manager.id,
        "samen-due_date": DUE.isoformat(),
    }
    assert post_input(client, a, workshop, "joint_steps", step).status_code == 302
    db.session.expire_all()
    first, second = db.session.get(Workshop, workshop.id).ambitions
    joint = db.session.get(Workshop, workshop.id).joint_steps[0]
    shared_url = base(a, workshop) + f"/sessie/ambities/{first.id}"
    joint_url = base(a, workshop) + f"/sessie/stappen/{joint.id}"
    page = client.get(base(a, workshop) + "/sessie").get_data(as_text=True)
    assert f"/sessie/stappen/{joint.id}/verwijderen" in page and "Wijzigen" in page
    # Empty text: a Dutch message at the field, nothing changed.
    empty = client.post(shared_url, data={"title": " "})
    assert empty.status_code == 422 and "Dit veld is verplicht." in empty.get_data(as_text=True)
    empty = client.post(joint_url, data={"title": "", "owner_id": teamlid.id, "due_date": DUE.isoformat()})
    assert empty.status_code == 422 and "Dit veld is verplicht." in empty.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WorkshopAmbition, first.id).title == "Veilig op school"
    assert db.session.get(WorkshopJointStep, joint.id).owner_id == manager.id
    # Changing and removing.
    assert "Gezamenlijke ambitie wijzigen" in client.get(shared_url).get_data(as_text=True)
    form = client.get(joint_url).get_data(as_text=True)
    assert "Gezamenlijke stap wijzigen" in form and 'value="Training plannen"' in form
    assert client.post(shared_url, data={"title": "Elk kind veilig op school"}).status_code == 302
    later = DUE + timedelta(days=7)
    changed = {"title": "Kanjertraining plannen", "owner_id": teamlid.id, "due_date": later.isoformat()}
    assert client.post(joint_url, data=changed).status_code == 302
    assert client.post(base(a, workshop) + f"/sessie/ambities/{second.id}/verwijderen").status_code == 302
    db.session.expire_all()
    shared = db.session.get(Workshop, workshop.id).ambitions
    assert [s.title for s in shared] == ["Elk kind veilig op school"]
    joint = db.session.get(WorkshopJointStep, joint.id)
    assert (joint.title, joint.owner_id, joint.due_date) == ("Kanjertraining plannen", teamlid.id, later)
    # Another trajectory's (or session's) item is not found.
    other = make_trajectory(world["users"]["projectleider"], name="Ander traject")
    assert (
        client.get(f"/trajecten/{other.id}/werksessies/{workshop.id}/sessie/stappen/{joint.id}").status_code
        == 404
    )
    gone = f"/trajecten/{other.id}/werksessies/{workshop.id}/sessie/ambities/{first.id}/verwijderen"
    assert client.post(gone).status_code == 404
    # Once the session is in the work, both are refused and nothing changes.
    move(client, a, workshop)
    assert client.post(base(a, workshop) + "/sessie/afronden").status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == SessionStatus.AFGEROND
    refused = client.post(shared_url, data={"title": "Iets anders"})
    assert refused.status_code == 422 and "al naar het werk gebracht" in refused.get_data(as_text=True)
    removed = client.post(joint_url + "/verwijderen", follow_redirects=True)
    assert "al naar het werk gebracht" in removed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WorkshopAmbition, first.id).title == "Elk kind veilig op school"
    assert db.session.get(WorkshopJointStep, joint.id) is not None
