"""Every list that grows with use is paged: 50 rows a page with the total, the filters kept across
pages, a bad page number never an error, the same number of queries at 60 and at 600 rows; and the
exports stay complete. Rows are bulk-inserted (no web round trips, no hooks) to keep this cheap."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionStatus,
    Ballot,
    Color,
    EvaluationRound,
    Layer,
    Meeting,
    Milestone,
    Organisation,
    OutboxMessage,
    PdcaStage,
    Role,
    Sector,
    Trajectory,
    TrajectoryStatus,
    Vote,
)

from .test_queries import queries_for

TODAY = date.today()


BAD_PAGES = ["0", "-1", "abc", "²", "99999999999999999999", "999"]


def _insert(model, rows: list[dict]) -> None:
    db.session.execute(sa.insert(model), rows)
    db.session.commit()


def _actions(world, n: int, *, owner=None, status=None) -> None:
    """``n`` actions in trajectory A's plan; odd ones planned, even ones busy (unless ``status``)."""
    plan = world["plan"]
    owner = owner or world["a"].memberships[0]
    _insert(
        Action,
        [
            {
                "trajectory_id": world["a"].id,
                "plan_id": plan.id,
                "cycle_id": plan.current_cycle.id,
                "title": f"Bulkactie {i:04d}",
                "owner_id": owner.id,
                "status": status or (ActionStatus.GEPLAND if i % 2 else ActionStatus.BEZIG),
                "stage": PdcaStage.DO,
                "due_date": TODAY + timedelta(days=i % 30 - 10),
            }
            for i in range(n)
        ],
    )


def _milestones(world, n: int) -> None:
    _insert(
        Milestone,
        [
            {
                "trajectory_id": world["a"].id,
                "plan_id": world["plan"].id,
                "title": f"Bulkmijlpaal {i:04d}",
                "target_date": TODAY + timedelta(days=i),
            }
            for i in range(n)
        ],
    )


def _meetings(world, n: int) -> None:
    _insert(
        Meeting,
        [
            {"trajectory_id": world["a"].id, "held_on": TODAY - timedelta(days=i), "purpose": f"Overleg {i}"}
            for i in range(n)
        ],
    )


def _messages(world, n: int) -> None:
    _insert(
        OutboxMessage,
        [
            {"kind": "invitation", "to_email": f"x{i}@example.org", "subject": f"Bericht {i}", "body": "."}
            for i in range(n)
        ],
    )


def _organisations(world, n: int) -> None:
    start = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    _insert(
        Organisation,
        [{"name": f"Bulkorganisatie {start + i:04d}", "sector": list(Sector)[0]} for i in range(n)],
    )


def _trajectories(world, n: int) -> None:
    _insert(
        Trajectory,
        [
            {
                "name": f"Bulktraject {i:04d}",
                "theme": "Thema",
                "focus_layer": Layer.UITVOEREND,
                "start_date": TODAY,
                "status": TrajectoryStatus.ACTIEF,
            }
            for i in range(n)
        ],
    )


def _rounds(world, n: int, *, with_ballots: int = 0) -> None:
    """``n`` closed rounds in trajectory A, the last ``with_ballots`` of them with one ballot each."""
    first = world["round"]
    earliest = db.session.scalar(sa.select(sa.func.min(EvaluationRound.opens_on)))
    _insert(
        EvaluationRound,
        [
            {
                "trajectory_id": world["a"].id,
                "name": f"Ronde {i:04d}",
                "framework": first.framework,
                "factors": first.factors,
                "opens_on": earliest - timedelta(days=n - i),
                "closes_on": earliest - timedelta(days=n - i) + timedelta(days=5),
                "anonymous": False,
            }
            for i in range(n)
        ],
    )
    if not with_ballots:
        return
    ids = db.session.scalars(
        sa.select(EvaluationRound.id).where(EvaluationRound.name.like("Ronde %")).order_by(EvaluationRound.id)
    ).all()[-with_ballots:]
    _insert(Ballot, [{"round_id": round_id, "layer": "uitvoerend"} for round_id in ids])
    ballots = db.session.execute(sa.select(Ballot.id, Ballot.round_id).where(Ballot.round_id.in_(ids))).all()
    key = first.factors[0]["key"]
    _insert(Vote, [{"ballot_id": b, "factor": key, "color": Color.GROEN} for b, _ in ballots])


def _blocked(world, n: int) -> None:
    """``n`` blocked actions of the lead: each is behind."""
    _actions(world, n, owner=_lead_member(world), status=ActionStatus.GEBLOKKEERD)


def _behind_already(world) -> int:
    """What the fixture already has behind, for the lead (who sees trajectory A only)."""
    from flask import current_app

    from tracker.behind.services import behind

    with current_app.test_request_context():
        return len(behind([world["a"].id]))


def _lead_member(world):
    return next(m for m in world["a"].memberships if m.role == Role.PROJECTLEIDER)


def _lead(world):
    return world["users"]["projectleider"]


def _teamlid(world):
    return next(m for m in world["a"].memberships if m.role == Role.TEAMLID)


# Each paged list: how to add rows, whom to log in as, its URL, the noun of its total, how many
# rows the fixture already has, a marker counted once per shown row, and a filter that must
# survive paging (query string, number of matching rows).
LISTS = {
    "actions": (
        _actions,
        _lead,
        "/trajecten/{a}/acties",
        "acties",
        1,
        r'id="actie-\d+"',
        ("status=gepland", lambda n: n // 2 + 1),
    ),
    "actions-across": (_actions, _lead, "/acties", "acties", 1, r'id="actie-\d+"', ("laag=uitvoerend", None)),
    "my-work": (
        lambda world, n: _actions(world, n, owner=_teamlid(world)),
        lambda world: world["users"]["teamlid"],
        "/mijn-werk",
        "punten en acties",
        0,
        r'id="actie-\d+"',
        ("alles=1", None),
    ),
    "milestones": (
        _milestones,
        _lead,
        "/trajecten/{a}/plannen/{plan}",
        "mijlpalen",
        1,
        'id="mijlpaal-',
        None,
    ),
    "plan-actions": (
        _actions,
        _lead,
        "/trajecten/{a}/plannen/{plan}",
        "acties",
        1,
        r'id="actie-\d+"',
        None,
    ),
    "behind": (
        _blocked,
        _lead,
        "/trajecten/{a}/achter",
        "achterstanden",
        _behind_already,
        '<span class="app-badge app-badge--overdue">',
        ("laag=uitvoerend", None),
    ),
    "behind-across": (
        _blocked,
        _lead,
        "/achter",
        "achterstanden",
        _behind_already,
        '<span class="app-badge app-badge--overdue">',
        ("laag=uitvoerend", None),
    ),
    "meetings": (
        _meetings,
        _lead,
        "/trajecten/{a}/bijeenkomsten",
        "bijeenkomsten",
        1,
        r'<li class="app-timeline__item',
        None,
    ),
    "outbox": (
        _messages,
        lambda world: world["users"]["admin"],
        "/beheer/berichten",
        "berichten",
        0,
        "<details><summary>",
        None,
    ),
    "organisations": (
        _organisations,
        lambda world: world["users"]["admin"],
        "/organisaties",
        "organisaties",
        None,
        r'href="/organisaties/\d+"',
        None,
    ),
    "overview": (
        _trajectories,
        lambda world: world["users"]["admin"],
        "/trajecten",
        "trajecten",
        2,
        '<th class="utrecht-table__header-cell" scope="row">',
        None,
    ),
}


def _url(world, template: str, **extra) -> str:
    url = template.format(a=world["a"].id, plan=world["plan"].id)
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return f"{url}?{query}" if query else url


def _page_param(name: str) -> str:
    return {"milestones": "pagina_mijlpalen", "plan-actions": "pagina_acties"}.get(name, "pagina")


@pytest.mark.parametrize("name", LISTS)
def test_a_list_of_120_shows_50_with_the_total_and_the_rest_on_page_3(client, login, world, name):
    add, user, template, noun, already, marker, _filter = LISTS[name]
    if already is None:  # as many as the fixture made
        already = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    elif callable(already):
        already = already(world)
    add(world, 120 - already)
    login(user(world))
    arg = _page_param(name)
    first = client.get(_url(world, template)).get_data(as_text=True)
    assert f"1–50 van 120 {noun}" in first
    assert len(re.findall(marker, first)) == 50
    assert 'aria-current="page"' in first and 'class="app-pager"' in first
    assert f"{arg}=2" in first and f"{arg}=3" in first
    third = client.get(_url(world, template, **{arg: 3})).get_data(as_text=True)
    assert f"101–120 van 120 {noun}" in third and len(re.findall(marker, third)) == 20
    for bad in BAD_PAGES:
        response = client.get(_url(world, template, **{arg: bad}))
        assert response.status_code == 200, bad
        expected = "101–120" if bad == "999" else "1–50"
        assert f"{expected} van 120 {noun}" in response.get_data(as_text=True), bad


@pytest.mark.parametrize("name", [n for n, spec in LISTS.items() if spec[6]])
def test_filters_survive_paging(client, login, world, name):
    add, user, template, noun, already, marker, (query, _count) = LISTS[name]
    add(world, 120 - (already(world) if callable(already) else already))
    login(user(world))
    key, value = query.split("=")
    first = client.get(f"{_url(world, template)}?{query}").get_data(as_text=True)
    links = re.findall(r'href="([^"]*pagina=2[^"]*)"', first)
    assert links and all(f"{key}={value}" in link.replace("&amp;", "&") for link in links)
    second = client.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert "51–" in second and f"{key}" in second


def test_the_status_filter_counts_only_its_actions_on_every_page(client, login, world):
    _actions(world, 119)
    login(_lead(world))
    page = client.get(f"/trajecten/{world['a'].id}/acties?status=gepland&pagina=2").get_data(as_text=True)
    assert "51–60 van 60 acties" in page and len(re.findall(r'id="actie-\d+"', page)) == 10


def test_my_work_pages_across_its_sections_and_counts_each_section_whole(client, login, world):
    _actions(world, 100, owner=_teamlid(world))
    login(world["users"]["teamlid"])
    first = client.get("/mijn-werk").get_data(as_text=True)
    overdue = sum(1 for i in range(100) if i % 30 - 10 < 0)
    assert f"({overdue})" in first.split('id="mijn-werk-te-laat"', 1)[1][:200]
    second = client.get("/mijn-werk?pagina=2").get_data(as_text=True)
    assert "51–100 van 100 punten en acties" in second and "mijn-werk-te-laat" not in second


def test_the_heatmap_shows_the_last_8_rounds_and_older_ones_a_page_further(client, login, world):
    _rounds(world, 20, with_ballots=20)
    login(_lead(world))
    url = f"/trajecten/{world['a'].id}/evaluaties"

    def columns(page: str) -> list[str]:
        heatmap = page.split('id="heatmap-heading"', 1)[1].split("</thead>", 1)[0]
        return re.findall(r">(Ronde \d+)</a></th>", heatmap)

    first = client.get(url).get_data(as_text=True)
    assert columns(first) == [f"Ronde {i:04d}" for i in range(12, 20)]
    assert "pagina_heatmap=2" in first
    assert columns(client.get(f"{url}?pagina_heatmap=3").get_data(as_text=True)) == [
        f"Ronde {i:04d}" for i in range(4)
    ]
    for bad in BAD_PAGES:
        assert client.get(f"{url}?pagina_heatmap={bad}").status_code == 200


def test_the_rounds_are_paged_newest_first(client, login, world):
    _rounds(world, 119)
    login(_lead(world))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationRound))
    url = f"/trajecten/{world['a'].id}/evaluaties"
    first = client.get(url).get_data(as_text=True)
    assert f"1–50 van {total} rondes" in first and "2025 K4" in first and "Ronde 0000" not in first
    last = client.get(f"{url}?pagina_rondes=3").get_data(as_text=True)
    assert f"101–{total} van {total} rondes" in last and "Ronde 0000" in last and "2025 K4" not in last


def test_the_meetings_are_paged_newest_first(client, login, world):
    _meetings(world, 120)  # "Overleg 0" is today, "Overleg 119" the oldest
    login(_lead(world))
    url = f"/trajecten/{world['a'].id}/bijeenkomsten"
    first = client.get(url).get_data(as_text=True)
    assert "Overleg 0<" in first and "Overleg 119<" not in first
    assert first.index("Overleg 0<") < first.index("Overleg 1<")
    last = client.get(f"{url}?pagina=3").get_data(as_text=True)
    assert "Overleg 119<" in last and "Overleg 0<" not in last


QUERY_LISTS = {
    **{name: (spec[0], spec[1], spec[2]) for name, spec in LISTS.items()},
    "evaluations": (
        lambda world, n: _rounds(world, n, with_ballots=n // 10),
        _lead,
        "/trajecten/{a}/evaluaties",
    ),
}


@pytest.mark.parametrize("name", QUERY_LISTS)
def test_a_paged_page_issues_the_same_queries_at_60_and_at_600_rows(client, login, world, name):
    add, user, template = QUERY_LISTS[name]
    login(user(world))
    url = _url(world, template)
    add(world, 60)
    few = queries_for(client, url)
    add(world, 540)
    assert queries_for(client, url) == few


@pytest.mark.parametrize("url", ["/trajecten/{a}/acties", "/acties"])
def test_the_exports_of_600_actions_are_complete(client, login, world, url):
    _actions(world, 599)
    login(_lead(world))
    base = url.format(a=world["a"].id)
    text = client.get(f"{base}.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 1 + 600
    assert {r[3] for r in rows[1:]} >= {f"Bulkactie {i:04d}" for i in range(599)}
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").data)).active
    assert sheet.max_row == 1 + 600
    assert isinstance(sheet.cell(row=2, column=10).value, date)  # due dates stay dates


def test_the_milestone_export_of_600_is_complete(client, login, world):
    _milestones(world, 599)
    login(_lead(world))
    text = client.get(f"/trajecten/{world['a'].id}/mijlpalen.csv").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))) == 1 + 600


def test_the_layer_status_matrix_counts_every_action_not_only_the_page(client, login, world):
    _actions(world, 119)
    login(_lead(world))
    page = client.get(f"/trajecten/{world['a'].id}/acties").get_data(as_text=True)
    matrix = page.split('id="matrix-heading"', 1)[1].split("</table>", 1)[0]
    # The lead is in the executive layer: 60 planned (59 + the fixture's), 60 busy, 120 in all.
    assert re.search(r">60<span class=\"app-visually-hidden\"> Uitvoerend / professional, Gepland", matrix)
    assert re.search(r">60<span class=\"app-visually-hidden\"> Uitvoerend / professional, Bezig", matrix)
    assert '<td class="utrecht-table__cell">120</td>' in matrix


def test_the_page_helper_clamps_and_keeps_the_query_string(app):
    from tracker.paging import Page, clamp

    assert [clamp(n, 120, 50) for n in (-1, 0, 1, 3, 4, 999)] == [1, 1, 1, 3, 3, 3]
    assert clamp(5, 0, 50) == 1
    with app.test_request_context("/acties?laag=bestuur&pagina=2&status=bezig"):
        page = Page([], 6, 50, 1000, anchor="lijst")
        assert page.url(7) == "/acties?laag=bestuur&status=bezig&pagina=7#lijst"
        assert page.url(1) == "/acties?laag=bestuur&status=bezig#lijst"
        assert page.numbers() == [1, None, 4, 5, 6, 7, 8, None, 20]
        assert (page.first, page.last, page.previous, page.next) == (251, 300, 5, 7)


# --- the plan page and 'wat loopt achter' ----------------------------------------------------------


def test_the_plan_page_counts_a_closed_cycle_and_links_to_its_list_instead_of_listing_it(
    client, login, world
):
    from tracker.plans import services as plans

    _actions(world, 120, status=ActionStatus.GEREED)
    plans.close_cycle(world["plan"].current_cycle, None)  # the finished ones stay in cycle 1
    db.session.commit()
    login(_lead(world))
    a, plan = world["a"], world["plan"]
    page = client.get(f"/trajecten/{a.id}/plannen/{plan.id}").get_data(as_text=True)
    assert len(re.findall(r'id="actie-\d+"', page)) == 1  # cycle 2: the one carried over
    cycle1 = page.split('id="cycle-1-actions"', 1)[1].split("</section>", 1)[0]
    assert "Gereed: 120" in cycle1
    link = f"/trajecten/{a.id}/acties?plan={plan.id}&amp;cyclus=1"
    assert f'href="{link}"' in cycle1 and "Alle acties van cyclus 1 (120)" in cycle1
    assert f'href="{link}&amp;status=gereed"' in cycle1
    listed = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "1–50 van 120 acties" in listed and "alleen cyclus 1" in listed
    assert 'name="cyclus" value="1"' in listed  # the filter form keeps the cycle
    second = client.get(f"/trajecten/{a.id}/acties?plan={plan.id}&cyclus=2").get_data(as_text=True)
    assert "Bulkactie" not in second and world["action"].title in second
    for bad in ("0", "-1", "abc", "99999999999999999999"):
        assert client.get(f"/trajecten/{a.id}/acties?cyclus={bad}").status_code == 200


def test_the_plan_page_pages_its_archive_and_keeps_the_other_pages(client, login, world):
    _actions(world, 120)
    db.session.execute(
        sa.update(Action)
        .where(Action.title.like("Bulkactie %"))
        .values(archived_at=sa.func.current_timestamp())
    )
    db.session.commit()
    login(_lead(world))
    url = f"/trajecten/{world['a'].id}/plannen/{world['plan'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Gearchiveerde acties (120)" in page and "1–50 van 120 gearchiveerde acties" in page
    assert (
        len(re.findall(r'id="gearchiveerd-\d+"', page)) == 50
        and '<details class="app-details" open>' not in page
    )
    third = client.get(f"{url}?pagina_mijlpalen=1&pagina_archief=3").get_data(as_text=True)
    assert "101–120 van 120 gearchiveerde acties" in third and '<details class="app-details" open>' in third
    assert len(re.findall(r'id="gearchiveerd-\d+"', third)) == 20
    links = re.findall(r'href="([^"]*pagina_archief=2[^"]*)"', third)
    assert links and all("pagina_mijlpalen=1" in link for link in links)


def test_what_is_behind_counts_every_page_per_kind_and_layer(client, login, world):
    already = _behind_already(world)
    _blocked(world, 120)
    login(_lead(world))
    page = client.get(f"/trajecten/{world['a'].id}/achter").get_data(as_text=True)
    total = already + 120
    assert f"1–50 van {total} achterstanden" in page
    assert re.search(r"Actie geblokkeerd: <strong>1[2-9]\d</strong>", page)
    layer = _lead_member(world).layer.value
    heading = page.split(f'id="laag-{layer}"', 1)[1].split("</h2>", 1)[0]
    assert int(re.search(r"\((\d+)\)", heading).group(1)) >= 120  # the layer's count over every page


def test_after_a_change_the_plan_page_opens_on_the_page_that_shows_the_action(client, login, world):
    _actions(world, 119)
    login(_lead(world))
    a, plan = world["a"], world["plan"]
    shown = [
        action_id
        for action_id in db.session.scalars(
            sa.select(Action.id)
            .where(Action.cycle_id == plan.current_cycle.id, Action.archived_at.is_(None))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        )
    ]
    later = db.session.get(Action, shown[75])  # on the second page of the current cycle's actions
    response = client.post(
        f"/trajecten/{a.id}/acties/{later.id}/status",
        data={"status": "gereed", "version": str(later.version)},
    )
    assert response.headers["Location"].endswith(f"?pagina_acties=2#actie-{later.id}")
    page = client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert f'id="actie-{later.id}"' in page
    first = db.session.get(Action, shown[0])
    response = client.post(
        f"/trajecten/{a.id}/acties/{first.id}/status",
        data={"status": "gereed", "version": str(first.version)},
    )
    assert response.headers["Location"] == f"/trajecten/{a.id}/plannen/{plan.id}#actie-{first.id}"
