"""The entries of 'Wat loopt achter' (what is behind, of which kind, whose, by when, where it
links to), and their grouping by layer and owner."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.models import Layer
from tracker.models.labeled import LabeledEnum


class EntryKind(LabeledEnum):
    ITEM_OVERDUE = "punt_te_laat", _l("Checklist item overdue")
    ACTION_OVERDUE = "actie_te_laat", _l("Action overdue")
    ACTION_BLOCKED = "actie_geblokkeerd", _l("Action blocked")
    MILESTONE_LATE = "mijlpaal_te_laat", _l("Milestone late")
    MILESTONE_AT_RISK = "mijlpaal_risico", _l("Milestone at risk")
    RED_CARD = "rode_kaart", _l("Red card without an action")


DUE, TARGET, CLOSED = _l("Due date"), _l("Target date"), _l("Round closed on")
DATE_LABELS = {
    EntryKind.ITEM_OVERDUE: DUE,
    EntryKind.ACTION_OVERDUE: DUE,
    EntryKind.ACTION_BLOCKED: DUE,
    EntryKind.MILESTONE_LATE: TARGET,
    EntryKind.MILESTONE_AT_RISK: TARGET,
    EntryKind.RED_CARD: CLOSED,
}


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    title: str
    url: str
    trajectory_id: int
    trajectory_name: str
    layer: Layer | None
    owner: str | None
    due: date | None = None
    round_name: str = ""  # a red card: the round, and how many red cards the factor got
    red_cards: int = 0
    dutch: bool = False  # the title is the handreiking's Dutch text

    @property
    def date_label(self) -> str:
        return str(DATE_LABELS[self.kind])


@dataclass
class OwnerGroup:
    owner: str | None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class LayerGroup:
    layer: Layer | None
    owners: list[OwnerGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(o.entries) for o in self.owners)


LAYER_ORDER = {layer: index for index, layer in enumerate(Layer)}


def counts(entries: list[Entry]) -> list[tuple[EntryKind, int]]:
    """How many entries of each kind, in the kinds' order (kinds without entries left out)."""
    found = Counter(e.kind for e in entries)
    return [(kind, found[kind]) for kind in EntryKind if found[kind]]


def _order(entry: Entry) -> tuple:
    """By layer (board, management, professional, then none), then by owner (by name, nobody
    last), then by date (undated last) and kind."""
    layer = LAYER_ORDER[entry.layer] if entry.layer is not None else len(LAYER_ORDER)
    return (
        layer,
        entry.owner is None,
        entry.owner or "",
        entry.due is None,
        entry.due or date.max,
        entry.trajectory_name,
        entry.kind.value,
        entry.title,
        entry.url,
    )


def ordered(entries: list[Entry]) -> list[Entry]:
    """The entries in the order they are shown (and paged): by layer, owner, date and kind."""
    return sorted(entries, key=_order)


def grouped(entries: list[Entry]) -> list[LayerGroup]:
    """Entries in their shown order (:func:`ordered`), grouped by layer, then by owner."""
    result: list[LayerGroup] = []
    for entry in ordered(entries):
        if not result or result[-1].layer != entry.layer:
            result.append(LayerGroup(entry.layer))
        owners = result[-1].owners
        if not owners or owners[-1].owner != entry.owner:
            owners.append(OwnerGroup(entry.owner))
        owners[-1].entries.append(entry)
    return result
