"""Notifications by mail: what each user wants to hear about and how, what waits to be sent, and
which weekly overviews went out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.labeled import LabeledEnum


class NotificationMode(LabeledEnum):
    """How a user hears about one kind of event."""

    DIRECT = "direct", _l("Directly")
    DIGEST = "digest", _l("In the weekly overview")
    NONE = "none", _l("Not at all")


class NotificationKind(LabeledEnum):
    """What a user can be told about; the label is the setting's question."""

    ASSIGNMENT = "assignment", _l("Someone else assigns an item or action to me")
    ROUND_OPENED = "round_opened", _l("An evaluation round opens for me")
    DUE_WORK = "due_work", _l("My overdue work and work due within two weeks")

    @property
    def modes(self) -> tuple[NotificationMode, ...]:
        """The modes a user may choose: due work only exists as a weekly overview."""
        if self is NotificationKind.DUE_WORK:
            return (NotificationMode.DIGEST, NotificationMode.NONE)
        return tuple(NotificationMode)

    @property
    def default_mode(self) -> NotificationMode:
        """The mode of a user who never chose: assignments and rounds directly, due work weekly."""
        return NotificationMode.DIGEST if self is NotificationKind.DUE_WORK else NotificationMode.DIRECT


class NotificationSetting(Base):
    """A user's choice for one kind; without a row the kind's default applies."""

    __tablename__ = "notification_settings"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, "kind"))
    mode: Mapped[NotificationMode] = mapped_column(enum_column(NotificationMode, "mode"))


class Notification(Base):
    """One event for one user, waiting for ``flask notifications send-due`` (``sent_at`` empty):
    in the next batch mail, or in the next weekly overview when ``digest`` is set. ``params`` holds
    the text the mail shows (a title, who did it) as it was when the event happened. ``once_key``
    makes an event that may be seen more than once (a round opening) unique per user."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "once_key"),
        sa.Index("ix_notifications_pending", "sent_at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, "kind"))
    trajectory_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    # The record it is about: "item", "action" or "round", and its id.
    subject_kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    once_key: Mapped[str | None] = mapped_column(sa.String(60))
    digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DigestMarker(Base):
    """The weekly overview of one ISO week ("2026-W03") was made for a user: at most one a week,
    also when two servers run the command at once (the second insert fails)."""

    __tablename__ = "notification_digests"
    __table_args__ = (sa.UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
