"""Trajectories: creation from the template, members, decisions, reflection, layers, my work."""

from __future__ import annotations

from datetime import date, timedelta

from tracker import content
from tracker.extensions import db
from tracker.models import ChecklistItem, Decision, ItemStatus, Layer, Membership, Role, Trajectory


def test_starting_a_trajectory_copies_the_four_phases_and_makes_me_project_lead(
    client, login, make_user, make_org
):
    user = make_user()
    org = make_org("GGD Midden-Stad")
    login(user)
    response = client.post(
        "/trajecten/nieuw",
        data={
            "name": "Pesten Rivierenwijk",
            "theme": "Preventie van pesten",
            "target_groups": "Jeugd 12-16",
            "area": "Rivierenwijk",
            "focus_layer": "uitvoerend",
            "start_date": "2026-02-01",
            "organisation_id": str(org.id),
            "layer": "uitvoerend",
        },
    )
    assert response.status_code == 302
    trajectory = db.session.scalar(db.select(Trajectory))
    assert [p.number for p in trajectory.phases] == [1, 2, 3, 4]
    assert db.session.scalar(db.select(db.func.count(ChecklistItem.id))) == 60
    assert trajectory.memberships[0].role == Role.PROJECTLEIDER
    assert trajectory.coordinator_id == user.id
    page = client.get(f"/trajecten/{trajectory.id}/fasen/1").get_data(as_text=True)
    assert "Wat is de ambitie?" in page and "Externe analyse" in page


def test_creating_with_bad_input_keeps_what_was_typed_and_stores_nothing(client, login, make_user, make_org):
    login(make_user())
    make_org()
    response = client.post(
        "/trajecten/nieuw",
        data={
            "name": "Mijn traject",
            "theme": "",
            "focus_layer": "zwaartepunt",
            "start_date": "31-02-2026",
            "organisation_id": "999",
            "layer": "uitvoerend",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit veld is verplicht." in body
    assert "Vul een geldige datum in" in body
    assert "Kies een van de mogelijkheden." in body
    assert 'value="Mijn traject"' in body and 'value="31-02-2026"' in body
    assert db.session.scalar(db.select(db.func.count(Trajectory.id))) == 0


def test_dutch_dates_are_accepted(client, login, make_user, make_org):
    login(make_user())
    org = make_org()
    client.post(
        "/trajecten/nieuw",
        data={
            "name": "T",
            "theme": "Thema",
            "focus_layer": "bestuur",
            "start_date": "15-03-2026",
            "organisation_id": str(org.id),
            "layer": "bestuur",
        },
    )
    assert db.session.scalar(db.select(Trajectory.start_date)) == date(2026, 3, 15)


def test_editing_the_template_never_rewrites_a_running_trajectory(make_trajectory, monkeypatch):
    trajectory = make_trajectory()
    original = content.handreiking()
    changed = {**original, "phases": [dict(p) for p in original["phases"]]}
    changed["phases"][0] = {**changed["phases"][0], "title": "Gewijzigde titel"}
    monkeypatch.setattr(content, "handreiking", lambda: changed)
    db.session.expire_all()
    assert trajectory.phases[0].title == "Externe en interne analyse"


def test_admin_adds_a_member_with_organisation_layer_and_role(client, login, world, make_user, make_org):
    # Since issue 9 part 7 a project lead invites (tests/test_invitations.py); an administrator,
    # who sees all accounts anyway, still adds an existing account directly.
    newcomer = make_user("Nieuwe Partner", email="partner@example.org")
    org = make_org("Welzijn Midden-Stad")
    a = world["a"]
    login(world["users"]["admin"])
    response = client.post(
        f"/trajecten/{a.id}/leden",
        data={
            "email": "Partner@Example.org",
            "organisation_id": str(org.id),
            "layer": "bestuur",
            "role": "meekijker",
        },
    )
    assert response.status_code == 302
    m = db.session.scalar(db.select(Membership).where(Membership.user_id == newcomer.id))
    assert (m.layer, m.role, m.organisation_id) == (Layer.BESTUUR, Role.MEEKIJKER, org.id)


def test_adding_an_unknown_or_existing_member_gives_a_message(client, login, world):
    a = world["a"]
    org_id = a.memberships[0].organisation_id
    login(world["users"]["projectleider"])
    unknown = client.post(
        f"/trajecten/{a.id}/leden",
        data={
            "email": "niemand@example.org",
            "organisation_id": str(org_id),
            "layer": "bestuur",
            "role": "teamlid",
        },
    )
    # Issue 9 part 7: an unknown address is invited, with no word about whether it has an account.
    assert unknown.status_code == 302
    assert "Uitnodiging verstuurd naar niemand@example.org" in client.get(
        unknown.headers["Location"]
    ).get_data(as_text=True)
    again = client.post(
        f"/trajecten/{a.id}/leden",
        data={
            "email": world["users"]["teamlid"].email,
            "organisation_id": str(org_id),
            "layer": "bestuur",
            "role": "teamlid",
        },
    )
    assert "al lid van het traject" in again.get_data(as_text=True)


def test_the_last_project_lead_cannot_be_demoted_or_removed(client, login, world):
    a = world["a"]
    lead = next(m for m in a.memberships if m.role == Role.PROJECTLEIDER)
    login(world["users"]["projectleider"])
    response = client.post(
        f"/trajecten/{a.id}/leden/{lead.id}",
        data={"organisation_id": str(lead.organisation_id), "layer": "uitvoerend", "role": "teamlid"},
    )
    assert "minstens één projectleider" in response.get_data(as_text=True)
    client.post(f"/trajecten/{a.id}/leden/{lead.id}/verwijderen")
    db.session.expire_all()
    assert db.session.get(Membership, lead.id).role == Role.PROJECTLEIDER


def test_removing_a_member_leaves_their_items_without_owner(client, login, world):
    a = world["a"]
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    item = a.items[0]
    item.owner_id = teamlid.id
    db.session.commit()
    item_id, membership_id = item.id, teamlid.id
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/leden/{membership_id}/verwijderen"
    # Removal now asks first what happens with their work (issue 9): without a choice nothing changes.
    assert "Kies" in client.post(url).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, membership_id) is not None
    client.post(url, data={"successor": "niemand"})
    db.session.expire_all()
    assert db.session.get(ChecklistItem, item_id).owner_id is None
    assert db.session.get(Membership, membership_id) is None


def test_phase1_go_needs_vision_and_ambition(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase1/nieuw"
    data = {
        "outcome": "wenselijk",
        "rationale": "Grote zorgen",
        "decided_by": "Overleg",
        "decided_on": "2026-03-01",
    }
    response = client.post(url, data=data)
    body = response.get_data(as_text=True)
    assert "Bij een go hoort de gedeelde visie." in body and "Grote zorgen" in body
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0
    # Phase 1 still has open questions: the go is confirmed (see tests/test_confirmations.py).
    response = client.post(
        url, data={**data, "shared_vision": "Samen", "shared_ambition": "Minder pesten", "confirm_open": "y"}
    )
    assert response.status_code == 302
    detail = client.get(f"/trajecten/{a.id}").get_data(as_text=True)
    assert "Samenwerking wenselijk (go)" in detail and "Minder pesten" in detail


def test_investigate_first_lists_open_questions_and_decisions_keep_history(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase1/nieuw"
    base = {"rationale": "R", "decided_by": "Overleg", "decided_on": "2026-03-01"}
    bad = client.post(url, data={**base, "outcome": "eerst_uitzoeken"})
    assert "Noem de vragen die eerst uitgezocht moeten worden." in bad.get_data(as_text=True)
    client.post(
        url, data={**base, "outcome": "eerst_uitzoeken", "open_questions": "Hoe wordt het bekostigd?"}
    )
    client.post(
        url,
        data={
            **base,
            "outcome": "wenselijk",
            "decided_on": "2026-04-01",
            "shared_vision": "V",
            "shared_ambition": "A",
            "confirm_open": "y",
        },
    )
    history = client.get(f"/trajecten/{a.id}/besluiten").get_data(as_text=True)
    assert "Eerst uitzoeken" in history and "Samenwerking wenselijk (go)" in history
    assert history.index("Samenwerking wenselijk") < history.index("Eerst uitzoeken")


def test_formal_phase4_decision_requires_the_agreement(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    url = f"/trajecten/{a.id}/besluiten/fase4/nieuw"
    base = {
        "outcome": "formeel",
        "rationale": "R",
        "decided_by": "Bestuurlijk overleg",
        "decided_on": "2026-06-01",
    }
    body = client.post(url, data=base).get_data(as_text=True)
    for message in (
        "noemt het doel",
        "noemt de doelgroep",
        "waaruit de samenwerking bestaat",
        "wie de regie voert",
        "elkaar kunnen aanspreken",
    ):
        assert message in body
    ok = client.post(
        url,
        data={
            **base,
            "agreement_goal": "Doel",
            "agreement_target_groups": "Jeugd",
            "agreement_consists_of": "Overleg",
            "agreement_direction": "GGD",
            "agreement_accountability": "Afspraken",
        },
    )
    assert ok.status_code == 302
    informal = client.post(url, data={**base, "outcome": "informeel"})
    assert informal.status_code == 302


def test_start_reflection_is_saved_and_read_only_for_observers(client, login, world):
    a = world["a"]
    login(world["users"]["teamlid"])
    data = {
        "aspects-0-aspect_key": "ouder_kind_centraal",
        "aspects-0-movement": "deels",
        "aspects-0-note": "We betrekken ouders nog te laat.",
    }
    assert client.post(f"/trajecten/{a.id}/startreflectie", data=data).status_code == 302
    db.session.expire_all()
    reflection = next(r for r in a.reflections if r.aspect_key == "ouder_kind_centraal")
    assert reflection.note == "We betrekken ouders nog te laat."
    observer = client.application.test_client()
    observer.post(
        "/inloggen",
        data={"email": world["users"]["meekijker"].email, "password": "een lange zin als wachtwoord"},
    )
    page = observer.get(f"/trajecten/{a.id}/startreflectie").get_data(as_text=True)
    assert "We betrekken ouders nog te laat." in page and "Reflectie opslaan" not in page


def test_layer_view_shows_tabel1_guidance_and_the_layers_items(client, login, world):
    a = world["a"]
    manager = next(m for m in a.memberships if m.role == Role.MANAGER)
    item = a.items[3]
    item.owner_id = manager.id
    db.session.commit()
    login(world["users"]["meekijker"])
    page = client.get(f"/trajecten/{a.id}/lagen/management").get_data(as_text=True)
    assert "Faciliteren, enthousiasmeren, stimuleren, vertalen in beleidstermen" in page
    assert item.text in page
    assert client.get(f"/trajecten/{a.id}/lagen/onbekend").status_code == 404


def test_tabel1_page_merges_the_bestuur_cell_over_phases_two_and_three(client, login, world):
    login(world["users"]["teamlid"])
    page = client.get(f"/trajecten/{world['a'].id}/tabel-1").get_data(as_text=True)
    assert 'colspan="2">Enthousiasmeren en vertrouwen.' in page


def test_my_work_lists_my_items_overdue_first_then_by_due_date(client, login, world):
    a = world["a"]
    me = next(m for m in a.memberships if m.role == Role.TEAMLID)
    today = date.today()
    later, overdue, undated, done = a.items[0], a.items[1], a.items[2], a.items[3]
    for item, due in (
        (later, today + timedelta(days=10)),
        (overdue, today - timedelta(days=2)),
        (undated, None),
        (done, today - timedelta(days=30)),
    ):
        item.owner_id, item.due_date = me.id, due
    done.status = ItemStatus.AFGEROND
    db.session.commit()
    login(world["users"]["teamlid"])
    page = client.get("/mijn-werk").get_data(as_text=True)
    positions = [page.index(i.text) for i in (overdue, later, undated)]
    assert positions == sorted(positions)
    assert done.text not in page
    assert "Te laat" in page
    assert done.text in client.get("/mijn-werk?alles=1").get_data(as_text=True)


def test_overview_shows_phase_progress(client, login, world):
    a = world["a"]
    for item in a.phases[0].sections[0].items[:10]:
        item.status = ItemStatus.AFGEROND
    a.phases[0].sections[0].items[10].status = ItemStatus.NVT
    db.session.commit()
    login(world["users"]["teamlid"])
    page = client.get(f"/trajecten/{a.id}").get_data(as_text=True)
    assert "10 van 31 afgerond (32%)" in page
