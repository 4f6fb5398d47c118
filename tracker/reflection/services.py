"""The start reflection: which aspects changed since a form was loaded, and saving it. Writes flush;
views commit."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.extensions import db
from tracker.models import Movement, StartReflection, Trajectory


@dataclass(frozen=True)
class AspectEntry:
    """One aspect as the form gives it back; ``version`` is what the form was loaded with."""

    aspect_key: str
    version: str
    movement: Movement | None
    note: str


def stale_reflections(trajectory: Trajectory, entries: list[AspectEntry]) -> list[StartReflection]:
    """The aspects someone else saved since the form was loaded."""
    versions = {e.aspect_key: e.version for e in entries}
    return [
        r
        for r in trajectory.reflections
        if versions.get(r.aspect_key) and versions[r.aspect_key] != str(r.version)
    ]


def update_reflection(trajectory: Trajectory, entries: list[AspectEntry]) -> None:
    by_key = {r.aspect_key: r for r in trajectory.reflections}
    for entry in entries:
        reflection = by_key.get(entry.aspect_key)
        if reflection is None:
            continue
        reflection.movement = entry.movement
        reflection.note = entry.note
    db.session.flush()
