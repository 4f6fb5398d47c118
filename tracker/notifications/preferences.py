"""What each user chose per kind of notification; a kind without a stored choice has its default."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import NotificationKind, NotificationMode, NotificationSetting, User


def modes(
    user_ids: Iterable[int], kind: NotificationKind, connection: sa.Connection | None = None
) -> dict[int, NotificationMode]:
    """The mode of ``kind`` for each user, in one query (on ``connection`` inside a flush)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    stmt = sa.select(NotificationSetting.user_id, NotificationSetting.mode).where(
        NotificationSetting.user_id.in_(ids), NotificationSetting.kind == kind
    )
    chosen = {
        user_id: NotificationMode(mode) for user_id, mode in (connection or db.session).execute(stmt).all()
    }
    return {
        user_id: chosen[user_id] if chosen.get(user_id) in kind.modes else kind.default_mode
        for user_id in ids
    }


def mode_for(user_id: int, kind: NotificationKind) -> NotificationMode:
    return modes([user_id], kind)[user_id]


def settings_of(user: User) -> dict[NotificationKind, NotificationMode]:
    """Every kind with the user's mode."""
    return {kind: mode_for(user.id, kind) for kind in NotificationKind}


def save(user: User, chosen: Mapping[NotificationKind, NotificationMode]) -> None:
    """Store the user's modes (flushed; the view commits)."""
    existing = {
        setting.kind: setting
        for setting in db.session.scalars(
            sa.select(NotificationSetting).where(NotificationSetting.user_id == user.id)
        )
    }
    for kind, mode in chosen.items():
        if mode not in kind.modes:
            raise ValueError(f"{mode} is not a mode of {kind}")
        setting = existing.get(kind) or NotificationSetting(user_id=user.id, kind=kind)
        setting.mode = mode
        db.session.add(setting)
    db.session.flush()
