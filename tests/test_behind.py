"""Phase planning (planned start and target date), the 'achter' flag per phase, 'Wat loopt achter'
per trajectory and across trajectories, and the overview that shows it at a glance."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from tracker import demo
from tracker.extensions import db
from tracker.models import (
    Action,
    ActionSource,
    ActionStatus,
    Ballot,
    ChecklistItem,
    Color,
    ItemStatus,
    Layer,
    Phase,
    Role,
    Trajectory,
    Vote,
)
from tracker.trajectories.progress import progress_for

from .test_queries import count_queries, queries_for

TODAY = date.today()


def _days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def _phase(trajectory: Trajectory, number: int) -> Phase:
    return next(p for p in trajectory.phases if p.number == number)


def _cells(html: str) -> list[str]:
    """The cells of the overview's first trajectory row."""
    row = html.split('<tbody class="utrecht-table__body">', 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', row, re.S)


# --- the check of the issue: the demo's overview ----------------------------------------------------


def test_the_demo_overview_shows_at_a_glance_that_phase_2_is_behind_and_who_owns_its_overdue_items(
    app, client, demo_loaded
):
    client.post("/inloggen", data={"email": "anouk@demo.betersamen.nl", "password": demo.DEMO_PASSWORD})
    page = client.get("/trajecten").get_data(as_text=True)
    phase1, phase2, phase3, phase4 = _cells(page)[:4]
    assert "Achter" in phase2 and "2 te laat: Karin Bos, Sandra Mulder" in phase2
    assert "Streefdatum verstreken met 7 punten open" in phase2
    assert all("Achter" not in cell for cell in (phase1, phase3, phase4))
    # One click from the overview to what is behind, where each owner's overdue items are links.
    case = db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    assert f'href="/trajecten/{case.id}/achter"' in page and 'href="/achter"' in page
    behind = client.get(f"/trajecten/{case.id}/achter").get_data(as_text=True)
    for owner in ("Karin Bos", "Sandra Mulder"):
        section = behind.split(f">{owner}</h3>", 1)[1].split("</ul>", 1)[0]
        assert "Punt te laat" in section and f'href="/trajecten/{case.id}/items/' in section
    assert "Rode kaart zonder actie" in behind and "Mijlpaal te laat" in behind
    detail = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "app-path__step--behind" in detail and "Gepland: " in detail


# --- phase planning -----------------------------------------------------------------------------


SETTINGS = {
    "name": "Traject A",
    "theme": "Pesten",
    "target_groups": "",
    "area": "",
    "focus_layer": "uitvoerend",
    "start_date": "2026-01-05",
    "status": "actief",
    "coordinator_id": "",
}


def test_the_settings_page_plans_all_four_phases_at_once(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    dates = {f"phase{n}-planned_start": _days(30 * n) for n in range(1, 5)}
    dates |= {f"phase{n}-target_date": _days(30 * n + 29) for n in range(1, 5)}
    response = client.post(
        f"/trajecten/{a.id}/bewerken", data={**SETTINGS, **dates, "version": str(a.version)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    for n in range(1, 5):
        phase = _phase(db.session.get(Trajectory, a.id), n)
        assert (phase.planned_start, phase.target_date) == (
            TODAY + timedelta(days=30 * n),
            TODAY + timedelta(days=30 * n + 29),
        )
    form = client.get(f"/trajecten/{a.id}/bewerken").get_data(as_text=True)
    assert f'name="phase3-target_date" type="date" value="{_days(119)}"' in form


def test_a_target_date_before_the_start_is_refused_next_to_the_field(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    bad = {"phase2-planned_start": _days(10), "phase2-target_date": _days(5), "version": str(a.version)}
    response = client.post(f"/trajecten/{a.id}/bewerken", data={**SETTINGS, **bad})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    error = body.split('id="phase2-target_date-error">', 1)[1].split("</div>", 1)[0]
    assert "De streefdatum kan niet vóór de geplande start liggen." in error
    assert 'href="#phase2-target_date"' in body  # the error summary links to the field
    response = client.post(
        f"/trajecten/{a.id}/fasen/2/planning",
        data={"planned_start": _days(10), "target_date": _days(5), "version": str(a.version)},
    )
    assert response.status_code == 200 and 'id="target_date-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert _phase(db.session.get(Trajectory, a.id), 2).target_date is None


def test_project_leads_plan_one_phase_on_its_own_page(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    assert "Planning van deze fase wijzigen" in client.get(f"/trajecten/{a.id}/fasen/3").get_data(
        as_text=True
    )
    response = client.post(
        f"/trajecten/{a.id}/fasen/3/planning",
        data={"planned_start": _days(-20), "target_date": _days(-1), "version": str(a.version)},
    )
    assert response.headers["Location"] == f"/trajecten/{a.id}/fasen/3"
    db.session.expire_all()
    assert _phase(db.session.get(Trajectory, a.id), 3).target_date == TODAY - timedelta(days=1)
    page = client.get(f"/trajecten/{a.id}/fasen/3").get_data(as_text=True)
    assert "Achter" in page and "Streefdatum verstreken met" in page
    # Bad input: a date that is no date, a phase that does not exist.
    response = client.post(
        f"/trajecten/{a.id}/fasen/3/planning", data={"planned_start": "31-02-2026", "version": "1"}
    )
    assert response.status_code == 200 and "Vul een geldige datum in" in response.get_data(as_text=True)
    assert client.get(f"/trajecten/{a.id}/fasen/9/planning").status_code == 404


def test_only_project_leads_plan_phases(client, login, world):
    a = world["a"]
    for role in ("manager", "teamlid", "meekijker", "outsider"):
        login(world["users"][role])
        assert client.get(f"/trajecten/{a.id}/fasen/2/planning").status_code == 403, role
        response = client.post(
            f"/trajecten/{a.id}/fasen/2/planning", data={"target_date": _days(-1), "version": str(a.version)}
        )
        assert response.status_code == 403, role
        phase_page = client.get(f"/trajecten/{a.id}/fasen/2").get_data(as_text=True)
        assert "Planning van deze fase wijzigen" not in phase_page
        client.post("/uitloggen")
    db.session.expire_all()
    assert _phase(db.session.get(Trajectory, a.id), 2).target_date is None


def test_a_concurrent_change_of_the_planning_is_reported_not_lost(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    version = a.version
    url = f"/trajecten/{a.id}/fasen/2/planning"
    assert client.post(url, data={"target_date": _days(40), "version": str(version)}).status_code == 302
    response = client.post(url, data={"target_date": _days(50), "version": str(version)})
    assert response.status_code == 200 and "Iemand anders heeft dit opgeslagen" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert _phase(db.session.get(Trajectory, a.id), 2).target_date == TODAY + timedelta(days=40)


# --- the flag ---------------------------------------------------------------------------------


def _items(trajectory: Trajectory, number: int) -> list[ChecklistItem]:
    return [i for s in _phase(trajectory, number).sections for i in s.items]


def test_a_phase_is_behind_past_its_target_date_with_open_items_or_with_overdue_items(world):
    a = world["a"]
    phase = _phase(a, 2)
    phase.target_date = TODAY - timedelta(days=1)
    db.session.commit()
    p = progress_for([a.id])[a.id].phase(2)
    assert p.behind and p.past_target and p.overdue == 0
    # Everything applicable done (the rest not applicable): no longer behind.
    for index, item in enumerate(_items(a, 2)):
        item.status = ItemStatus.AFGEROND if index % 2 else ItemStatus.NVT
    db.session.commit()
    assert not progress_for([a.id])[a.id].phase(2).behind
    # No planning, but an overdue item: behind, and its owner is named.
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    item = _items(a, 3)[0]
    item.due_date, item.owner_id = TODAY - timedelta(days=1), teamlid.id
    db.session.commit()
    p3 = progress_for([a.id])[a.id].phase(3)
    assert p3.behind and p3.overdue == 1 and p3.overdue_owners == ["Tim Teamlid"]
    assert not progress_for([a.id])[a.id].phase(4).behind


def test_planned_against_actual(world):
    a = world["a"]
    phase = _phase(a, 1)
    phase.planned_start, phase.target_date = TODAY - timedelta(days=50), TODAY + timedelta(days=50)
    db.session.commit()
    p = progress_for([a.id])[a.id].phase(1)
    assert p.expected_percent == 50 and p.percent == 0 and not p.behind


# --- Wat loopt achter ---------------------------------------------------------------------------


def _red_cards(world, *, with_action: bool) -> str:
    """Two red cards on the closed round's first factor; with or without an action made from it."""
    from tracker.actions import services as actions

    a, closed = world["a"], world["round"]
    factor = closed.factors[0]
    for member in a.memberships[:2]:
        ballot = Ballot(round_id=closed.id, membership_id=member.id, layer=member.layer.value)
        ballot.votes.append(Vote(factor=factor["key"], color=Color.ROOD))
        db.session.add(ballot)
    if with_action:
        actions.create_action(
            a,
            world["plan"],
            actions.ActionValues(title="Opvolging rode kaart", owner_id=None),
            source=(ActionSource.RED_CARD, closed.id),
            source_key=factor["key"],
        )
    db.session.commit()
    return factor["title"]


def test_what_is_behind_lists_every_kind_grouped_by_layer_and_owner_each_a_link(client, login, world):
    a = world["a"]
    manager = next(m for m in a.memberships if m.role == Role.MANAGER)
    item = _items(a, 2)[0]
    item.due_date, item.owner_id = TODAY - timedelta(days=3), manager.id
    blocked = db.session.get(Action, world["action"].id)
    blocked.due_date, blocked.status = TODAY + timedelta(days=30), ActionStatus.GEBLOKKEERD
    db.session.commit()
    factor = _red_cards(world, with_action=False)
    login(world["users"]["meekijker"])
    page = client.get(f"/trajecten/{a.id}/achter").get_data(as_text=True)
    management = page.split('id="laag-management"', 1)[1].split("</section>", 1)[0]
    assert ">Manon Manager</h3>" in management and "Punt te laat" in management
    assert f'href="/trajecten/{a.id}/items/{item.id}"' in management
    professional = page.split('id="laag-uitvoerend"', 1)[1].split("</section>", 1)[0]
    assert ">Pia Projectleider</h3>" in professional
    assert (
        f'href="/trajecten/{a.id}/acties/{blocked.id}"' in professional
        and "Actie geblokkeerd" in professional
    )
    assert f'href="/trajecten/{a.id}/mijlpalen/{world["milestone"].id}"' in professional
    assert "Mijlpaal te laat" in professional  # its date has passed
    nobody = page.split('id="laag-geen"', 1)[1].split("</section>", 1)[0]
    assert factor in nobody and "Rode kaart zonder actie" in nobody and "2 rode kaarten in 2025 K4" in nobody
    assert f'href="/trajecten/{a.id}/evaluaties/{world["round"].id}#follow-heading"' in nobody
    # A layer filter; a layer that does not exist is a 404, not a 500.
    only = client.get(f"/trajecten/{a.id}/achter?laag=management").get_data(as_text=True)
    assert "Manon Manager" in only and "Pia Projectleider" not in only
    assert client.get(f"/trajecten/{a.id}/achter?laag=directie").status_code == 404
    assert client.get("/achter?laag=directie").status_code == 404


def test_a_red_card_followed_by_an_action_is_not_behind(client, login, world):
    factor = _red_cards(world, with_action=True)
    login(world["users"]["teamlid"])
    page = client.get(f"/trajecten/{world['a'].id}/achter").get_data(as_text=True)
    assert "Rode kaart zonder actie" not in page and factor not in page


def test_nothing_behind_says_so(client, login, make_user, make_trajectory):
    lead = make_user()
    t = make_trajectory(lead)
    login(lead)
    assert "Er loopt niets achter." in client.get(f"/trajecten/{t.id}/achter").get_data(as_text=True)
    assert "Er loopt niets achter." in client.get("/achter").get_data(as_text=True)


def test_across_trajectories_only_what_the_user_may_see(client, login, world):
    a, b = world["a"], world["b"]
    item = _items(b, 1)[0]
    item.due_date, item.owner_id = TODAY - timedelta(days=1), b.memberships[0].id
    db.session.commit()
    login(world["users"]["teamlid"])
    page = client.get("/achter").get_data(as_text=True)
    assert "Traject A" in page and "Bijeenkomst organiseren" in page
    assert "Traject B" not in page and item.text not in page
    client.post("/uitloggen")
    login(world["users"]["outsider"])
    assert client.get(f"/trajecten/{a.id}/achter").status_code == 403
    page = client.get("/achter").get_data(as_text=True)
    assert "Traject B" in page and "Bijeenkomst organiseren" not in page and "Traject A" not in page
    assert client.get("/trajecten/999999/achter").status_code == 404


# --- bounded queries ----------------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """``n`` overdue items, actions and milestones at risk, spread over the members."""
    from tracker.actions import services as actions
    from tracker.plans import services as plans

    a = world["a"]
    members = a.memberships
    section = _phase(a, 2).sections[0]
    for i in range(n):
        owner = members[i % len(members)]
        db.session.add(
            ChecklistItem(
                trajectory=a,
                section=section,
                position=100 + i,
                text=f"Extra {i}",
                is_custom=True,
                owner_id=owner.id,
                accountable_layer=list(Layer)[i % 3] if i % 2 else None,
                due_date=TODAY + timedelta(days=(i % 20) - 10),
            )
        )
        milestone = plans.create_milestone(
            a,
            world["plan"],
            plans.MilestoneValues(title=f"Mijlpaal {i}", target_date=TODAY + timedelta(days=i % 9)),
        )
        actions.create_action(
            a,
            world["plan"],
            actions.ActionValues(
                title=f"Actie {i}",
                owner_id=owner.id,
                due_date=TODAY + timedelta(days=(i % 20) - 10),
                status=list(ActionStatus)[i % 5],
                milestone_id=milestone.id,
            ),
        )
    db.session.commit()


def test_the_pages_issue_the_same_queries_for_few_and_many_records(client, login, world):
    a = world["a"]
    _red_cards(world, with_action=False)
    phase = _phase(a, 2)
    phase.planned_start, phase.target_date = TODAY - timedelta(days=60), TODAY - timedelta(days=1)
    db.session.commit()
    login(world["users"]["manager"])
    urls = [
        "/trajecten",
        f"/trajecten/{a.id}",
        f"/trajecten/{a.id}/fasen/2",
        f"/trajecten/{a.id}/achter",
        "/achter",
    ]
    _grow(world, 1)
    before = {url: queries_for(client, url) for url in urls}
    _grow(world, 120)
    assert {url: queries_for(client, url) for url in urls} == before


def test_progress_and_behind_are_bounded_in_the_number_of_trajectories(
    client, login, make_user, make_trajectory
):
    lead = make_user()

    def trajectory(name: str) -> None:
        t = make_trajectory(lead, name=name)
        item = t.items[0]
        item.due_date, item.owner_id = TODAY - timedelta(days=2), t.memberships[0].id
        _phase(t, 1).target_date = TODAY - timedelta(days=1)
        db.session.commit()

    trajectory("Eerste")
    login(lead)
    ids = list(db.session.scalars(sa.select(Trajectory.id)))
    with count_queries() as counter:
        progress_for(ids)
    assert counter["n"] == 3
    few = {url: queries_for(client, url) for url in ("/trajecten", "/achter")}
    for i in range(8):
        trajectory(f"Traject {i}")
    assert {url: queries_for(client, url) for url in ("/trajecten", "/achter")} == few


# --- transfer -------------------------------------------------------------------------------------


def test_the_export_carries_the_planning_of_the_phases_and_the_import_restores_it(world):
    from tracker.transfer import export_trajectory, import_trajectory

    a = world["a"]
    _phase(a, 2).planned_start, _phase(a, 2).target_date = date(2026, 2, 1), date(2026, 4, 30)
    db.session.commit()
    document = export_trajectory(a)
    phase2 = next(p for p in document["phases"] if p["number"] == 2)
    assert (phase2["planned_start"], phase2["target_date"]) == ("2026-02-01", "2026-04-30")
    copy, _created = import_trajectory(document)
    db.session.commit()
    assert (_phase(copy, 2).planned_start, _phase(copy, 2).target_date) == (
        date(2026, 2, 1),
        date(2026, 4, 30),
    )
    assert _phase(copy, 1).target_date is None
    # A document written before phases had a planning still reads.
    for phase in document["phases"]:
        del phase["planned_start"], phase["target_date"]
    older, _created = import_trajectory(document)
    db.session.commit()
    assert all(p.planned_start is None and p.target_date is None for p in older.phases)


def test_the_overview_and_the_trajectory_page_show_planned_against_actual(client, login, world):
    a = world["a"]
    phase = _phase(a, 1)
    phase.planned_start, phase.target_date = TODAY - timedelta(days=50), TODAY + timedelta(days=50)
    db.session.commit()
    login(world["users"]["teamlid"])
    overview = _cells(client.get("/trajecten").get_data(as_text=True))[0]
    assert "Verwacht op dit moment: 50%, afgerond: 0%" in overview and "Streefdatum: " in overview
    detail = client.get(f"/trajecten/{a.id}").get_data(as_text=True)
    assert "Verwacht op dit moment: 50%, afgerond: 0%" in detail and "Gepland: " in detail
    assert "Nog geen planning" in detail  # phases 2 to 4
