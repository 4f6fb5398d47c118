"""Installation-wide settings that administrators change in the app."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import Base, db

REQUIRE_2FA_FOR_ADMINS = "require_2fa_for_admins"


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(500), default="")


def get_flag(key: str) -> bool:
    setting = db.session.get(Setting, key)
    return setting is not None and setting.value == "1"


def set_flag(key: str, on: bool) -> None:
    setting = db.session.get(Setting, key) or Setting(key=key)
    setting.value = "1" if on else "0"
    db.session.add(setting)
    db.session.flush()
