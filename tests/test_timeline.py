"""The timeline and the charts of a trajectory: who may see them, well-formed SVG with a title and
description, tables that carry the same facts, today marked, and a bounded number of queries."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Ballot,
    ChecklistItem,
    Color,
    EvaluationRound,
    ItemStatus,
    Phase,
    Section,
    Vote,
)
from tracker.timeline import charts, services
from tracker.timeline.axis import Axis
from tracker.trajectories.progress import progress_for

from .test_queries import queries_for

SVG = "{http://www.w3.org/2000/svg}"


def _svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of the page, parsed as XML (a parse error fails the test)."""
    found = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]
    assert found
    for svg in found:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}desc").get("id") == desc_id
    return found


def _texts(svg: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in svg.iter() if e.tag in (f"{SVG}text", f"{SVG}title"))


def _table(html: str, caption_id: str) -> str:
    match = re.search(rf'id="{caption_id}".*?</table>', html, re.S)
    assert match, caption_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def _phase_one_items(a) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            sa.select(ChecklistItem)
            .join(Section)
            .join(Phase)
            .where(ChecklistItem.trajectory_id == a.id, Phase.number == 1)
            .order_by(ChecklistItem.id)
        )
    )


def test_both_pages_are_for_everyone_who_may_see_the_trajectory(client, login, world):
    a = world["a"].id
    for role in ("meekijker", "teamlid", "projectleider", "admin"):
        login(world["users"][role])
        for path in ("tijdlijn", "grafieken"):
            assert client.get(f"/trajecten/{a}/{path}").status_code == 200, (role, path)
        client.post("/uitloggen")
    login(world["users"]["outsider"])
    for path in ("tijdlijn", "grafieken"):
        assert client.get(f"/trajecten/{a}/{path}").status_code == 403
    client.post("/uitloggen")
    assert client.get(f"/trajecten/{a}/tijdlijn").status_code == 302  # to the login page


def test_the_timeline_and_its_table_show_the_same_facts_with_today_marked(client, login, world):
    a = world["a"]
    today = date.today()
    phase = next(p for p in a.phases if p.number == 1)
    phase.planned_start, phase.target_date = today - timedelta(days=30), today + timedelta(days=30)
    items = _phase_one_items(a)
    for item in items[:2]:
        item.status = ItemStatus.AFGEROND
    db.session.commit()
    percent = round(100 * 2 / len(items))
    login(world["users"]["meekijker"])
    html = client.get(f"/trajecten/{a.id}/tijdlijn").get_data(as_text=True)
    [svg] = _svgs(html)
    shown, table = _texts(svg), _table(html, "tijdlijn-tabel")
    for fact in ("Aanpak vastgesteld", "Kennismaken", "2025 K4", "Cyclus 1"):
        assert fact in shown and fact in table, fact
    assert f"Fase 1: {percent}%" in shown and f"{percent}% afgerond (2 van {len(items)} punten)" in table
    assert "50% verwacht op vandaag" in table
    assert "Te laat" in shown and "✕ Te laat" in table  # the milestone's state: symbol and word
    # Today: a labelled dashed line at today's position, and today's date in the description.
    axis = services.timeline_data(a, today).axis
    today_line = [e for e in svg.iter(f"{SVG}line") if e.get("stroke-dasharray") == "6 4"]
    assert [float(e.get("x1")) for e in today_line] == [axis.x(today)]
    assert "Vandaag" in shown
    assert svg.find(f"{SVG}desc").text.count(f"vandaag, {today.day} ") == 1
    # The planned bar spans the planning; its fill is the share done.
    planned = [
        r for r in svg.iter(f"{SVG}rect") if r.get("stroke") == "#1c4f8a" and r.get("fill") == "#ffffff"
    ]
    done = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "#1c4f8a"]
    assert len(planned) == 1 and len(done) == 1
    assert float(done[0].get("width")) == round(float(planned[0].get("width")) * percent / 100, 1)


def test_timeline_svg_is_the_embeddable_markup(app, world):
    with app.test_request_context():
        markup = services.timeline_svg(world["a"], date.today())
    svg = ET.fromstring(str(markup))
    assert svg.tag == f"{SVG}svg" and svg.get("viewBox").startswith("0 0 1000 ")


def test_the_axis_keeps_dates_inside_the_plot(app):
    axis = Axis(date(2026, 1, 1), date(2026, 12, 31))
    assert axis.x(date(2025, 1, 1)) == axis.x(date(2026, 1, 1)) < axis.x(date(2026, 6, 1))
    assert axis.x(date(2030, 1, 1)) == axis.x(date(2026, 12, 31))
    with app.test_request_context():
        assert 1 <= len(axis.ticks()) <= 12


def test_checklist_history_walks_back_from_today(app, world):
    a = world["a"]
    items = _phase_one_items(a)
    for item in items[:3]:
        item.status = ItemStatus.AFGEROND
    db.session.commit()
    today = date.today()
    progress = progress_for([a.id], today)[a.id]
    history = charts.checklist_history(a, progress, today)
    phase1 = history.phases[0]
    assert history.weeks[-1] == today and len(history.weeks) == charts.WEEKS
    assert phase1.last == round(100 * 3 / len(items))
    assert phase1.percents[-2] == 0  # a week ago none of them was done yet
    items[0].status = ItemStatus.OPEN  # taken back: the line follows
    db.session.commit()
    progress = progress_for([a.id], today)[a.id]
    assert charts.checklist_history(a, progress, today).phases[0].last == round(100 * 2 / len(items))


def test_the_charts_and_their_tables_carry_the_same_figures(client, login, world, make_actions):
    a, closed = world["a"], world["round"]
    make_actions(10)  # statuses in turn: two of them are created finished
    world["action"].status = ActionStatus.GEREED
    factor = closed.factors[0]
    for member, color in zip(
        a.memberships[:4], (Color.GROEN, Color.GROEN, Color.ORANJE, Color.ROOD), strict=True
    ):
        ballot = Ballot(round_id=closed.id, membership_id=member.id, layer=member.layer.value)
        ballot.votes.append(Vote(factor=factor["key"], color=color))
        db.session.add(ballot)
    db.session.commit()
    login(world["users"]["teamlid"])
    html = client.get(f"/trajecten/{a.id}/grafieken").get_data(as_text=True)
    lines, bars, shares = _svgs(html)
    months = _table(html, "tabel-acties")
    assert months.split()[-2:] == ["11", "3"]  # the last row, this month: opened, finished
    assert "11 geopend" in _texts(bars) and "3 gereed" in _texts(bars)
    cards = _table(html, "tabel-factoren")
    assert "2 / 1 / 1 (50% / 25% / 25%)" in cards and "2025 K4" in cards
    assert "50% · 25% · 25%" in _texts(shares) and factor["title"][:30] in _texts(shares)
    assert "Fase 1: 0%" in _texts(lines) and "Week tot en met" in _table(html, "tabel-fasen")


def test_no_closed_round_says_so(client, login, world):
    db.session.execute(sa.delete(EvaluationRound))
    db.session.commit()
    login(world["users"]["teamlid"])
    html = client.get(f"/trajecten/{world['a'].id}/grafieken").get_data(as_text=True)
    assert "Er is nog geen evaluatieronde gesloten" in html
    assert len(_svgs(html)) == 2


def test_both_pages_issue_the_same_queries_with_ten_times_more(client, login, world, make_actions):
    a, closed = world["a"], world["round"]
    login(world["users"]["teamlid"])
    urls = [f"/trajecten/{a.id}/tijdlijn", f"/trajecten/{a.id}/grafieken"]
    before = {url: queries_for(client, url) for url in urls}
    make_actions(100)
    items = _phase_one_items(a)
    for item in items[::2]:
        item.status = ItemStatus.AFGEROND
    section = items[0].section
    for i in range(10 * len(items)):
        db.session.add(ChecklistItem(trajectory=a, section=section, position=100 + i, text=f"Extra {i}"))
    for i in range(10):
        opens = closed.opens_on - timedelta(days=30 * (i + 1))
        extra = EvaluationRound(
            trajectory_id=a.id,
            name=f"Ronde {i}",
            framework=closed.framework,
            factors=closed.factors,
            opens_on=opens,
            closes_on=opens + timedelta(days=14),
        )
        for member in a.memberships:
            ballot = Ballot(round=extra, membership_id=member.id, layer=member.layer.value)
            ballot.votes.extend(Vote(factor=f["key"], color=Color.ORANJE) for f in closed.factors)
            db.session.add(ballot)
        db.session.add(extra)
    db.session.commit()
    assert {url: queries_for(client, url) for url in urls} == before
