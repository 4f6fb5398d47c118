"""With English chosen, the UI is English: pages, exports, the calendar feed and mails carry no
Dutch words. Content of the handreiking (its questions, success factors, Tabel 1) is Dutch by
design; it is marked ``lang="nl"`` and skipped, as are Dutch terms glossed in parentheses
("Board (bestuur)")."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import AuditEvent, Layer, OutboxMessage, Role

# Words that do not occur in English UI text.
DUTCH = {
    "de", "het", "een", "van", "voor", "met", "niet", "geen", "naar", "bij", "ook", "nog", "wordt",
    "zijn", "heeft", "deze", "dit", "wat", "wie", "waar", "hoe", "uit", "op", "aan", "als", "maar",
    "actie", "acties", "opslaan", "bewerken", "gepland", "fase", "fasen", "cyclus", "mijlpaal",
    "mijlpalen", "traject", "trajecten", "leden", "lid", "toevoegen", "verwijderen", "terug", "nieuw",
    "nieuwe", "overzicht", "geschiedenis", "bijeenkomst", "bijeenkomsten", "evaluatie", "evaluaties",
    "ronde", "laag", "lagen", "eigenaar", "afgerond", "bezig", "gereed", "vervallen", "geblokkeerd",
    "behaald", "streefdatum", "gewijzigd", "aangemaakt", "gearchiveerd", "teruggezet", "verwijderd",
    "besluit", "besluiten", "resultaat", "resultaten", "groen", "oranje", "rood", "verdeeld",
    "toelichting", "toelichtingen", "netwerkbijeenkomst", "evaluatieronde", "herinnering", "beste",
    "uiterlijk", "groet", "vriendelijke", "stemmen", "kaart", "kaarten", "werkafspraak", "knelpunt",
    "januari", "februari", "maart", "mei", "juni", "juli", "augustus", "oktober", "systeem",
    "ja", "nee", "te", "laat", "inloggen", "uitloggen", "zoeken", "filteren", "alle", "mijn",
}  # fmt: skip

GLOSS = re.compile(r"\([^()]*\)")
WORD = re.compile(r"[a-zà-ÿ]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UI_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def dutch_words(text: str) -> set[str]:
    return {w for w in WORD.findall(GLOSS.sub(" ", text.lower())) if w in DUTCH}


class UIText(HTMLParser):
    """The text of a page outside elements marked lang="nl", scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: whether it is skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skipped = (self.stack[-1] if self.stack else False) or (
            # The page title repeats the heading, which is checked; a <title> cannot mark part of
            # itself as Dutch. <code> holds machine text (a feed URL with a random token, which
            # can contain "-de-"), not words.
            tag in ("script", "style", "title", "code") or (values.get("lang") == "nl" and tag != "html")
        )
        if not skipped:
            self.parts.extend(str(values[a]) for a in UI_ATTRIBUTES if values.get(a))
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag, attrs):
        if not (self.stack and self.stack[-1]):
            self.parts.extend(str(v) for a, v in attrs if a in UI_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def ui_text(html: str) -> str:
    parser = UIText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture
def english(world, client, login):
    """The world with English user data, its trail reset, and the project lead reading in English."""
    a, b = world["a"], world["b"]
    for trajectory, name in ((a, "Trajectory A"), (b, "Trajectory B")):
        trajectory.name, trajectory.theme = name, "Bullying"
        trajectory.target_groups, trajectory.area = "Youth 12-16", "Riverside"
    for n, membership in enumerate(a.memberships + b.memberships, start=1):
        membership.organisation.name = f"Organisation {n}"
    world["plan"].purpose = "Prevent bullying together"
    world["milestone"].title = "Approach agreed"
    world["action"].title = "Organise a meeting"
    world["meeting"].purpose = "Getting acquainted"
    world["step"].title = "Signalling"
    world["ambition"].title, world["ambition"].result = "Less bullying", "Fewer children are bullied"
    world["workshop"].title = "Ambition pie"
    world["partner"].contribution = "Youth care"
    lead = world["users"]["projectleider"]
    lead.locale = "en"
    db.session.commit()
    db.session.execute(sa.delete(AuditEvent))
    db.session.commit()
    login(lead)
    # A few changes made in English, for the history page.
    item = a.items[0]
    client.post(
        f"/trajecten/{a.id}/items/{item.id}",
        data={"answer": "First answer", "status": "in_behandeling", "version": str(item.version)},
    )
    client.post(f"/trajecten/{a.id}/items/{a.items[1].id}/archiveren")
    client.post(
        f"/trajecten/{a.id}/besluiten/fase1/nieuw",
        data={
            "outcome": "pas_op_de_plaats",
            "rationale": "Support first",
            "decided_by": "Steering group",
            "decided_on": "2026-03-01",
        },
    )
    return world


def _pages(world) -> list[str]:
    a = world["a"].id
    return [
        "/trajecten",
        "/mijn-werk",
        "/acties",
        "/account",
        f"/trajecten/{a}",
        *(f"/trajecten/{a}/fasen/{n}" for n in (1, 2, 3, 4)),
        f"/trajecten/{a}/plannen",
        f"/trajecten/{a}/plannen/{world['plan'].id}",
        f"/trajecten/{a}/acties",
        f"/trajecten/{a}/acties/{world['action'].id}",
        f"/trajecten/{a}/mijlpalen/{world['milestone'].id}",
        f"/trajecten/{a}/lagen/{Layer.UITVOEREND.value}",
        f"/trajecten/{a}/evaluaties",
        f"/trajecten/{a}/evaluaties/{world['round'].id}",
        f"/trajecten/{a}/geschiedenis",
        f"/trajecten/{a}/netwerk",
        f"/trajecten/{a}/bijeenkomsten",
        f"/trajecten/{a}/bijeenkomsten/{world['meeting'].id}",
        f"/trajecten/{a}/proces",
        f"/trajecten/{a}/ambities",
        f"/trajecten/{a}/werksessies",
        f"/trajecten/{a}/werksessies/{world['workshop'].id}",
        *(f"/trajecten/{a}/werksessies/{world['workshop'].id}/{p}" for p in ("sessie", "scherm", "meedoen")),
        f"/trajecten/{a}/leden",
        f"/trajecten/{a}/besluiten",
        f"/trajecten/{a}/startreflectie",
        f"/trajecten/{a}/tabel-1",
    ]


def test_main_pages_carry_no_dutch_ui_text(client, english):
    found = {}
    for url in _pages(english):
        response = client.get(url)
        assert response.status_code == 200, url
        words = dutch_words(ui_text(response.get_data(as_text=True)))
        if words:
            found[url] = sorted(words)
    assert found == {}


def test_the_history_names_record_types_fields_and_values_in_english(client, english):
    page = client.get(f"/trajecten/{english['a'].id}/geschiedenis").get_data(as_text=True)
    text = ui_text(page)
    assert "Item changed" in text and "Item archived" in text and "Decision created" in text
    assert "Status" in text and "In progress" in text and "Phase 1 decision: Pause" in text
    assert "in_behandeling" not in text and "pas_op_de_plaats" not in text


def test_exports_are_english(client, english):
    a = english["a"].id
    for url in (
        f"/trajecten/{a}/acties.csv",
        f"/trajecten/{a}/mijlpalen.csv",
        f"/trajecten/{a}/evaluaties/{english['round'].id}/resultaten.csv",
    ):
        body = client.get(url).get_data(as_text=True).lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(body), delimiter=";"))
        assert dutch_words(" ".join(rows[0])) == set(), url
        # Values the app writes (labels, yes/no); the factor titles are the handreiking's.
        if "resultaten" not in url:
            assert dutch_words(" ".join(" ".join(r) for r in rows[1:])) == set(), url
    body = client.get(f"/trajecten/{a}/acties.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body), delimiter=";"))
    assert header[:4] == ["\ufeffTrajectory", "Plan", "Cycle", "Action"]


def test_the_calendar_feed_is_in_the_owners_language(app, english):
    lead = english["users"]["projectleider"]
    feed = app.test_client().get(f"/agenda/{lead.calendar_token}.ics").get_data(as_text=True)
    summaries = [line for line in feed.replace("\r\n ", "").splitlines() if line.startswith("SUMMARY:")]
    assert "SUMMARY:Action: Organise a meeting" in summaries
    assert any(s.startswith("SUMMARY:Evaluation round") for s in summaries)
    assert all(dutch_words(s) == set() for s in summaries), summaries


def test_mails_are_in_the_recipients_language(app, english):
    from tracker.evaluations import tasks

    tasks.run_due(date.today())
    lead = english["users"]["projectleider"]
    mine = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_email == lead.email)).all()
    assert mine, "the open round invites the project lead"
    message = mine[0]
    assert message.subject.startswith("Evaluation round") and message.body.startswith(
        "Dear Pia Projectleider,"
    )
    assert dutch_words(re.sub(r"https?://\S+", "", f"{message.subject}\n{message.body}")) == set()
    dutch = next(
        m
        for m in db.session.scalars(sa.select(OutboxMessage))
        if m.membership_id
        and any(ms.id == m.membership_id and ms.role == Role.TEAMLID for ms in english["a"].memberships)
    )
    assert dutch.body.startswith("Beste Tim Teamlid,") and "uiterlijk op" in dutch.body


def test_every_audited_column_has_a_label():
    from tracker.audit import IGNORED_FIELDS
    from tracker.models.audit import audited_models

    missing = [
        f"{name}.{column.key}"
        for name, model in audited_models().items()
        for column in sa.inspect(model).columns
        if column.key not in IGNORED_FIELDS and "label" not in column.info
    ]
    assert len(audited_models()) >= 20 and missing == []
