"""The import: recreate an exported trajectory by walking the same schema as the export."""

from __future__ import annotations

import enum
import secrets
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Organisation, Sector, Trajectory, User
from tracker.security import hash_password
from tracker.transfer.schema import ACTION_SOURCES, FORMAT, FORMAT_VERSION, TRAJECTORY
from tracker.transfer.spec import ORGANISATION, SOURCE, USER, Children, Group, Node, Ref, key_of, read_key

# What a damaged or hand-edited file can raise while it is read; any of them refuses the file.
BAD_INPUT = (LookupError, TypeError, ValueError, AttributeError, sa.exc.IntegrityError, sa.exc.DataError)


class ImportError_(ValueError):
    """The file is not a trajectory export this installation understands."""


def import_trajectory(data: Any) -> tuple[Trajectory, list[str]]:
    """Recreate an exported trajectory. Unknown people get an inactive account (an administrator
    activates it and sets a password); returns the trajectory and the emails of those accounts.
    The caller rolls the session back when this raises."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportError_(
            f"Dit bestand is geen export van een BETER SAMEN-traject (formaat {FORMAT_VERSION})."
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportError_(
            f"Dit bestand heeft formaatversie {data.get('format_version')!s}; deze installatie leest "
            f"alleen versie {FORMAT_VERSION}."
        )
    try:
        return _Load().run(data)
    except BAD_INPUT as exc:
        raise ImportError_(f"Het bestand is onvolledig of beschadigd: {exc}") from exc


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"{name}: a list was expected")
    return value


def _dict(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{name}: an object was expected")
    return value


def decode(column: sa.Column, value: Any, name: str) -> Any:
    """A document value as the column's Python value, refusing what does not fit."""
    if value is None:
        if column.nullable:
            return None
        raise ValueError(f"{name}: a value is required")
    kind = column.type.impl_instance if isinstance(column.type, sa.TypeDecorator) else column.type
    if isinstance(kind, sa.JSON):
        return value
    python_type = kind.python_type
    if issubclass(python_type, enum.Enum):
        return python_type(value)
    if python_type is datetime:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if python_type is date:
        return date.fromisoformat(value)
    if not isinstance(value, python_type) or (python_type is int and isinstance(value, bool)):
        raise TypeError(f"{name}: {python_type.__name__} expected")
    length = getattr(kind, "length", None)
    if isinstance(value, str) and length and len(value) > length:
        raise ValueError(f"{name}: longer than {length} characters")
    return value


class _Load:
    def __init__(self) -> None:
        self.created: list[str] = []
        self.users: dict[str, User] = {}
        self.organisations: dict[str, Organisation] = {}
        self.records: dict[str, dict[tuple[Any, ...], Any]] = defaultdict(dict)
        # References are resolved once every record exists: a document may point forward.
        self.links: list[tuple[Any, Ref, Any, dict[str, Any], tuple[Any, ...]]] = []
        self.finishing: list[tuple[Any, Any]] = []
        self.trajectory_id: int | None = None

    def run(self, data: dict[str, Any]) -> tuple[Trajectory, list[str]]:
        with db.session.no_autoflush:
            for org in _list(data.get("organisations"), "organisations"):
                org = _dict(org, "organisations")
                self.organisation(org["name"], {"sector": org["sector"]}, "create")
            trajectory = self.record(TRAJECTORY, data["trajectory"], 0, (), walk=False)
            db.session.flush()
            self.trajectory_id = trajectory.id
            self.children(TRAJECTORY, trajectory, data, ())
            self.resolve(relationships=True)
            for finish, obj in self.finishing:
                finish(obj)
        db.session.flush()
        self.resolve(relationships=False)
        db.session.flush()
        return trajectory, self.created

    def record(self, node: Node, doc: Any, index: int, scope: tuple[Any, ...], walk: bool = True) -> Any:
        obj = node.model()
        columns = node.columns()
        if node.scalar:
            setattr(obj, node.scalar, decode(columns[node.scalar], doc, node.scalar))
        else:
            doc = _dict(doc, node.name)
            for name, column in columns.items():
                if name in doc:
                    setattr(obj, name, decode(column, doc[name], name))
                elif column.default is None and not column.nullable:
                    raise KeyError(name)
            if node.index_field:
                setattr(obj, node.index_field, index + 1)
            self.links += [(obj, ref, doc.get(name), doc, scope) for name, ref in node.refs.items()]
        if self.trajectory_id is not None and hasattr(obj, "trajectory_id"):
            obj.trajectory_id = self.trajectory_id
        key = key_of(node, doc, index, scope)
        if key is not None:
            self.records[node.name][key] = obj
        if node.finish is not None:
            self.finishing.append((node.finish, obj))
        db.session.add(obj)
        if walk and not node.scalar:
            self.children(node, obj, doc, key if key is not None else scope)
        return obj

    def children(self, node: Node, obj: Any, doc: dict[str, Any], scope: tuple[Any, ...]) -> None:
        for name, child in node.children.items():
            if isinstance(child, Group):
                group = _dict(doc.get(name) or {}, name)
                columns: Any = sa.inspect(node.model).columns
                for field in child.fields:
                    if field in group:
                        setattr(obj, field, decode(columns[field], group[field], field))
                for inner, grandchild in child.children.items():
                    self.many(grandchild, obj, group.get(inner), scope, inner)
            else:
                self.many(child, obj, doc.get(name), scope, name)

    def many(self, child: Children, parent: Any, value: Any, scope: tuple[Any, ...], name: str) -> None:
        docs = ([] if value is None else [value]) if child.one else _list(value, name)
        for index, doc in enumerate(docs):
            obj = self.record(child.node, doc, index, scope)
            attr = child.parent or ""
            if child.collection:
                getattr(parent, child.collection).append(obj)
            elif attr in sa.inspect(child.node.model).relationships:
                setattr(obj, attr, parent)
            else:
                setattr(obj, attr, parent.id)

    def resolve(self, *, relationships: bool) -> None:
        """Set the references held by relationships (before the first flush: some are required),
        or those held by id columns (after it, when every record has its id)."""
        for obj, ref, value, doc, scope in self.links:
            if (ref.attr in sa.inspect(type(obj)).relationships) != relationships:
                continue
            target = self.target(obj, ref, value, doc, scope)
            if relationships:
                setattr(obj, ref.attr, target)
                continue
            setattr(obj, ref.attr, target.id if target is not None else None)
            if ref.backlink and target is not None:
                setattr(target, ref.backlink, obj.id)

    def target(self, obj: Any, ref: Ref, value: Any, doc: dict[str, Any], scope: tuple[Any, ...]) -> Any:
        if ref.flag:
            return next(iter(self.records[ref.target].values()), None) if value else None
        if ref.many:
            return [self.organisation(name, {}, ref.missing) for name in _list(value, ref.attr)]
        if value is None:
            return None
        extra = {attr: doc.get(field) for field, attr in ref.extra.items()}
        if ref.target == USER:
            return self.user(value, extra.get("name") or "")
        if ref.target == ORGANISATION:
            return self.organisation(value, extra, ref.missing)
        name = ACTION_SOURCES.get(obj.source_type) if ref.target == SOURCE else ref.target
        if name is None:
            return None
        found = self.records[name].get((*scope, value) if ref.local else read_key(value))
        if found is None and ref.missing == "error":
            raise ValueError(f"{ref.attr}: no {name} {value!r} in this file")
        return found

    def user(self, email: Any, name: str) -> User:
        if not isinstance(email, str) or not isinstance(name, str):
            raise TypeError("an email address and a name are text")
        if email not in self.users:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = User(
                    email=email,
                    name=name or email,
                    password_hash=hash_password(secrets.token_urlsafe(32)),
                    active=False,
                )
                db.session.add(user)
                self.created.append(email)
            self.users[email] = user
        if name and email in self.created:  # named by a later reference (a member, not a coordinator)
            self.users[email].name = name
        return self.users[email]

    def organisation(self, name: Any, extra: dict[str, Any], missing: str) -> Organisation | None:
        """The organisation of that name: from this file, this installation, or (``missing`` is
        "create") new, with the sector the file gives or "anders"."""
        if not isinstance(name, str):
            raise TypeError("an organisation's name is text")
        if name not in self.organisations:
            existing = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
            if existing is None and missing != "create":
                if missing == "error":
                    raise ValueError(f"unknown organisation {name!r}")
                return None
            if existing is None:
                existing = Organisation(name=name, sector=Sector(extra.get("sector") or Sector.ANDERS))
                db.session.add(existing)
            self.organisations[name] = existing
        return self.organisations[name]
