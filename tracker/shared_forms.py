"""Form pieces that the features of the work inside the phases share (network partners, meetings,
the client path, workshops): choices of the trajectory's members and of the organisations, and the
message shown when an agreement, a bottleneck or a first step cannot become an action."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.models import Membership, Organisation, Trajectory
from tracker.models.enums import label

NO_PLAN = _l(
    "There is no external action plan with an open cycle yet; "
    "make one first, then agreements and first steps become actions."
)


def member_choices(trajectory: Trajectory, empty: str | None = None) -> list[tuple[str, str]]:
    """The trajectory's members as (id, "name (organisation, layer)"), after an empty choice."""
    choices = [("", empty)] if empty is not None else [("", _("Choose a member"))]
    return choices + [
        (str(m.id), f"{m.user.name} ({m.organisation.name}, {label(m.layer)})")
        for m in trajectory.memberships
    ]


def organisation_choices(organisations: list[Organisation]) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in organisations]


def chosen_member(trajectory: Trajectory, value: str | None) -> Membership | None:
    """The member a validated choice names; None for the empty choice."""
    return next((m for m in trajectory.memberships if str(m.id) == value), None)
