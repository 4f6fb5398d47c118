"""The building blocks of the transfer schema (see schema.py): records, their keys, references
between them and the children below them. A record's fields are its mapped columns, minus the
database's own bookkeeping (primary and foreign keys, versions, timestamps) and an explicit exclude
list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})

# Natural references: resolved by a field of the target, not through the document's records.
USER = "user"  # by email; an unknown person gets an inactive account on import
ORGANISATION = "organisation"  # by name
SOURCE = "source"  # an action's source: the target follows from its source_type (schema.ACTION_SOURCES)


@dataclass(frozen=True)
class Key:
    """How other records point at this one: a field of its own, or (no field) its index in its
    list. ``scoped``: the parent's key comes first (a cycle is (plan index, number))."""

    field: str | None = None
    scoped: bool = False


@dataclass(frozen=True)
class Ref:
    """A reference to another record, written under the ref's name.

    ``target`` is a node name, USER, ORGANISATION or SOURCE; ``attr`` the relationship or id column
    that holds it. ``local``: only the last part of a scoped key is written (a cycle's number within
    the action's own plan). ``missing``: what an unknown target means on import: "none" (left
    empty), "error" or "create" (organisations only; users are always created). ``extra``: fields of
    the target written alongside, used to create it (document field → target attribute). ``flag``:
    only whether the link is set (a round made by the trajectory's single schedule). ``backlink``:
    on import the target's column of that name points back at this record.
    """

    target: str
    attr: str
    local: bool = False
    many: bool = False
    missing: str = "error"
    extra: dict[str, str] = field(default_factory=dict)
    flag: bool = False
    backlink: str | None = None


@dataclass(frozen=True)
class Node:
    """One model as it travels. ``index_field``: a column written implicitly by the record's place
    in its list (from 1). ``read``: fields exported from another attribute. ``scalar``: the record
    travels as the bare value of its one field. ``finish``: called on import once references are
    resolved, before the first flush."""

    name: str
    model: type
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    refs: dict[str, Ref] = field(default_factory=dict)
    children: dict[str, Children | Group] = field(default_factory=dict)
    key: Key | None = None
    index_field: str | None = None
    read: dict[str, str] = field(default_factory=dict)
    scalar: str | None = None
    finish: Callable[[Any], None] | None = None

    def columns(self) -> dict[str, sa.Column]:
        """The document field of every column that travels, with its column."""
        result = {}
        mapper: Any = sa.inspect(self.model)
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            internal = column.primary_key or column.foreign_keys or prop.key in BOOKKEEPING
            if prop.key in self.include or not (
                internal or prop.key in self.exclude or prop.key == self.index_field
            ):
                result[prop.key] = column
        return result


@dataclass(frozen=True)
class Children:
    """A list (or with ``one``, a single record or None) below a record. ``collection``: the
    parent's relationship holding them; otherwise ``parent``: the child's relationship or column
    naming the parent, queried in ``order_by``. ``when``: whether they travel at all (given the
    parent and whether the operator asked for open rounds' ballots). ``private``: fields written
    empty for this parent (who voted, in an anonymous round). ``sort``: the written order."""

    node: Node
    collection: str | None = None
    parent: str | None = None
    order_by: tuple[Any, ...] = ()
    one: bool = False
    when: Callable[[Any, bool], bool] | None = None
    private: Callable[[Any], tuple[str, ...]] | None = None
    sort: Callable[[dict[str, Any]], Any] | None = None


@dataclass(frozen=True)
class Group:
    """A dict in the document holding fields and children of the same record."""

    fields: tuple[str, ...] = ()
    children: dict[str, Children] = field(default_factory=dict)


def fk_column(model: type, attr: str) -> str:
    """The id column behind ``attr`` (a many-to-one relationship, or already a column)."""
    mapper: Any = sa.inspect(model)
    relationship = mapper.relationships.get(attr)
    return next(iter(relationship.local_columns)).key if relationship is not None else attr


def key_of(node: Node, doc: Any, index: int, scope: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """A record's key, from its document (the same on export and import)."""
    if node.key is None:
        return None
    own = doc[node.key.field] if node.key.field else index
    return (*scope, own) if node.key.scoped else (own,)


def written_key(key: tuple[Any, ...]) -> Any:
    """A key as the document writes it: one part bare, more as a list."""
    return key[0] if len(key) == 1 else list(key)


def read_key(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)
