"""The work inside the phases: network map, meetings, client path, ambitions, workshop."""

from __future__ import annotations

import io

from tracker.extensions import db
from tracker.models import Action, Agreement, Ambition, NetworkPartner, ProcessStep, Role, WorkshopParticipant

from .fixtures_world import PNG


def test_partner_table_and_printable_network_map(client, login, world, make_org):
    org = make_org("Welzijn Midden-Stad")
    a = world["a"]
    login(world["users"]["teamlid"])
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    response = client.post(
        f"/trajecten/{a.id}/netwerk",
        data={
            "organisation_id": str(org.id),
            "contribution": "Jongerenwerk",
            "ambition": "Activiteiten na school",
            "perception": "deels",
            "direction": "Meer wijkgericht",
            "relation": "informeel",
            "contact_id": str(teamlid.id),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/trajecten/{a.id}/netwerk").get_data(as_text=True)
    assert "Welzijn Midden-Stad" in page and "Deels" in page and "Informeel" in page and "Tim Teamlid" in page
    again = client.post(f"/trajecten/{a.id}/netwerk", data={"organisation_id": str(org.id)})
    assert "staat al in de netwerktabel" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(NetworkPartner.id))) == 2


def test_meeting_with_guests_outcomes_and_agreements_that_become_actions(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    lead = a.memberships[0]
    response = client.post(
        f"/trajecten/{a.id}/bijeenkomsten/nieuw",
        data={
            "held_on": "2026-03-10",
            "place": "Buurthuis",
            "purpose": "Bevindingen delen",
            "attendee_ids": [str(m.id) for m in a.memberships[:2]],
            "guests": "Ilse Docent; Rivierencollege; uitvoerend",
            "outcome_uitvoerend": "Signalen bundelen",
            "outcome_mixed": "Samen optrekken",
        },
    )
    assert response.status_code == 302
    meeting_url = response.headers["Location"]
    from tracker.models import Meeting

    current = db.session.scalar(db.select(Meeting).where(Meeting.place == "Buurthuis"))
    bad_guest = client.post(
        meeting_url,
        data={
            "held_on": "2026-03-10",
            "purpose": "x",
            "guests": "Ilse; School; directeur",
            "version": str(current.version),
        },
    )
    assert "Schrijf elke gast als" in bad_guest.get_data(as_text=True)
    no_owner = client.post(
        meeting_url + "/afspraken",
        data={"afspraak-text": "Dossieranalyse", "afspraak-owner_id": "", "afspraak-due_date": "2026-04-01"},
    )
    assert no_owner.status_code == 422 and "Dit veld is verplicht." in no_owner.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Agreement.id))) == 0
    ok = client.post(
        meeting_url + "/afspraken",
        data={
            "afspraak-text": "Dossieranalyse door de huisarts",
            "afspraak-owner_id": str(lead.id),
            "afspraak-due_date": "2026-04-01",
        },
    )
    assert ok.status_code == 302
    agreement = db.session.scalar(db.select(Agreement))
    action = db.session.get(Action, agreement.action_id)
    assert (action.source_type, action.source_id, action.owner_id) == (
        "meeting_agreement",
        agreement.id,
        lead.id,
    )
    timeline = client.get(f"/trajecten/{a.id}/bijeenkomsten").get_data(as_text=True)
    assert "Buurthuis" in timeline and "1 afspraak<" in timeline


def test_client_path_swimlane_and_bottleneck_action(client, login, world, make_org):
    a = world["a"]
    school = make_org("Rivierencollege")
    login(world["users"]["teamlid"])
    client.post(
        f"/trajecten/{a.id}/proces",
        data={
            "title": "Toeleiding",
            "function": "Doorverwijzen",
            "organisation_ids": [str(school.id)],
            "waiting": "y",
            "bottleneck": "Zes weken wachten",
            "solution": "Afspraken met GGZ",
        },
    )
    page = client.get(f"/trajecten/{a.id}/proces").get_data(as_text=True)
    assert "Rivierencollege voert stap 2 uit" in page and "wachttijd" in page
    step = db.session.scalar(db.select(ProcessStep).where(ProcessStep.title == "Toeleiding"))
    client.post(f"/trajecten/{a.id}/proces/{step.id}/verplaatsen", data={"richting": "omhoog"})
    db.session.refresh(step)
    assert step.position == 1
    response = client.post(f"/trajecten/{a.id}/proces/{step.id}/actie")
    action = db.session.scalar(db.select(Action).where(Action.source_type == "process_step"))
    assert action.title == "Knelpunt oplossen: Toeleiding" and "Zes weken wachten" in action.description
    assert response.headers["Location"].endswith(f"/acties/{action.id}")


def test_at_most_three_active_ambitions_and_objectives_with_actions(client, login, world):
    a = world["a"]
    login(world["users"]["teamlid"])
    for title in ("Veilig buiten spelen", "Ouders betrekken"):
        client.post(
            f"/trajecten/{a.id}/ambities",
            data={
                "title": title,
                "result_kind": "beschermende_factor",
                "result": "Meer kinderen voelen zich veilig",
                "active": "y",
            },
        )
    fourth = client.post(
        f"/trajecten/{a.id}/ambities",
        data={"title": "Nog een", "result_kind": "probleem", "result": "x", "active": "y"},
    )
    assert "maximaal drie actieve gedeelde ambities" in fourth.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Ambition.id)).where(Ambition.active.is_(True))) == 3
    ambition = world["ambition"]
    client.post(
        f"/trajecten/{a.id}/ambities/{ambition.id}", data={"doel-text": "Pestmeldingen halveren in 2027"}
    )
    objective = (
        ambition.objectives[0]
        if ambition.objectives
        else db.session.scalar(db.select(Ambition).where(Ambition.id == ambition.id)).objectives[0]
    )
    client.post(
        f"/trajecten/{a.id}/acties/nieuw",
        data={
            "plan_id": str(world["plan"].id),
            "title": "Anti-pestprogramma kiezen",
            "owner_id": str(a.memberships[0].id),
            "status": "gepland",
            "stage": "plan",
            "objective_id": str(objective.id),
        },
    )
    page = client.get(f"/trajecten/{a.id}/ambities").get_data(as_text=True)
    assert (
        page.index("Minder pesten")
        < page.index("Pestmeldingen halveren in 2027")
        < page.index("Anti-pestprogramma kiezen")
    )


def test_workshop_participants_notes_grades_clustering_and_first_steps(client, login, world):
    a, workshop = world["a"], world["workshop"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/werksessies/{workshop.id}"
    for member in a.memberships[:3]:
        client.post(
            url,
            data={
                "stap": "deelnemer",
                "deelnemer-membership_id": str(member.id),
                "deelnemer-role": "partner",
            },
        )
    participants = db.session.scalars(db.select(WorkshopParticipant)).all()
    assert len(participants) == 3
    first = participants[0]
    client.post(
        url,
        data={
            "stap": "notitie",
            "notitie-participant_id": str(first.id),
            "notitie-category": "beter",
            "notitie-text": "Ouders zitten niet aan tafel",
        },
    )
    bad = client.post(url, data={"stap": f"cijfer-{first.id}", f"p{first.id}-grade": "11"})
    assert "Een cijfer van 1 tot 10." in bad.get_data(as_text=True)
    client.post(
        url,
        data={
            "stap": f"cijfer-{first.id}",
            f"p{first.id}-grade": "6",
            f"p{first.id}-first_step": "Ouders uitnodigen voor de volgende bijeenkomst",
        },
    )
    db.session.expire_all()
    first = db.session.get(WorkshopParticipant, first.id)
    action = db.session.get(Action, first.action_id)
    assert (
        first.grade == 6 and action.owner_id == first.membership_id and action.source_type == "workshop_step"
    )
    note = db.session.scalar(db.select(Ambition).where(Ambition.id == world["ambition"].id))
    client.post(
        url,
        data={"stap": "clusteren", f"ambitie-{workshop.notes[0].id if workshop.notes else 1}": str(note.id)},
    )
    page = client.get(url).get_data(as_text=True)
    assert "Nulmeting" in page and "<strong>6,0</strong>" in page


def test_photo_upload_only_images_within_the_limit_served_only_to_members(app, client, login, world):
    a, workshop = world["a"], world["workshop"]
    login(world["users"]["teamlid"])
    url = f"/trajecten/{a.id}/werksessies/{workshop.id}/foto"
    before = workshop.photo
    not_image = client.post(
        url, data={"foto-photo": (io.BytesIO(b"%PDF-1.4 ..."), "vel.png")}, follow_redirects=True
    )
    assert "Alleen afbeeldingen" in not_image.get_data(as_text=True)
    app.config["UPLOAD_MAX_BYTES"] = 100
    too_big = client.post(
        url, data={"foto-photo": (io.BytesIO(PNG + b"0" * 200), "vel.png")}, follow_redirects=True
    )
    assert "groter dan" in too_big.get_data(as_text=True)
    db.session.refresh(workshop)
    assert workshop.photo == before
    app.config["UPLOAD_MAX_BYTES"] = 5 * 1024 * 1024
    client.post(url, data={"foto-photo": (io.BytesIO(PNG), "vel.png")})
    photo = client.get(url)
    assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data == PNG
    outsider = app.test_client()
    outsider.post(
        "/inloggen",
        data={"email": world["users"]["outsider"].email, "password": "een lange zin als wachtwoord"},
    )
    assert outsider.get(url).status_code == 403


def test_an_action_links_back_to_its_meeting_step_or_workshop(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    meeting = world["meeting"]
    client.post(
        f"/trajecten/{a.id}/bijeenkomsten/{meeting.id}/afspraken",
        data={
            "afspraak-text": "Verslag rondsturen",
            "afspraak-owner_id": str(a.memberships[0].id),
            "afspraak-due_date": "2026-05-01",
        },
    )
    agreement = db.session.scalar(db.select(Agreement))
    page = client.get(f"/trajecten/{a.id}/acties/{agreement.action_id}").get_data(as_text=True)
    assert "Werkafspraak uit de bijeenkomst van" in page and f"/bijeenkomsten/{meeting.id}" in page
