"""How the history reads a recorded value: the referenced record's name instead of its id, labels
instead of stored codes, dates in the reader's language, yes/no. The names of a page's references
are looked up together: one query per referenced record type, and one in the trail for records
that no longer exist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from tracker.actions.sources import SOURCES
from tracker.content import frameworks
from tracker.extensions import Base, db
from tracker.models import (
    Action,
    ActionSource,
    ChecklistItem,
    Cycle,
    EvaluationSchedule,
    Layer,
    Meeting,
    Membership,
    Plan,
    Section,
    StartReflection,
    WorkshopParticipant,
)
from tracker.models.audit import AuditEvent, audited_models
from tracker.models.network import Perception

NAME_LENGTH = 100
LANGUAGES = {"nl": "Nederlands", "en": "English"}


@dataclass(frozen=True)
class Shown:
    """A value as the history shows it; ``lang`` is "nl" for the handreiking's own (Dutch) text."""

    text: str
    lang: str | None = None


@cache
def _models_by_table() -> dict[str, type]:
    return {getattr(m.class_, "__tablename__", ""): m.class_ for m in Base.registry.mappers}


_LOAD_OPTIONS: dict[type, list[Any]] = {
    Membership: [joinedload(Membership.user)],
    Plan: [joinedload(Plan.organisation)],
    WorkshopParticipant: [joinedload(WorkshopParticipant.membership).joinedload(Membership.user)],
}


def _short(text: str) -> str:
    return text if len(text) <= NAME_LENGTH else text[: NAME_LENGTH - 1].rstrip() + "…"


def name_of(obj: Any) -> Shown:
    """What a record is called where another record refers to it."""
    if isinstance(obj, Membership):
        return Shown(obj.user.name)
    if isinstance(obj, Cycle):
        return Shown(_("cycle %(number)s", number=obj.number))
    if isinstance(obj, Meeting):
        return Shown(_("meeting of %(date)s", date=format_date(obj.held_on, "d MMMM y")))
    if isinstance(obj, Section):
        return Shown(f"{obj.code} {obj.title}", "nl")
    if isinstance(obj, WorkshopParticipant):
        return Shown(obj.name or (obj.membership.user.name if obj.membership else ""))
    if isinstance(obj, EvaluationSchedule):
        return _framework(obj.framework)
    dutch = isinstance(obj, StartReflection) or (isinstance(obj, ChecklistItem) and not obj.is_custom)
    for attribute in ("name", "title", "text"):
        value = getattr(obj, attribute, None)
        if value:
            return Shown(_short(str(value)), "nl" if dutch else None)
    return Shown(_("(no name)"))


def _framework(key: str) -> Shown:
    framework = frameworks().get(key)
    return Shown(framework["title"], "nl") if framework else Shown(key)


@cache
def _factor_titles() -> dict[str, str]:
    return {f["key"]: f["title"] for framework in frameworks().values() for f in framework["factors"]}


def _factor(key: str) -> Shown:
    title = _factor_titles().get(key)
    return Shown(title, "nl") if title else Shown(key)


def _layers(value: str) -> Shown:
    labels = []
    for code in value.split(","):
        try:
            labels.append(Layer(code).label)
        except ValueError:
            labels.append(code)
    return Shown(", ".join(labels))


def _scope(value: str) -> Shown:
    return Shown(_("External action plan") if value == "extern" else _("Internal action plan"))


def _labelled(enum_class: Any) -> Callable[[str], Shown]:
    def show(value: str) -> Shown:
        try:
            return Shown(str(enum_class(value).label))
        except ValueError:
            return Shown(value)

    return show


# Text columns that store a code rather than words, by field name.
_CODES: dict[str, Callable[[str], Shown]] = {
    "framework": _framework,
    "layers": _layers,
    "scope": _scope,
    "source_type": _labelled(ActionSource),
    "source_key": _factor,
    "client_goals": _labelled(Perception),
    "locale": lambda value: Shown(LANGUAGES.get(value, value)),
}


def _referenced_model(event: AuditEvent, key: str, source_type: str | None = None) -> type | None:
    """The record type a field's value points at: a foreign key's, or for an action's source the
    type its ``source_type`` names (from the same change, else ``source_type`` as given)."""
    model = audited_models().get(event.entity)
    if model is None:
        return None
    if key == "source_id":
        kinds = [v for v in event.changes.get("source_type", []) if v] or [source_type]
        try:
            return SOURCES[ActionSource(kinds[-1])].model if kinds[-1] else None
        except ValueError:
            return None
    column: sa.ColumnElement[Any] | None = sa.inspect(model).columns.get(key)
    if column is None or not column.foreign_keys:
        return None
    table = next(iter(column.foreign_keys)).column.table.name
    return _models_by_table().get(table)


def _current_source_types(events: list[AuditEvent]) -> dict[int, str | None]:
    """The source kind of the actions whose source was recorded apart from its kind."""
    ids = {
        e.entity_id
        for e in events
        if e.entity == "Action" and "source_id" in (e.changes or {}) and "source_type" not in e.changes
    }
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Action.id, Action.source_type).where(Action.id.in_(ids)))
    return {action_id: source_type for action_id, source_type in rows}


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class HistoryValues:
    """The values of one page of events as users read them."""

    def __init__(self, events: list[AuditEvent]) -> None:
        self._source_types = _current_source_types(events)
        wanted: dict[type, set[int]] = defaultdict(set)
        for event in events:
            for key, pair in (event.changes or {}).items():
                model = self._referenced_model(event, key)
                if model is not None:
                    wanted[model].update(v for v in pair if _is_id(v))
        self._names: dict[tuple[type, int], Shown] = {}
        for model, ids in wanted.items():
            stmt: sa.Select[Any] = (
                sa.select(model)
                .where(sa.inspect(model).primary_key[0].in_(ids))
                .options(*_LOAD_OPTIONS.get(model, []))
            )
            for obj in db.session.scalars(stmt).unique():
                self._names[(model, obj.id)] = name_of(obj)
        self._from_trail(
            {model: ids - {i for m, i in self._names if m is model} for model, ids in wanted.items()}
        )

    def _from_trail(self, missing: dict[type, set[int]]) -> None:
        """Records that no longer exist are named as their trail last named them."""
        missing = {model: ids for model, ids in missing.items() if ids}
        if not missing:
            return
        by_name = {model.__name__: model for model in missing}
        stmt = (
            sa.select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.summary, AuditEvent.id)
            .where(
                AuditEvent.entity.in_(by_name),
                AuditEvent.entity_id.in_(set().union(*missing.values())),
            )
            .order_by(AuditEvent.id)
        )
        for entity, entity_id, summary, _id in db.session.execute(stmt):
            model = by_name[entity]
            if entity_id in missing[model] and summary:
                text = AuditEvent(entity=entity, summary=summary).summary_text
                self._names[(model, entity_id)] = Shown(
                    _short(text), getattr(model, "__audit_summary_lang__", None)
                )

    def _referenced_model(self, event: AuditEvent, key: str) -> type | None:
        source_type = self._source_types.get(event.entity_id) if event.entity == "Action" else None
        return _referenced_model(event, key, source_type)

    def show(self, event: AuditEvent, key: str, value: Any) -> Shown:
        if value is None or value == "":
            return Shown("—")
        model = self._referenced_model(event, key)
        if model is not None and _is_id(value):
            return self._names.get((model, value)) or Shown(_("a removed record"))
        if key in _CODES and isinstance(value, str):
            return _CODES[key](value)
        return Shown(event.display_value(key, value))
