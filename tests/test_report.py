"""'Stand van zaken': the report of a trajectory, whole and per layer, as a print-ready page and as
a PDF that a reader nobody here wrote (pypdf) reads back."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tracker import demo
from tracker.behind import services as behind
from tracker.behind.entries import EntryKind
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    Ballot,
    ChecklistItem,
    Color,
    EvaluationRound,
    Layer,
    Meeting,
    Objective,
    Plan,
    Trajectory,
    Vote,
)
from tracker.report.services import report_data

from .test_queries import queries_for

CASE = "Preventie van pesten%"
CSS = Path(__file__).resolve().parent.parent / "tracker" / "static" / "css" / "report.css"


def _pdf_text(data: bytes) -> str:
    """The text of every page, without whitespace (the reader breaks lines where the PDF does)."""
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _login(client, email: str) -> None:
    client.post("/inloggen", data={"email": email, "password": demo.DEMO_PASSWORD})


@pytest.fixture
def case(app, client, demo_loaded):
    trajectory = db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like(CASE)))
    _login(client, "anouk@demo.betersamen.nl")
    return trajectory


def _late_actions(app, case: Trajectory):
    with app.test_request_context():
        entries = behind.late_actions([case.id], date.today())
    return [e for e in entries if e.kind == EntryKind.ACTION_OVERDUE and e.owner]


def test_the_html_report_has_every_section_and_prints_without_navigation_or_buttons(client, case):
    html = client.get(f"/trajecten/{case.id}/stand-van-zaken").get_data(as_text=True)
    for heading in ("fasen-kop", "tijdlijn-kop", "achter-kop", "evaluatie-kop", "ambities-kop"):
        assert f'id="{heading}"' in html
    for text in (
        "Stand van zaken",
        case.name,
        "Fasen",
        "Tijdlijn",
        "Wat loopt achter",
        "Laatste evaluatieronde",
    ):
        assert text in html
    assert "Gedeelde ambities" in html and "Veilig opgroeien in de Rivierenwijk" in html
    assert "css/report.css" in html
    # What must not print sits in elements the print stylesheet hides.
    assert 'class="app-report__tools app-noprint"' in html
    assert f"/trajecten/{case.id}/stand-van-zaken.pdf" in html
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*A4", css)
    print_rules = css[css.index("@media print") :]
    for selector in (
        ".app-header",
        ".app-footer",
        ".app-report__tools",
        ".app-report nav",
        ".app-report button",
    ):
        assert selector in print_rules
    assert "display: none" in print_rules and "table-layout: fixed" in print_rules


def test_the_pdf_report_reads_back_in_dutch(app, client, case):
    response = client.get(f"/trajecten/{case.id}/stand-van-zaken.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    late = _late_actions(app, case)[0]
    latest = db.session.scalar(
        sa.select(EvaluationRound)
        .where(EvaluationRound.trajectory_id == case.id, EvaluationRound.closes_on < date.today())
        .order_by(EvaluationRound.closes_on.desc())
        .limit(1)
    )
    for expected in (
        "Standvanzaken",
        case.name,
        "Fase2:Hetnetwerk",
        late.title,
        late.owner,
        latest.name,
        "Vertrouwen",  # the red card that no action follows up yet
        "Noggeenactie",
        "Rodekaarten",
        "Tijdlijn",
        "Gedeeldeambities",
    ):
        assert _squeeze(expected) in text, expected


def test_the_bestuur_report_lists_only_the_boards_items_and_actions(app, client, case):
    with app.test_request_context():
        data = report_data(case, Layer.BESTUUR)
        everything = [e for g in report_data(case).behind for o in g.owners for e in o.entries]
    entries = [e for group in data.behind for owner in group.owners for e in owner.entries]
    assert entries and {e.layer for e in entries} == {Layer.BESTUUR}
    # Milestones are in the timeline of every version; items and actions only where they belong.
    listed = {EntryKind.ITEM_OVERDUE, EntryKind.ACTION_OVERDUE, EntryKind.ACTION_BLOCKED}
    titles = {e.title for e in entries}
    others = [
        e for e in everything if e.layer != Layer.BESTUUR and e.kind in listed and e.title not in titles
    ]
    assert others
    pdf = _pdf_text(client.get(f"/trajecten/{case.id}/stand-van-zaken.pdf?laag=bestuur").data)
    html = client.get(f"/trajecten/{case.id}/stand-van-zaken?laag=bestuur").get_data(as_text=True)
    assert "Standvanzaken,Bestuur" in pdf
    for entry in entries:
        assert _squeeze(entry.title) in pdf and entry.title in html
    for entry in others:
        assert _squeeze(entry.title) not in pdf and entry.title not in html


def test_the_report_is_linked_from_the_trajectory_and_the_layer_page(client, case):
    page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert f"/trajecten/{case.id}/stand-van-zaken" in page
    assert f"/trajecten/{case.id}/stand-van-zaken.pdf" in page
    layer = client.get(f"/trajecten/{case.id}/lagen/management").get_data(as_text=True)
    assert f"/trajecten/{case.id}/stand-van-zaken?laag=management" in layer
    assert f"/trajecten/{case.id}/stand-van-zaken.pdf?laag=management" in layer


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_a_layer_that_does_not_exist_is_a_404_and_an_outsider_gets_a_403(client, case, suffix):
    url = f"/trajecten/{case.id}/stand-van-zaken{suffix}"
    for layer in ("directie", "BESTUUR", "", "²"):
        expected = 200 if layer == "" else 404
        assert client.get(f"{url}?laag={layer}").status_code == expected, layer
    assert client.get(f"/trajecten/999999/stand-van-zaken{suffix}").status_code == 404
    client.post("/uitloggen")
    _login(client, "ruud@demo.betersamen.nl")
    assert client.get(url).status_code == 403
    assert client.get(f"{url}?laag=bestuur").status_code == 403


def test_a_report_without_rounds_ambitions_or_anything_behind_still_reads(client, login, world):
    a = world["a"]
    login(world["users"]["projectleider"])
    db.session.execute(sa.delete(EvaluationRound).where(EvaluationRound.trajectory_id == a.id))
    db.session.commit()
    html = client.get(f"/trajecten/{a.id}/stand-van-zaken?laag=uitvoerend").get_data(as_text=True)
    assert "Er is nog geen evaluatieronde gesloten." in html
    text = _pdf_text(client.get(f"/trajecten/{a.id}/stand-van-zaken.pdf?laag=uitvoerend").data)
    assert _squeeze(a.name) in text and "Erisnoggeenevaluatierondegesloten." in text


def _grow(case: Trajectory, n: int) -> None:
    """``n`` more of everything the report lists: overdue items and actions, milestones at risk,
    meetings, closed rounds with ballots, objectives."""
    from tracker.actions import services as actions
    from tracker.plans import services as plans

    today = date.today()
    plan = db.session.scalar(sa.select(Plan).where(Plan.trajectory_id == case.id).limit(1))
    members = case.memberships
    section = case.phases[1].sections[0]
    rounds = list(
        db.session.scalars(
            sa.select(EvaluationRound)
            .where(EvaluationRound.trajectory_id == case.id)
            .order_by(EvaluationRound.opens_on)
        )
    )
    latest_closed = [r for r in rounds if r.closes_on < today][-1]
    ambition = case_ambition(case)
    start = len(rounds)
    for i in range(n):
        owner = members[i % len(members)]
        db.session.add(
            ChecklistItem(
                trajectory=case,
                section=section,
                position=500 + start + i,
                text=f"Extra punt {start}-{i}",
                is_custom=True,
                owner_id=owner.id,
                due_date=today - timedelta(days=1 + i % 9),
            )
        )
        milestone = plans.create_milestone(
            case,
            plan,
            plans.MilestoneValues(title=f"Mijlpaal {start}-{i}", target_date=today + timedelta(days=i % 9)),
        )
        actions.create_action(
            case,
            plan,
            actions.ActionValues(
                title=f"Actie {start}-{i}",
                owner_id=owner.id,
                due_date=today - timedelta(days=1 + i % 5),
                status=ActionStatus.GEPLAND,
                milestone_id=milestone.id,
            ),
        )
        db.session.add(
            Meeting(trajectory_id=case.id, held_on=today - timedelta(days=i), purpose=f"Overleg {i}")
        )
        opens = rounds[0].opens_on - timedelta(days=30 * (start + i + 1))
        db.session.add(
            EvaluationRound(
                trajectory_id=case.id,
                name=f"Oude ronde {start}-{i}",
                framework=latest_closed.framework,
                factors=latest_closed.factors,
                opens_on=opens,
                closes_on=opens + timedelta(days=14),
            )
        )
        ballot = Ballot(
            round_id=latest_closed.id, layer=owner.layer.value, organisation_id=owner.organisation_id
        )
        ballot.votes = [Vote(factor=f["key"], color=Color.ROOD) for f in latest_closed.factors]
        db.session.add(ballot)
        db.session.add(Objective(ambition=ambition, text=f"Doel {start}-{i}"))
    db.session.commit()


def case_ambition(case: Trajectory):
    from tracker.ambitions.services import ambitions_of

    return ambitions_of(case)[0]


def test_the_report_issues_the_same_queries_at_1x_and_10x_data(client, case):
    urls = [
        f"/trajecten/{case.id}/stand-van-zaken",
        f"/trajecten/{case.id}/stand-van-zaken?laag=bestuur",
        f"/trajecten/{case.id}/stand-van-zaken.pdf",
        f"/trajecten/{case.id}/stand-van-zaken.pdf?laag=management",
    ]
    _grow(case, 3)
    before = {url: queries_for(client, url) for url in urls}
    _grow(case, 30)
    assert {url: queries_for(client, url) for url in urls} == before


def test_successive_pdfs_each_embed_the_characters_they_print(app):
    """The parsed fonts are reused between documents; each PDF must still carry every glyph it
    prints (a font subset shared between documents would lose the second one's letters)."""
    from tracker.report.pdf import ReportPDF

    for words in ("Alleen dit", "Ŋ Zebra – Yö €", "Quokka & Ĳssel"):
        with app.test_request_context():
            pdf = ReportPDF("voet")
            pdf.add_page()
            pdf.para(words)
            pdf.para(words, bold=True)
            text = _pdf_text(bytes(pdf.output()))
        assert _squeeze(words) * 2 in text, words
