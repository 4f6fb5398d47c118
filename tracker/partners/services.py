"""The network table: the partners of a trajectory and how they stand. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Membership, NetworkPartner, Organisation, Perception, Relation, Trajectory


class PartnerError(ValueError):
    """A user-facing refusal; the value names the reason ('duplicate')."""


@dataclass(frozen=True)
class PartnerValues:
    """One row of the network table: an organisation and how it stands towards the target group."""

    organisation: Organisation
    contribution: str = ""
    ambition: str = ""
    perception: Perception | None = None
    direction: str = ""
    relation: Relation | None = None
    contact: Membership | None = None  # who in our organisation holds the contact


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


def save_partner(
    trajectory: Trajectory, partner: NetworkPartner | None, values: PartnerValues
) -> NetworkPartner:
    """Add or change a partner; each organisation is in the table once (PartnerError 'duplicate')."""
    other = db.session.scalar(
        sa.select(NetworkPartner.id).where(
            NetworkPartner.trajectory_id == trajectory.id,
            NetworkPartner.organisation_id == values.organisation.id,
        )
    )
    if other and (partner is None or other != partner.id):
        raise PartnerError("duplicate")
    partner = partner or NetworkPartner(trajectory_id=trajectory.id)
    partner.organisation = values.organisation
    partner.contribution = values.contribution
    partner.ambition = values.ambition
    partner.perception = values.perception
    partner.direction = values.direction
    partner.relation = values.relation
    partner.contact = values.contact
    db.session.add(partner)
    db.session.flush()
    return partner
