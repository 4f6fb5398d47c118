"""The network table: the partners of a trajectory and how they stand. Writes flush; views commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Membership, NetworkPartner, Organisation, Perception, Relation, Trajectory


class PartnerError(ValueError):
    """A user-facing refusal; the value names the reason ('duplicate')."""


def partners_of(trajectory: Trajectory) -> list[NetworkPartner]:
    return list(
        db.session.scalars(
            sa.select(NetworkPartner)
            .where(NetworkPartner.trajectory_id == trajectory.id)
            .options(
                joinedload(NetworkPartner.organisation),
                joinedload(NetworkPartner.contact).joinedload(Membership.user),
            )
            .join(Organisation)
            .order_by(Organisation.name)
        )
    )


def save_partner(trajectory: Trajectory, partner: NetworkPartner | None, data: dict) -> NetworkPartner:
    organisation_id = int(data["organisation_id"])
    other = db.session.scalar(
        sa.select(NetworkPartner.id).where(
            NetworkPartner.trajectory_id == trajectory.id, NetworkPartner.organisation_id == organisation_id
        )
    )
    if other and (partner is None or other != partner.id):
        raise PartnerError("duplicate")
    partner = partner or NetworkPartner(trajectory_id=trajectory.id)
    partner.organisation_id = organisation_id
    partner.contribution = data.get("contribution") or ""
    partner.ambition = data.get("ambition") or ""
    partner.perception = Perception(data["perception"]) if data.get("perception") else None
    partner.direction = data.get("direction") or ""
    partner.relation = Relation(data["relation"]) if data.get("relation") else None
    partner.contact_id = int(data["contact_id"]) if data.get("contact_id") else None
    db.session.add(partner)
    db.session.flush()
    return partner
