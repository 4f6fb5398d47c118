"""The Taart van ambities as a picture: five rings from the outside in (introductions, what goes
well, what can be better, my ambition, the shared ambition) with the notes written in them. This
module only lays the picture out (radii, positions, wrapped and shortened lines); the SVG is
``templates/sessions/_pie.svg`` and the same content is a list next to it for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.models import NoteCategory, Workshop

# The pie seen on the table: concentric ellipses, wider than high, so the rings leave room for a
# line of text at the sides as well as at the top and bottom (and fill a wide projector screen).
WIDTH, HEIGHT = 1240, 700
CX, CY = WIDTH / 2, HEIGHT / 2
RX, RY = 612, 344  # the outer ring
# Ring boundaries from the outside in, as fractions of the outer radii; the last ring is the centre.
BOUNDS = (1.0, 0.81, 0.62, 0.43, 0.24, 0.0)
FILLS = ("#ffffff", "#fff1a6", "#ffd1e3", "#cde6ff", "#cdf2cd")
LINE_CHARS = 14
ITEM_SPACING = 150  # room one note takes along its ring, in SVG units
MARGIN = 66  # keep notes this far from the picture's left and right edges


@dataclass(frozen=True)
class Item:
    x: float
    y: float
    lines: tuple[str, ...]
    full: str


@dataclass(frozen=True)
class Ring:
    key: str
    label: Any  # lazy gettext string
    outer: float  # fraction of the outer radii
    inner: float
    fill: str
    texts: tuple[str, ...]  # every note of the ring, in full (the list for screen readers)
    items: tuple[Item, ...]  # what fits in the picture
    more: int  # notes that did not fit

    @property
    def rx(self) -> float:
        return round(RX * self.outer, 1)

    @property
    def ry(self) -> float:
        return round(RY * self.outer, 1)

    @property
    def label_y(self) -> float:
        return round(CY - RY * self.outer + 24, 1)

    @property
    def more_y(self) -> float:
        """Where '+ n more' goes: at the bottom of the ring."""
        return (
            round(CY + RY * (self.outer + self.inner) / 2 + 6, 1)
            if self.inner
            else round(CY + RY * self.outer - 14, 1)
        )


def wrap(text: str, width: int = LINE_CHARS, lines: int = 2) -> tuple[str, ...]:
    """At most ``lines`` lines of about ``width`` characters; an ellipsis where text was cut."""
    words, result, line = " ".join(text.split()).split(" "), [], ""
    for word in words:
        word = word if len(word) <= width else word[: width - 1] + "…"
        if line and len(line) + 1 + len(word) > width:
            result.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    result.append(line)
    if len(result) > lines:
        result = result[:lines]
        last = result[-1]
        result[-1] = (last if len(last) < width else last[: width - 1]) + "…"
    return tuple(result)


def _perimeter(a: float, b: float) -> float:
    """Ramanujan's approximation of an ellipse's perimeter."""
    return math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))


def _person(text: str) -> tuple[str, ...]:
    """A participant as two lines: the name, then the role."""
    name, _sep, role = text.partition(" — ")
    return wrap(name, lines=1) + (wrap(role, lines=1) if role else ())


def _around(texts: list[str], middle: float, lines=wrap) -> tuple[tuple[Item, ...], int]:
    """Notes spread around a ring, clockwise from the top, leaving the top for the ring's name."""
    a, b = RX * middle, RY * middle
    room = max(1, int(_perimeter(a, b) / ITEM_SPACING) - 1)
    shown = texts if len(texts) <= room else texts[: room - 1]
    items = []
    for i, text in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * (i + 1) / (len(shown) + 1)
        x = min(max(CX + a * math.cos(angle), MARGIN), WIDTH - MARGIN)
        items.append(Item(round(x, 1), round(CY + b * math.sin(angle) + 5, 1), lines(text), text))
    return tuple(items), len(texts) - len(shown)


def _centre(texts: list[str]) -> tuple[tuple[Item, ...], int]:
    """The shared ambitions (at most three) stacked in the centre."""
    shown = texts[:3]
    step = 42
    top = CY - step * (len(shown) - 1) / 2 + 10
    items = tuple(
        Item(CX, round(top + i * step, 1), wrap(text, width=22, lines=2 if len(shown) < 3 else 1), text)
        for i, text in enumerate(shown)
    )
    return items, len(texts) - len(shown)


def rings(workshop: Workshop) -> list[Ring]:
    notes = {c: [n.text for n in workshop.notes if n.category == c] for c in NoteCategory}
    contents = [
        ("kennismaken", _l("Introductions"), [_who(p) for p in workshop.participants]),
        ("goed", _l("What goes well"), notes[NoteCategory.GOED]),
        ("beter", _l("What can be better"), notes[NoteCategory.BETER]),
        ("ambitie", _l("My ambition"), notes[NoteCategory.AMBITIE]),
        ("gezamenlijk", _l("Joint ambition"), [a.title for a in workshop.ambitions]),
    ]
    result = []
    for i, (key, label, texts) in enumerate(contents):
        outer, inner = BOUNDS[i], BOUNDS[i + 1]
        if inner == 0:
            items, more = _centre(texts)
        else:
            items, more = _around(texts, (outer + inner) / 2, _person if key == "kennismaken" else wrap)
        result.append(Ring(key, label, outer, inner, FILLS[i], tuple(texts), items, more))
    return result


def _who(participant) -> str:
    return (
        f"{participant.display_name} — {participant.role}" if participant.role else participant.display_name
    )
