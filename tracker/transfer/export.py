"""The export: a trajectory as a JSON-ready dict, by walking the schema; or, for a download, as
JSON text written a record at a time (:func:`write_trajectory`, see stream.py) so that memory
stays flat however large the trajectory."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Organisation, Trajectory, utcnow
from tracker.transfer.schema import ACTION_SOURCES, FORMAT, FORMAT_VERSION, ORGANISATION_NODE, TRAJECTORY
from tracker.transfer.spec import (
    ORGANISATION,
    SOURCE,
    USER,
    Children,
    Group,
    Node,
    Ref,
    fk_column,
    key_of,
    written_key,
)


def export_trajectory(trajectory: Trajectory, *, open_round_ballots: bool = False) -> dict[str, Any]:
    """The trajectory as a JSON-ready dict. Ballots of rounds whose results are not visible yet
    (see :func:`tracker.access.results_visible`) are left out unless ``open_round_ballots`` (the
    operator's command-line transfer): a member must not learn a round's votes from an export."""
    return _Export(open_round_ballots).run(trajectory)


class Lazy:
    """A list of the document written as it is generated (the records are not kept)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[Any]:
        return self.items


@dataclass(frozen=True)
class Pending:
    """A reference to a record later in the document: written as a mark, filled in afterwards."""

    number: int


def lazy_trajectory(trajectory: Trajectory, *, open_round_ballots: bool = False) -> tuple[dict, Callable]:
    """The document with its lists as :class:`Lazy` generators and its forward references as
    :class:`Pending` marks, and the function that gives a mark's value once the whole document
    has been written."""
    export = _Export(open_round_ballots, lazy=True)
    return export.start(trajectory), export.resolve


BATCH = 200  # records of one query fetched at a time


def encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _eager(node: Node) -> list[Any]:
    """Load the collections below ``node`` in one query each, not one per record."""
    return [
        selectinload(getattr(node.model, child.collection)).options(*_eager(child.node))
        for child in node.children.values()
        if isinstance(child, Children) and child.collection
    ]


class _Export:
    def __init__(self, open_round_ballots: bool, *, lazy: bool = False) -> None:
        self.open_round_ballots = open_round_ballots
        self.lazy = lazy
        self.keys: dict[str, dict[int, tuple[Any, ...]]] = defaultdict(dict)
        # References to records that come later in the document, filled in at the end.
        # Written lazily, the document is not kept: only the reference's target is.
        self.pending: list[tuple[dict[str, Any] | None, str, str, int, bool]] = []

    def run(self, trajectory: Trajectory) -> dict[str, Any]:
        document = self.start(trajectory)
        for number, (doc, name, *_target) in enumerate(self.pending):
            assert doc is not None
            doc[name] = self.resolve(number)
        return document

    def resolve(self, number: int) -> Any:
        """The value of the ``number``-th forward reference, once its target has been written."""
        _doc, _name, target, target_id, local = self.pending[number]
        return self.written(target, target_id, local)

    def written(self, target: str, target_id: int, local: bool) -> Any:
        key = self.keys[target].get(target_id)
        return None if key is None else (key[-1] if local else written_key(key))

    def start(self, trajectory: Trajectory) -> dict[str, Any]:
        trajectory = db.session.scalars(
            sa.select(Trajectory)
            .where(Trajectory.id == trajectory.id)
            .options(*_eager(TRAJECTORY))
            .execution_options(populate_existing=True)
        ).one()
        organisations = {m.organisation.name: m.organisation for m in trajectory.memberships}
        document: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": utcnow().isoformat(),
            "trajectory": self.fields(TRAJECTORY, trajectory, ()),
            "organisations": [
                self.fields(ORGANISATION_NODE, organisations[name], ()) for name in sorted(organisations)
            ],
        }
        self.children(TRAJECTORY, trajectory, (), document)
        return document

    def fields(self, node: Node, obj: Any, private: tuple[str, ...]) -> dict[str, Any]:
        """The record's columns and references (its children apart)."""
        doc = {name: encode(getattr(obj, node.read.get(name, name))) for name in node.columns()}
        for name, ref in node.refs.items():
            doc[name] = None if name in private else self.reference(name, ref, obj, doc)
        for name in private:
            if name not in node.refs:
                doc[name] = ""
        return doc

    def record(
        self, node: Node, obj: Any, index: int, scope: tuple[Any, ...], private: tuple[str, ...]
    ) -> Any:
        if node.scalar:
            doc: Any = encode(getattr(obj, node.scalar))
        else:
            doc = self.fields(node, obj, private)
        key = key_of(node, doc, index, scope)
        if key is not None:
            self.keys[node.name][obj.id] = key
        if not node.scalar:
            self.children(node, obj, key if key is not None else scope, doc)
        return doc

    def children(self, node: Node, obj: Any, scope: tuple[Any, ...], into: dict[str, Any]) -> None:
        for name, child in node.children.items():
            if isinstance(child, Group):
                group = {field: encode(getattr(obj, field)) for field in child.fields}
                for inner, grandchild in child.children.items():
                    group[inner] = self.many(grandchild, obj, scope)
                into[name] = group
            else:
                into[name] = self.many(child, obj, scope)

    def many(self, child: Children, parent: Any, scope: tuple[Any, ...]) -> Any:
        private = child.private(parent) if child.private else ()
        docs = (
            self.record(child.node, obj, index, scope, private) for index, obj in self.fetch(child, parent)
        )
        if child.sort is not None:  # sorted on fields and earlier records only
            return sorted(docs, key=child.sort)
        if child.one:
            return next(iter(list(docs)), None)
        return Lazy(docs) if self.lazy else list(docs)

    def fetch(self, child: Children, parent: Any) -> Iterator[tuple[int, Any]]:
        """The child records with their index; a query's rows are fetched a batch at a time."""
        if child.when is not None and not child.when(parent, self.open_round_ballots):
            return iter(())
        if child.collection:
            return enumerate(getattr(parent, child.collection))
        model = child.node.model
        assert child.parent is not None
        return enumerate(
            db.session.scalars(
                sa.select(model)
                .where(getattr(model, fk_column(model, child.parent)) == parent.id)
                .order_by(*child.order_by)
                .options(*_eager(child.node))
                .execution_options(populate_existing=True, yield_per=BATCH)
            )
        )

    def reference(self, name: str, ref: Ref, obj: Any, doc: dict[str, Any]) -> Any:
        if ref.target in (USER, ORGANISATION):
            return self.natural(ref, obj, doc)
        target_id = getattr(obj, fk_column(type(obj), ref.attr))
        if ref.flag:
            return target_id is not None
        target = ACTION_SOURCES.get(obj.source_type) if ref.target == SOURCE else ref.target
        if target is None or target_id is None:
            return None
        if target_id in self.keys[target]:  # written before this record
            return self.written(target, target_id, ref.local)
        self.pending.append((None if self.lazy else doc, name, target, target_id, ref.local))
        return Pending(len(self.pending) - 1) if self.lazy else None

    def natural(self, ref: Ref, obj: Any, doc: dict[str, Any]) -> Any:
        """A person by email, an organisation by name (with ``extra`` fields alongside)."""
        if ref.many:
            return [target.name for target in getattr(obj, ref.attr)]
        if ref.attr in sa.inspect(type(obj)).relationships:
            target = getattr(obj, ref.attr)
        else:
            target_id = getattr(obj, ref.attr)
            target = db.session.get(Organisation, target_id) if target_id is not None else None
        for field, attr in ref.extra.items():
            doc[field] = encode(getattr(target, attr)) if target is not None else None
        if target is None:
            return None
        return target.email if ref.target == USER else target.name
