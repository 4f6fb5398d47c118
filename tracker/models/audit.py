"""The audit trail: who changed what, when (UTC), old → new.

What is audited, and how its fields read, lives on the models themselves: a model with an
``__audit_label__`` is audited (its label names the record type in the history), and each column
carries its field label in ``info={"label": ...}``. SQLAlchemy-Continuum was considered and not
used: it adds a version table per model and a different history model, while the ``after_flush``
hook in :mod:`tracker.audit` already records who, what, when and old → new in one table.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.localecache import text
from tracker.models.base import UTCDateTime, utcnow
from tracker.models.enums import DecisionKind, DecisionOutcome
from tracker.models.user import User

ACTION_LABELS = {
    "create": _l("created"),
    "update": _l("changed"),
    "archive": _l("archived"),
    "restore": _l("restored"),
    "delete": _l("removed"),
}


@cache
def audited_models() -> dict[str, type]:
    """Every audited model by class name (the ``entity`` of its events)."""
    return {
        mapper.class_.__name__: mapper.class_
        for mapper in Base.registry.mappers
        if getattr(mapper.class_, "__audit_label__", None) is not None
    }


def is_audited(obj: object) -> bool:
    return getattr(type(obj), "__audit_label__", None) is not None


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(200), default="")
    trajectory_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(sa.String(50))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()

    @property
    def entity_label(self) -> str:
        model = audited_models().get(self.entity)
        return text(model.__audit_label__) if model is not None else self.entity  # type: ignore[attr-defined]

    @property
    def action_label(self) -> str:
        return text(ACTION_LABELS.get(self.action, self.action))

    @property
    def summary_lang(self) -> str | None:
        """The language of the summary when it is known content (the handreiking's Dutch)."""
        return getattr(audited_models().get(self.entity), "__audit_summary_lang__", None)

    @property
    def summary_text(self) -> str:
        """The summary as users read it. Records named by their own text show it as stored; the
        summaries made of values (a cycle's number, a meeting's date, a decision's kind and
        outcome, a plan's scope, a member without an account) are worded here, in the reader's
        language. Summaries stored in words by earlier versions are shown as they are."""
        summary = self.summary or ""
        if self.entity in ("Cycle", "Membership") and summary.isdigit():
            text = _("cycle %(number)s") if self.entity == "Cycle" else _("member %(id)s")
            return text % {"number": summary, "id": summary}
        if self.entity == "Plan" and (summary == "extern" or summary.startswith("intern-")):
            return _("External action plan") if summary == "extern" else _("Internal action plan")
        try:
            if self.entity == "Meeting":
                return _("meeting of %(date)s", date=format_date(date.fromisoformat(summary), "d MMMM y"))
            if self.entity == "Decision":
                kind, _sep, outcome = summary.partition(":")
                return f"{DecisionKind(kind.strip()).label}: {DecisionOutcome(outcome.strip()).label}"
        except ValueError:
            pass
        return summary

    def _column(self, key: str) -> sa.Column | None:
        model = audited_models().get(self.entity)
        if model is None:
            return None
        return sa.inspect(model).columns.get(key)

    def field_label(self, key: str) -> str:
        column = self._column(key)
        return text(column.info.get("label", key)) if column is not None else key

    def display_value(self, key: str, value: Any) -> str:
        """A recorded value as users read it: enum labels, dates in the user's locale, yes/no."""
        if value is None or value == "":
            return "—"
        column = self._column(key)
        kind = column.type if column is not None else None
        try:
            if isinstance(kind, sa.Enum) and kind.enum_class is not None:
                member = kind.enum_class(value)
                return str(getattr(member, "label", value)) if isinstance(member, enum.Enum) else str(value)
            if isinstance(value, bool):
                return _("Yes") if value else _("No")
            if isinstance(kind, sa.Date) and isinstance(value, str):
                return format_date(date.fromisoformat(value), "d MMMM y")
            if isinstance(kind, UTCDateTime) and isinstance(value, str):
                return format_datetime(datetime.fromisoformat(value), "d MMMM y HH:mm")
        except ValueError:
            pass  # a value recorded under an older schema: shown as it was stored
        return str(value)
