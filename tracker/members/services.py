"""Members of a trajectory: add one, change their organisation, layer and role. Writes flush;
views commit. Removing a member is :mod:`tracker.members.removal`."""

from __future__ import annotations

from tracker.extensions import db
from tracker.models import Layer, Membership, Organisation, Role, Trajectory, User


class MembershipError(ValueError):
    """A user-facing reason why a membership change is refused."""


def add_member(
    trajectory: Trajectory, user: User, organisation: Organisation, layer: Layer, role: Role
) -> Membership:
    if any(m.user_id == user.id for m in trajectory.memberships):
        raise MembershipError("duplicate")
    membership = Membership(user=user, organisation=organisation, layer=layer, role=role)
    trajectory.memberships.append(membership)
    db.session.flush()
    return membership


def project_leads(trajectory: Trajectory) -> list[Membership]:
    return [m for m in trajectory.memberships if m.role == Role.PROJECTLEIDER]


def update_member(membership: Membership, organisation: Organisation, layer: Layer, role: Role) -> None:
    leads = project_leads(membership.trajectory)
    if membership.role == Role.PROJECTLEIDER and role != Role.PROJECTLEIDER and len(leads) == 1:
        raise MembershipError("last_lead")
    membership.organisation = organisation
    membership.layer = layer
    membership.role = role
    db.session.flush()
