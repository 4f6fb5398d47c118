"""The steps of a guided session, read from the content file (tracker/content/sessions.toml), and
where a session stands among them. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.content import session_instruments
from tracker.models import Instrument, NoteCategory, Workshop


@dataclass(frozen=True)
class Step:
    """One step of a document: its own words (Dutch, verbatim) and what it collects."""

    key: str
    number: int  # 1-based place in the session
    title: str
    purpose: str
    help: tuple[str, ...]
    after: str
    optional: bool
    inputs: tuple[str, ...]
    category: NoteCategory | None  # the notes this step collects, if any
    follow_up: str = ""  # the grade's follow-up question
    evaluation_question: str = ""

    @classmethod
    def of(cls, number: int, data: dict[str, Any]) -> Step:
        return cls(
            key=data["key"],
            number=number,
            title=data["title"],
            purpose=data["purpose"],
            help=tuple(data["help"]),
            after=data["after"],
            optional=bool(data.get("optional", False)),
            inputs=tuple(data["inputs"]),
            category=NoteCategory(data["category"]) if data.get("category") else None,
            follow_up=data.get("follow_up", ""),
            evaluation_question=data.get("evaluation_question", ""),
        )


def instrument_content(instrument: Instrument) -> dict[str, Any]:
    return session_instruments()[instrument.value]


def steps_of(instrument: Instrument) -> list[Step]:
    return [Step.of(i, s) for i, s in enumerate(instrument_content(instrument)["steps"], start=1)]


def index_of(steps: list[Step], key: str) -> int:
    """The step's place (0-based); an unknown or empty key is the first step."""
    return next((i for i, s in enumerate(steps) if s.key == key), 0)


@dataclass(frozen=True)
class Position:
    """Where a session stands: its steps, the current one and how far it has come."""

    steps: list[Step]
    current: Step
    reached: int  # index of the furthest step reached
    skipped: frozenset[str]

    @property
    def index(self) -> int:
        return self.current.number - 1

    @property
    def is_first(self) -> bool:
        return self.index == 0

    @property
    def is_last(self) -> bool:
        return self.index == len(self.steps) - 1

    @property
    def previous(self) -> Step | None:
        return None if self.is_first else self.steps[self.index - 1]

    @property
    def following(self) -> Step | None:
        return None if self.is_last else self.steps[self.index + 1]

    def state(self, step: Step) -> str:
        """'current', 'skipped', 'done' (reached before) or 'ahead'."""
        if step.key == self.current.key:
            return "current"
        if step.key in self.skipped:
            return "skipped"
        return "done" if step.number - 1 <= self.reached else "ahead"


def position(workshop: Workshop) -> Position:
    steps = steps_of(workshop.instrument)
    current = steps[index_of(steps, workshop.step)]
    reached = max(index_of(steps, workshop.reached), current.number - 1)
    skipped = frozenset(k for k in workshop.skipped.split(",") if k)
    return Position(steps, current, reached, skipped)
