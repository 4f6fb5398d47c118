"""The history reads as plain language: labelled record types and fields, names instead of ids,
labels instead of codes, dates in words, 25 changes a page, filtered by record type."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa
from babel.messages.pofile import read_po

import tracker
from tracker import demo
from tracker.extensions import db
from tracker.models import AuditEvent, Trajectory
from tracker.models.audit import audited_models
from tracker.trajectories.history import HISTORY_PAGE

CAMEL_CASE = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
PYTHON_BOOLEANS = re.compile(r"\b(?:True|False|None)\b")
BARE_NUMBER = re.compile(r"^\s*\d+\s*$")


class HistoryText(HTMLParser):
    """The visible text of a history page, and per change row its field and values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipped = 0
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self.skipped += 1
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self.cell = []
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self.skipped -= 1
        if tag in ("th", "td") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.skipped:
            return
        self.parts.append(data)
        if self.cell is not None:
            self.cell.append(data)


def _read(client, url: str) -> HistoryText:
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = HistoryText()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def _numeric_field_labels() -> set[str]:
    """The labels of fields whose values are numbers of their own (a position, a grade, days)."""
    labels = set()
    for model in audited_models().values():
        for column in sa.inspect(model).columns:
            if not column.foreign_keys and isinstance(column.type, sa.Integer) and "label" in column.info:
                labels.add(str(column.info["label"]))
    labels.discard(str(sa.inspect(audited_models()["Action"]).columns["source_id"].info["label"]))
    return labels


def _dutch_ui_words() -> set[str]:
    """Single words the Dutch UI uses (some class names are Dutch words too: Plan, Workshop)."""
    with (Path(tracker.__file__).parent / "translations/nl/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    return {str(m.string) for m in catalog if isinstance(m.string, str) and re.fullmatch(r"\w+", m.string)}


def _problems(url: str, page: HistoryText, numeric: set[str], class_names: set[str]) -> list[str]:
    text = " ".join(page.parts)
    found = [
        f"{url}: {m}" for pattern in (CAMEL_CASE, SNAKE_CASE, PYTHON_BOOLEANS) for m in pattern.findall(text)
    ]
    found += [f"{url}: class name {w}" for w in set(re.findall(r"\b\w+\b", text)) & class_names]
    for row in page.rows:
        if len(row) == 3 and row[0] not in numeric:
            found += [f"{url}: {row[0]}: {v}" for v in row[1:] if BARE_NUMBER.match(v)]
    return found


def _links(page: HistoryText, *names: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in page.links
        if "/geschiedenis?" in link
        and any(f"{n}=" in link for n in names)
        and "id=" not in link.split("?")[1].replace("soort=", "")
    ]


def test_the_demo_history_reads_as_plain_language_on_every_page_and_filter(client, app, demo_loaded):
    case = db.session.scalar(sa.select(Trajectory).where(Trajectory.name.like("Preventie%")))
    client.post("/inloggen", data={"email": "anouk@demo.betersamen.nl", "password": demo.DEMO_PASSWORD})
    base = f"/trajecten/{case.id}/geschiedenis"
    numeric = _numeric_field_labels()
    class_names = set(audited_models()) - _dutch_ui_words()
    first = client.get(base).get_data(as_text=True)
    types = re.findall(r'<option value="(\w+)"', first)
    assert len(types) > 10 and "Action" in types and 'id="f-soort"' in first
    problems: list[str] = []
    seen_events = 0
    for entity in [None, *types]:
        url = f"{base}?soort={entity}" if entity else base
        pages = 0
        while url:
            page = _read(client, url)
            problems += _problems(url, page, numeric, class_names)
            older = [link for link in _links(page, "voor") if "voor=" in link]
            newer = [link for link in _links(page, "na") if "na=" in link]
            if entity:
                assert all(f"soort={entity}" in link for link in older + newer), url
            if pages:
                assert newer, f"{url} links back to newer changes"
            url = older[0] if older else None
            pages += 1
            assert pages < 100
        if entity is None:
            total = db.session.scalar(
                sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.trajectory_id == case.id)
            )
            assert pages == -(-total // HISTORY_PAGE)
            seen_events = total
    assert seen_events > HISTORY_PAGE
    assert problems == []


def _event(trajectory, entity: str, entity_id: int, changes: dict, summary: str = "") -> AuditEvent:
    event = AuditEvent(
        trajectory_id=trajectory.id,
        entity=entity,
        entity_id=entity_id,
        action="update",
        summary=summary,
        changes=changes,
    )
    db.session.add(event)
    return event


def test_references_show_names_removed_records_their_last_name_and_values_read_as_words(
    client, login, world, make_org
):
    a = world["a"]
    member = a.memberships[0]
    other = make_org()
    item = a.items[0]
    _event(a, "Action", 424242, {"title": [None, "Weg"]}, summary="Een verwijderde actie")
    _event(a, "Membership", member.id, {"organisation_id": [member.organisation_id, other.id]})
    _event(
        a,
        "ChecklistItem",
        item.id,
        {"is_custom": [False, True], "due_date": ["2026-03-01", None], "owner_id": [member.id, 999999]},
    )
    _event(a, "WorkshopParticipant", 1, {"action_id": [None, 424242]})
    db.session.commit()
    login(world["users"]["projectleider"])
    page = _read(client, f"/trajecten/{a.id}/geschiedenis")
    rows = [row for row in page.rows if len(row) == 3]
    assert ["Organisatie", member.organisation.name, other.name] in rows
    assert ["Toegevoegd door het traject", "Nee", "Ja"] in rows
    assert ["Deadline", "1 maart 2026", "—"] in rows
    assert ["Eigenaar", member.user.name, "een verwijderd gegeven"] in rows
    assert ["Actie", "—", "Een verwijderde actie"] in rows


def test_pages_of_25_newer_and_older_keep_the_record_type(client, login, world):
    a = world["a"]
    for n in range(30):
        _event(a, "Milestone", world["milestone"].id, {"title": [f"Oud {n}", f"Nieuw {n}"]})
    _event(a, "Action", world["action"].id, {"title": ["Oud", "Nieuw"]})
    db.session.commit()
    login(world["users"]["teamlid"])
    url = f"/trajecten/{a.id}/geschiedenis?soort=Milestone"
    first = client.get(url).get_data(as_text=True)
    assert first.count('class="app-card"') == HISTORY_PAGE and "Nieuwere wijzigingen" not in first
    older = re.search(r'href="([^"]*voor=\d+[^"]*)">Oudere wijzigingen', first).group(1).replace("&amp;", "&")
    assert "soort=Milestone" in older
    second = client.get(older).get_data(as_text=True)
    assert "Oudere wijzigingen" not in second and "Nieuw 0" in second and "Mijlpaal" in second
    assert second.count('class="app-card"') >= 5 and "Actie gewijzigd" not in second
    newer = (
        re.search(r'href="([^"]*na=\d+[^"]*)">Nieuwere wijzigingen', second).group(1).replace("&amp;", "&")
    )
    assert "soort=Milestone" in newer
    assert client.get(newer).get_data(as_text=True).count('class="app-card"') == HISTORY_PAGE


def test_names_on_a_history_page_cost_the_same_queries_for_few_and_many_references(
    client, login, world, make_org
):
    from .test_queries import queries_for

    a = world["a"]
    member = a.memberships[0]

    def add(n: int, distinct: bool) -> None:
        one = make_org()
        for _ in range(n):
            new = make_org() if distinct else one
            _event(a, "Membership", member.id, {"organisation_id": [member.organisation_id, new.id]})
            _event(a, "Action", world["action"].id, {"owner_id": [None, member.id], "cycle_id": [None, 1]})
        db.session.commit()

    login(world["users"]["projectleider"])
    add(13, distinct=False)  # a full page of these two kinds of change, naming one new organisation
    few = queries_for(client, f"/trajecten/{a.id}/geschiedenis")
    add(13, distinct=True)  # a full page again, naming 13 different organisations
    assert queries_for(client, f"/trajecten/{a.id}/geschiedenis") == few
