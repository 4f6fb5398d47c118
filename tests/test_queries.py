"""Lists and dashboards issue a bounded number of queries, whatever the number of rows."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import ChecklistItem, Layer, Role


@contextmanager
def count_queries():
    counter = {"n": 0}

    def before(*_args, **_kwargs):
        counter["n"] += 1

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def queries_for(client, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter["n"]


def _grow(a, me, n: int) -> None:
    section = a.phases[0].sections[0]
    for i in range(n):
        db.session.add(
            ChecklistItem(
                trajectory=a,
                section=section,
                position=100 + i,
                text=f"Extra {i}",
                is_custom=True,
                owner_id=me.id,
                due_date=date.today() + timedelta(days=i % 30),
            )
        )
    db.session.commit()


def test_trajectory_list_query_count_does_not_grow_with_trajectories(
    client, login, make_user, make_trajectory
):
    lead = make_user()
    make_trajectory(lead, name="Eerste")
    login(lead)
    few = queries_for(client, "/trajecten")
    for i in range(8):
        make_trajectory(lead, name=f"Traject {i}", members={"teamlid": make_user()})
    assert queries_for(client, "/trajecten") == few


def test_pages_of_a_trajectory_issue_the_same_queries_for_60_and_260_items(client, login, world):
    a = world["a"]
    me = next(m for m in a.memberships if m.role == Role.TEAMLID)
    login(world["users"]["teamlid"])
    urls = [
        f"/trajecten/{a.id}",
        f"/trajecten/{a.id}/fasen/1",
        f"/trajecten/{a.id}/lagen/uitvoerend",
        "/mijn-werk",
    ]
    _grow(a, me, 5)
    before = {url: queries_for(client, url) for url in urls}
    _grow(a, me, 200)
    after = {url: queries_for(client, url) for url in urls}
    assert after == before


def test_members_page_is_bounded(client, login, world, make_user):
    from tracker.members.services import add_member

    a = world["a"]
    login(world["users"]["projectleider"])
    before = queries_for(client, f"/trajecten/{a.id}/leden")
    for _ in range(15):
        add_member(a, make_user(), a.memberships[0].organisation, Layer.UITVOEREND, Role.TEAMLID)
    db.session.commit()
    assert queries_for(client, f"/trajecten/{a.id}/leden") == before


def test_overview_matrix_and_lists_issue_the_same_queries_for_10_and_1000_actions(
    client, login, world, make_actions
):
    a = world["a"]
    login(world["users"]["manager"])
    urls = [
        "/trajecten",
        "/acties",
        f"/trajecten/{a.id}/acties",
        f"/trajecten/{a.id}/acties?laag=uitvoerend",
        f"/trajecten/{a.id}/plannen",
        f"/trajecten/{a.id}/plannen/{world['plan'].id}",
        "/mijn-werk",
        f"/trajecten/{a.id}/acties.csv",
        f"/trajecten/{a.id}/mijlpalen.csv",
    ]
    make_actions(9)
    before = {url: queries_for(client, url) for url in urls}
    make_actions(990)
    after = {url: queries_for(client, url) for url in urls}
    assert after == before


def test_network_pages_are_bounded(client, login, world, make_org):
    from datetime import date

    from tracker.meetings import services as meetings_services
    from tracker.models import Layer, Meeting, NetworkPartner, ProcessStep, WorkshopNote, WorkshopParticipant
    from tracker.workshops import services as workshops_services

    a, workshop = world["a"], world["workshop"]
    login(world["users"]["teamlid"])
    urls = [
        f"/trajecten/{a.id}/netwerk",
        f"/trajecten/{a.id}/bijeenkomsten",
        f"/trajecten/{a.id}/proces",
        f"/trajecten/{a.id}/ambities",
        f"/trajecten/{a.id}/werksessies/{workshop.id}",
    ]

    def grow(n):
        for i in range(n):
            org = make_org()
            db.session.add(NetworkPartner(trajectory_id=a.id, organisation_id=org.id))
            meeting = meetings_services.save_meeting(
                a,
                None,
                meetings_services.MeetingValues(
                    held_on=date(2026, 1, 1 + i % 28),
                    purpose=f"B {i}",
                    attendees=tuple(a.memberships),
                    guests=(meetings_services.Guest("Gast", "Org", Layer.UITVOEREND),),
                ),
            )
            assert isinstance(meeting, Meeting)
            step = ProcessStep(trajectory_id=a.id, position=10 + i, title=f"Stap {i}", gap=True)
            step.organisations = [org]
            db.session.add(step)
        db.session.commit()
        for member in a.memberships:
            if not db.session.scalar(
                db.select(WorkshopParticipant).where(
                    WorkshopParticipant.workshop_id == workshop.id,
                    WorkshopParticipant.membership_id == member.id,
                )
            ):
                workshops_services.add_participant(workshop, member, "rol")
        db.session.commit()
        for participant in db.session.scalars(db.select(WorkshopParticipant)):
            db.session.add(
                WorkshopNote(
                    workshop_id=workshop.id, participant_id=participant.id, category="goed", text="Notitie"
                )
            )
        db.session.commit()

    grow(2)
    before = {url: queries_for(client, url) for url in urls}
    grow(20)
    assert {url: queries_for(client, url) for url in urls} == before


def test_a_closed_round_and_the_evaluations_page_load_votes_in_one_query(
    client, login, world, make_user, make_org
):
    """The results read every vote of a round in one query, not one per ballot."""
    from tracker.evaluations import voting
    from tracker.members.services import add_member
    from tracker.models import Color

    a, evaluation_round = world["a"], world["round"]
    factors = [f["key"] for f in evaluation_round.factors]
    org = make_org()

    def vote(n: int) -> None:
        for _ in range(n):
            member = add_member(a, make_user(), org, Layer.UITVOEREND, Role.TEAMLID)
            db.session.flush()
            voting.cast_ballot(evaluation_round, member, {k: (Color.ROOD, "Toelichting") for k in factors})
        db.session.commit()

    login(world["users"]["projectleider"])
    urls = [f"/trajecten/{a.id}/evaluaties/{evaluation_round.id}", f"/trajecten/{a.id}/evaluaties"]
    vote(3)
    before = {url: queries_for(client, url) for url in urls}
    vote(27)
    assert {url: queries_for(client, url) for url in urls} == before
