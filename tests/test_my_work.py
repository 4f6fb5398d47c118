"""Mijn werk: my items and actions across trajectories, with a trajectory column; overdue first, then
what is due within 14 days, then the rest."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.extensions import db
from tracker.models import ActionStatus, ItemStatus, Role

from .test_queries import queries_for

TODAY = date.today()


def _section(page: str, key: str) -> str:
    return page.split(f'id="mijn-werk-{key}"', 1)[1].split("</section>", 1)[0]


def test_my_work_shows_overdue_then_due_within_14_days_then_the_rest_with_the_trajectory(
    client, login, world, make_trajectory
):
    from tracker.actions import services as actions
    from tracker.members.services import add_member

    a, me_user = world["a"], world["users"]["teamlid"]
    me = next(m for m in a.memberships if m.role == Role.TEAMLID)
    other = make_trajectory(name="Traject C")
    mine_in_c = add_member(other, me_user, other.memberships[0].organisation, me.layer, Role.TEAMLID)
    items_a, items_c = a.items, other.items
    for item, owner, due in (
        (items_a[0], me, -3),
        (items_c[0], mine_in_c, 5),
        (items_a[1], me, 30),
        (items_c[10], mine_in_c, None),
    ):
        item.owner_id, item.due_date = owner.id, TODAY + timedelta(days=due) if due is not None else None
    done = items_a[2]
    done.owner_id, done.due_date, done.status = me.id, TODAY - timedelta(days=9), ItemStatus.AFGEROND
    late = actions.create_action(
        a,
        world["plan"],
        actions.ActionValues(title="Mijn late actie", owner_id=me.id, due_date=TODAY - timedelta(days=1)),
    )
    soon = actions.create_action(
        a,
        world["plan"],
        actions.ActionValues(
            title="Mijn actie deze week", owner_id=me.id, due_date=TODAY + timedelta(days=4)
        ),
    )
    finished = actions.create_action(
        a,
        world["plan"],
        actions.ActionValues(
            title="Mijn afgeronde actie", owner_id=me.id, due_date=TODAY, status=ActionStatus.GEREED
        ),
    )
    db.session.commit()
    login(me_user)
    page = client.get("/mijn-werk").get_data(as_text=True)
    overdue, due_soon, rest = (_section(page, key) for key in ("te-laat", "binnenkort", "overig"))
    assert (
        page.index('id="mijn-werk-te-laat"')
        < page.index('id="mijn-werk-binnenkort"')
        < page.index('id="mijn-werk-overig"')
    )
    assert items_a[0].text in overdue and late.title in overdue and "Traject A" in overdue
    assert items_c[0].text in due_soon and soon.title in due_soon and "Traject C" in due_soon
    assert items_a[1].text in rest and items_c[10].text in rest
    assert rest.index(items_a[1].text) < rest.index(items_c[10].text)  # dated before undated
    assert f'href="/trajecten/{a.id}/acties/{late.id}"' in overdue
    assert done.text not in page and finished.title not in page
    everything = client.get("/mijn-werk?alles=1").get_data(as_text=True)
    assert done.text in _section(everything, "overig") and finished.title in everything
    assert "Traject B" not in everything


def test_nothing_to_do_says_so(client, login, make_user, make_trajectory):
    user = make_user()
    make_trajectory(user)
    login(user)
    page = client.get("/mijn-werk").get_data(as_text=True)
    assert "U bent geen eigenaar van open punten." in page
    assert 'id="mijn-werk-te-laat"' not in page


def test_my_work_is_bounded_in_the_number_of_trajectories(client, login, make_user, make_trajectory):
    from tracker.members.services import add_member

    me = make_user()

    def trajectory(name: str) -> None:
        t = make_trajectory(name=name)
        mine = add_member(t, me, t.memberships[0].organisation, t.memberships[0].layer, Role.TEAMLID)
        for offset, item in zip((-2, 3, 40), t.items[:3], strict=True):
            item.owner_id, item.due_date = mine.id, TODAY + timedelta(days=offset)
        db.session.commit()

    trajectory("Eerste")
    login(me)
    few = queries_for(client, "/mijn-werk")
    for i in range(6):
        trajectory(f"Traject {i}")
    assert queries_for(client, "/mijn-werk") == few
