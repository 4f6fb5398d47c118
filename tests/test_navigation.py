"""The trajectory menu: five groups, the pages of the current group, the current place marked with
aria-current, no script; and each phase page links the tools of that phase."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tracker.content import phase_tools
from tracker.navigation import GROUPS, PAGES

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class Links(HTMLParser):
    """The links (href, aria-current, text) inside each list of the element with ``class_``."""

    def __init__(self, class_: str) -> None:
        super().__init__(convert_charrefs=True)
        self.class_ = class_
        self.depth = 0  # >0 while inside the element
        self.lists: list[list[dict]] = []
        self.link: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if self.depth:
            self.depth += 1
            if tag == "ul":
                self.lists.append([])
            elif tag == "a":
                self.link = {"href": values.get("href"), "current": values.get("aria-current"), "text": ""}
                self.lists[-1].append(self.link)
        elif self.class_ in (values.get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if tag == "a":
            self.link = None

    def handle_data(self, data):
        if self.link is not None:
            self.link["text"] += data.strip()


def menu(html: str) -> list[list[dict]]:
    parser = Links("app-subnav")
    parser.feed(html)
    return parser.lists


def test_the_menu_has_five_groups_and_marks_the_current_group_and_page(client, login, world):
    a = world["a"].id
    login(world["users"]["teamlid"])
    html = client.get(f"/trajecten/{a}/fasen/2").get_data(as_text=True)
    groups, pages = menu(html)
    assert [g["text"] for g in groups] == ["Overzicht", "Fasen", "Werk", "Evaluaties", "Traject"]
    assert [g["current"] for g in groups] == [None, "true", None, None, None]
    assert [p["text"] for p in pages] == [
        "Fase 1", "Fase 2", "Fase 3", "Fase 4", "Tabel 1", "Startreflectie", "Besluiten",
    ]  # fmt: skip
    assert [p["text"] for p in pages if p["current"] == "page"] == ["Fase 2"]
    assert groups[1]["href"] == f"/trajecten/{a}/fasen/1"
    # The menu needs no script: the page's only one is the session warning of every signed-in page.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/session-timeout.js" defer>']

    groups, pages = menu(client.get(f"/trajecten/{a}/plannen/{world['plan'].id}").get_data(as_text=True))
    assert len(groups) == 5 and groups[2]["current"] == "true"
    assert [p["text"] for p in pages] == [
        "Netwerk", "Bijeenkomsten", "Proces", "Ambities", "Werksessies", "Plannen", "Acties", "Per laag",
        "Tijdlijn", "Grafieken",
    ]  # fmt: skip
    assert [p["text"] for p in pages if p["current"] == "page"] == ["Plannen"]


def test_one_place_is_the_current_page(client, login, world):
    a = world["a"].id
    login(world["users"]["teamlid"])
    for url in (f"/trajecten/{a}/acties", f"/trajecten/{a}/fasen/1", f"/trajecten/{a}", "/acties"):
        assert client.get(url).get_data(as_text=True).count('aria-current="page"') == 1, url


def test_a_group_of_one_page_is_the_page_itself(client, login, world):
    login(world["users"]["teamlid"])
    lists = menu(client.get(f"/trajecten/{world['a'].id}").get_data(as_text=True))
    assert len(lists) == 1  # no second row
    assert [(g["text"], g["current"]) for g in lists[0] if g["current"]] == [("Overzicht", "page")]


def test_settings_are_in_the_menu_for_project_leads_only(client, login, world):
    a = world["a"].id
    login(world["users"]["teamlid"])
    _, pages = menu(client.get(f"/trajecten/{a}/leden").get_data(as_text=True))
    assert [p["text"] for p in pages] == ["Leden", "Geschiedenis"]
    client.post("/uitloggen")
    login(world["users"]["projectleider"])
    groups, pages = menu(client.get(f"/trajecten/{a}/bewerken").get_data(as_text=True))
    assert groups[4]["current"] == "true"
    assert [(p["text"], p["current"]) for p in pages] == [
        ("Leden", None), ("Geschiedenis", None), ("Instellingen", "page"),
    ]  # fmt: skip


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_phase_page_links_the_tools_of_that_phase(client, login, world, number):
    a = world["a"].id
    login(world["users"]["meekijker"])
    html = client.get(f"/trajecten/{a}/fasen/{number}").get_data(as_text=True)
    parser = Links("app-tools")
    parser.feed(html)
    [tools] = parser.lists
    expected = {
        1: ["startreflectie", "tabel-1"],
        2: ["netwerk", "bijeenkomsten", "ambities", "werksessies"],
        3: ["proces"],
        4: ["plannen", "acties", "evaluaties"],
    }[number]
    assert [t["href"] for t in tools] == [f"/trajecten/{a}/{path}" for path in expected]
    assert "Werk in deze fase" in html


def test_every_place_a_page_names_and_every_phase_tool_is_in_the_menu():
    named = {f"phase{n}" for n in range(1, 5)}  # trajectory_nav(trajectory, 'phase' ~ number)
    for template in TEMPLATES.rglob("*.html"):
        named |= set(
            re.findall(r"trajectory_nav\(trajectory, '(\w+)'\)", template.read_text(encoding="utf-8"))
        )
    assert named - set(PAGES) == set()
    assert len(GROUPS) == 5
    assert sorted(phase_tools()) == [1, 2, 3, 4]
    assert {key for keys in phase_tools().values() for key in keys} - set(PAGES) == set()
