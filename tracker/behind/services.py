"""'Wat loopt achter': what is behind in one trajectory or across all a user may see: overdue
checklist items, overdue or blocked actions, milestones at risk or late, and success factors with a
red card in the latest closed evaluation round that no action follows up. Grouped by layer and
owner; each entry links to the record. The entries are one UNION ALL in the database
(:mod:`tracker.behind.query`): a page of it is one query, the counts per kind and layer one
GROUP BY, whatever the number of records; the trajectories are limited in SQL (a list of ids, or
the viewable-trajectories subquery)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.behind import query
from tracker.behind.entries import Entry, EntryKind
from tracker.behind.query import Trajectories
from tracker.extensions import db
from tracker.models import Layer
from tracker.paging import Page, paginate


def _entries(trajectories: Trajectories, today: date | None, kinds: tuple = query.ALL) -> list[Entry]:
    """Every entry of these kinds, in the shown order."""
    values = query.params(trajectories, today or date.today())
    return [query.entry(row) for row in db.session.execute(query.statements(kinds).ordered, values)]


# The kinds one at a time.
def overdue_items(trajectories: Trajectories, today: date) -> list[Entry]:
    return _entries(trajectories, today, (query.items,))


def late_actions(trajectories: Trajectories, today: date) -> list[Entry]:
    return _entries(trajectories, today, (query.actions,))


def troubled_milestones(trajectories: Trajectories, today: date) -> list[Entry]:
    return _entries(trajectories, today, (query.milestones,))


def unanswered_red_cards(trajectories: Trajectories, today: date) -> list[Entry]:
    return _entries(trajectories, today, (query.red_cards,))


def behind(trajectories: Trajectories, today: date | None = None, kinds: tuple = query.ALL) -> list[Entry]:
    """Everything that is behind in these trajectories (ids, or a subquery of ids), in the shown
    order: all of it, for the report; the pages use :func:`behind_page`."""
    return _entries(trajectories, today, kinds)


@dataclass(frozen=True)
class BehindPage:
    """One page of entries, and the counts over every page: per kind (in the kinds' order,
    kinds without entries left out), per layer (None: no layer) and in all."""

    page: Page[Entry]
    kinds: list[tuple[EntryKind, int]]
    per_layer: Counter
    total: int


def behind_page(
    trajectories: Trajectories,
    layer: Layer | None = None,
    today: date | None = None,
    *,
    anchor: str | None = None,
) -> BehindPage:
    """The page asked for (``?pagina=N``) of what is behind, in one layer if asked: the counts in
    one GROUP BY, the total and the page's rows in two more queries."""
    values = query.params(trajectories, today or date.today(), layer)
    statements = query.statements(layered=layer is not None)
    counted: Iterable[tuple[str, str | None, int]] = db.session.execute(statements.counted, values)
    per_kind: Counter = Counter()
    per_layer: Counter = Counter()
    for kind, layer_value, n in counted:
        per_kind[EntryKind(kind)] += n
        per_layer[Layer(layer_value) if layer_value else None] += n
    rows = paginate(statements.ordered, anchor=anchor, scalars=False, params=values)
    page = Page(
        [query.entry(row) for row in rows], rows.number, rows.per_page, rows.total, rows.arg, rows.anchor
    )
    kinds = [(kind, per_kind[kind]) for kind in EntryKind if per_kind[kind]]
    return BehindPage(page, kinds, per_layer, sum(per_kind.values()))
