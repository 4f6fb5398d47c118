"""Invitations to a trajectory: a single-use link sent by e-mail, stored only as a hash."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_column, utcnow
from tracker.models.enums import Layer, Role
from tracker.models.organisation import Organisation
from tracker.models.trajectory import Trajectory
from tracker.models.user import User


class Invitation(Base):
    """A person invited by e-mail to a trajectory with an organisation, layer and role.

    Only the SHA-256 of the link's random token is stored; resending replaces it (the old link
    stops working). Pending: not accepted, not revoked and not expired."""

    __tablename__ = "invitations"
    __audit_label__ = _l("Invitation")

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"),
        index=True,
        info={"label": _l("Trajectory")},
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True, info={"label": _l("Email address")})
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), info={"label": _l("Organisation")}
    )
    layer: Mapped[Layer] = mapped_column(enum_column(Layer, "layer"), info={"label": _l("Layer")})
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), info={"label": _l("Role")})
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, info={"label": _l("Invitation link")})
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, info={"label": _l("Valid until")})
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), info={"label": _l("Invited by")}
    )
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Accepted")})
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Revoked")})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    trajectory: Mapped[Trajectory] = relationship()
    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def is_pending(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email}@{self.trajectory_id}>"
