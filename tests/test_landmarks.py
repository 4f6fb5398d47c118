"""Every landmark of a page has a name of its own, so a screen reader's list of regions tells them
apart (WCAG 1.3.1; the rule axe-core calls ``landmark-unique``): a table's scrolling region is not
named like the section around it, the history's tables are numbered, the two search forms differ."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest

from tracker import demo

from .test_pagecache import PAGES, urls  # noqa: F401  (the fixture that fills in the demo's ids)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
IMPLICIT = {"nav": "navigation", "aside": "complementary", "main": "main"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.children = tag, attrs, []

    def text(self) -> str:
        return " ".join(" ".join(c.text() if isinstance(c, Node) else c for c in self.children).split())


class Tree(HTMLParser):
    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack, self.ids, self.all = [self.root], {}, []
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.all.append(node)
        if "id" in node.attrs:
            self.ids[node.attrs["id"]] = node
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def landmarks(body: str) -> list[tuple[str, str]]:
    """(role, accessible name) of the page's named or navigational landmarks."""
    tree = Tree(body)
    found = []
    for node in tree.all:
        name = node.attrs.get("aria-label") or " ".join(
            tree.ids[ref].text() for ref in node.attrs.get("aria-labelledby", "").split() if ref in tree.ids
        )
        role = node.attrs.get("role") or IMPLICIT.get(node.tag)
        if node.tag == "section" and name and not role:
            role = "region"
        if role in {"region", "search", "navigation", "complementary", "form"}:
            found.append((role, name))
    return found


@pytest.mark.parametrize(
    "email", ["anouk@demo.betersamen.nl", "tom@demo.betersamen.nl"], ids=["projectleider", "meekijker"]
)
def test_no_two_landmarks_of_a_page_share_their_name(client, urls, email):  # noqa: F811
    assert client.post("/inloggen", data={"email": email, "password": demo.DEMO_PASSWORD}).status_code == 302
    t = urls["trajectory"]
    pages = ("besluiten", "bijeenkomsten", "leden", "stand-van-zaken", "werksessies")
    more = {page: f"{t}/{page}" for page in pages}
    for name, url in {**urls, **more}.items():
        body = client.get(url).get_data(as_text=True)
        twice = [pair for pair, n in Counter(landmarks(body)).items() if n > 1]
        assert not twice, f"{name} ({url}): {twice}"


def test_the_check_finds_a_scroll_region_named_like_its_section():
    body = (
        '<section aria-labelledby="h"><h2 id="h">Mijlpalen</h2>'
        '<div role="region" aria-labelledby="c" tabindex="0"><table><caption id="c">Mijlpalen</caption>'
        "</table></div></section>"
    )
    assert Counter(landmarks(body))[("region", "Mijlpalen")] == 2
    assert len(PAGES) >= 17
