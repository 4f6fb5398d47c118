"""Searching the index: the user's text turned into a safe full-text query, ranked, limited in SQL
to the trajectories the user may view, paged, and grouped by trajectory and kind for the page.

SQLite matches with FTS5 (every term quoted, the last one also as a prefix) and ranks with bm25(),
the title weighing ten times the body; PostgreSQL matches the generated ``tsvector`` with
``websearch_to_tsquery('dutch', ...)`` (the last term also as a prefix) and ranks with ts_rank().
Terms are runs of letters and digits only, so nothing the user types reaches the query syntax.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape

from tracker.access import viewable_trajectory_ids
from tracker.extensions import db
from tracker.models import SearchEntry, SearchKind, Trajectory, User
from tracker.paging import Page, clamp

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20
PAGE_SIZE = 20
SNIPPET_LENGTH = 200
_TERM = re.compile(r"[^\W_]+")


def terms_of(text: str) -> list[str]:
    """The words and numbers in the user's text (at most ``MAX_TERMS``); punctuation, quotes and
    operators separate them and are dropped."""
    return _TERM.findall(text)[:MAX_TERMS]


@dataclass(frozen=True)
class Hit:
    kind: SearchKind
    record_id: int
    trajectory_id: int
    page_id: int
    title: str
    body: str
    context: str


@dataclass
class KindGroup:
    kind: SearchKind
    hits: list[Hit] = field(default_factory=list)


@dataclass
class TrajectoryGroup:
    trajectory_id: int
    name: str
    kinds: list[KindGroup] = field(default_factory=list)

    def add(self, hit: Hit) -> None:
        group = next((k for k in self.kinds if k.kind == hit.kind), None)
        if group is None:
            group = KindGroup(hit.kind)
            self.kinds.append(group)
        group.hits.append(hit)


@dataclass
class Results:
    terms: list[str]
    total: int
    page: int
    pages: int
    groups: list[TrajectoryGroup]

    @property
    def first(self) -> int:
        return self.pager.first

    @property
    def last(self) -> int:
        return self.pager.last

    @property
    def pager(self) -> Page[Any]:
        """The page's place in the whole list, for the shared pager."""
        return Page([], self.page, PAGE_SIZE, self.total)


def _full_text(terms: list[str], dialect: str) -> tuple[list, Any, Any]:
    """What the query joins, its condition and its ranking (ascending) on this database."""
    if dialect == "postgresql":
        config: Any = sa.literal_column("'dutch'::regconfig")
        query = sa.func.websearch_to_tsquery(config, " ".join(terms[:-1])).op("&&")(
            sa.func.to_tsquery(config, f"'{terms[-1]}':*")
        )
        vector: Any = sa.literal_column("search_entries.search_vector")
        return [], vector.op("@@")(query), sa.func.ts_rank(vector, query).desc()
    fts = sa.table("search_entries_fts", sa.column("rowid", sa.Integer))
    match = " ".join(f'"{term}"' for term in terms) + "*"
    condition = sa.text("search_entries_fts MATCH :match").bindparams(match=match)
    return (
        [(fts, fts.c.rowid == SearchEntry.id)],
        condition,
        sa.literal_column("bm25(search_entries_fts, 10.0, 1.0)"),
    )


def search(user: User, terms: list[str], page: int = 1) -> Results:
    """One page of the entries that match every term (the last one also as a prefix), best first,
    from the trajectories the user may view. Two queries: the count and the page."""
    if not terms:
        return Results(terms, 0, 1, 1, [])
    joins, condition, rank = _full_text(terms, db.engine.dialect.name)
    where = [condition, SearchEntry.trajectory_id.in_(viewable_trajectory_ids(user))]

    count = sa.select(sa.func.count()).select_from(SearchEntry)
    for target, on in joins:
        count = count.join(target, on)
    total = int(db.session.scalar(count.where(*where)) or 0)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = clamp(page, total, PAGE_SIZE)
    if not total:
        return Results(terms, 0, page, pages, [])

    stmt = sa.select(SearchEntry, Trajectory.name).join(
        Trajectory, Trajectory.id == SearchEntry.trajectory_id
    )
    for target, on in joins:
        stmt = stmt.join(target, on)
    stmt = stmt.where(*where).order_by(rank, SearchEntry.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    groups: dict[int, TrajectoryGroup] = {}
    for entry, name in db.session.execute(stmt):
        group = groups.setdefault(entry.trajectory_id, TrajectoryGroup(entry.trajectory_id, name))
        group.add(
            Hit(
                entry.kind,
                entry.record_id,
                entry.trajectory_id,
                entry.page_id,
                entry.title,
                entry.body,
                entry.context,
            )
        )
    return Results(terms, total, page, pages, list(groups.values()))


def _pattern(terms: list[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(term) for term in sorted(set(terms), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})\w*", re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> Markup:
    """The text, escaped, with the words that start with a search term marked."""
    out = Markup("")
    last = 0
    if terms:
        for found in _pattern(terms).finditer(text):
            out += escape(text[last : found.start()]) + Markup("<mark>%s</mark>") % found.group()
            last = found.end()
    return out + escape(text[last:])


def snippet(text: str, terms: list[str]) -> Markup:
    """A piece of a long text around the first term found in it, highlighted (escaped)."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_LENGTH:
        return highlight(text, terms)
    found = _pattern(terms).search(text) if terms else None
    start = max(0, (found.start() if found else 0) - SNIPPET_LENGTH // 4)
    piece = text[start : start + SNIPPET_LENGTH]
    return (
        (Markup("…") if start else Markup(""))
        + highlight(piece, terms)
        + (Markup("…") if start + SNIPPET_LENGTH < len(text) else Markup(""))
    )
