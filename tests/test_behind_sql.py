"""'Wat loopt achter' is paged in the database: when the data triples, a page issues the same
queries, loads the same number of records and builds no more than a page of entries; the page
query has a LIMIT; and the database's order is the order the entries are shown in."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tracker.behind import query, services
from tracker.behind.entries import ordered
from tracker.extensions import Base, db
from tracker.paging import PER_PAGE

from .test_paging import _actions, _blocked, _lead, _lead_member, _milestones


def _grow(world, n: int) -> None:
    _actions(world, n)  # a third of them overdue
    _blocked(world, n)
    _actions(world, n, owner=_lead_member(world))
    _milestones(world, n)


def _measure(client, url: str, monkeypatch) -> dict[str, object]:
    """The queries, the records loaded, the entries built and the page selects of one request."""
    seen: dict[str, object] = {"queries": 0, "records": 0, "entries": 0, "selects": []}

    def executed(_conn, _cursor, statement, *_args):
        seen["queries"] = int(seen["queries"]) + 1  # type: ignore[call-overload]
        if "UNION ALL" in statement and "ORDER BY" in statement:
            seen["selects"].append(statement)  # type: ignore[union-attr]

    def loaded(*_args):
        seen["records"] = int(seen["records"]) + 1  # type: ignore[call-overload]

    build = query.entry

    def entry(row):
        seen["entries"] = int(seen["entries"]) + 1  # type: ignore[call-overload]
        return build(row)

    sa.event.listen(db.engine, "before_cursor_execute", executed)
    sa.event.listen(Base, "load", loaded, propagate=True)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(query, "entry", entry)
            response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", executed)
        sa.event.remove(Base, "load", loaded)
    assert response.status_code == 200, url
    seen["shown"] = len(
        re.findall('<span class="app-badge app-badge--overdue">', response.get_data(as_text=True))
    )
    return seen


def test_a_page_of_what_is_behind_stays_bounded_when_the_data_triples(client, login, world, monkeypatch):
    _grow(world, 60)
    login(_lead(world))
    urls = [f"/trajecten/{world['a'].id}/achter", "/achter", "/achter?laag=uitvoerend&pagina=2"]
    for url in urls:
        client.get(url)  # once before measuring, as a worker has served it before
    small = {url: _measure(client, url, monkeypatch) for url in urls}
    _grow(world, 120)
    large = {url: _measure(client, url, monkeypatch) for url in urls}
    for url in urls:
        assert large[url]["queries"] == small[url]["queries"], url
        assert large[url]["records"] == small[url]["records"], url
        assert large[url]["shown"] == PER_PAGE, url
        assert large[url]["entries"] == PER_PAGE, url  # only the page's rows become entries
        (select,) = large[url]["selects"]  # type: ignore[misc]
        assert "LIMIT" in select, url


def test_the_database_orders_what_is_behind_as_it_is_shown(app, world):
    _grow(world, 40)
    with app.test_request_context():
        everything = services.behind([world["a"].id, world["b"].id])
        assert len(everything) > 2 * 40
        assert everything == ordered(everything)
