"""Access rules, in one place.

Every view follows the same order: load the object (404), check access with :func:`require`
(403), then act. The predicates are also Jinja globals, so templates hide what a user may not do.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

import sqlalchemy as sa
from flask import abort, current_app, request
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import ChecklistItem, Membership, Role, RoundState, Trajectory

EDITOR_ROLES = frozenset({Role.PROJECTLEIDER, Role.MANAGER, Role.TEAMLID})


def membership_of(user, trajectory: Trajectory) -> Membership | None:
    """The user's membership of the trajectory, or None.

    Uses the trajectory's member list, which the loaders eager-load, so checks in lists and
    templates cost no extra query per trajectory.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in trajectory.memberships if m.user_id == user.id), None)


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_view(user, trajectory: Trajectory) -> bool:
    return _is_admin(user) or membership_of(user, trajectory) is not None


def can_edit(user, trajectory: Trajectory) -> bool:
    """Work on the checklists and reflection: every role but the read-only meekijker."""
    if _is_admin(user):
        return True
    m = membership_of(user, trajectory)
    return m is not None and m.role in EDITOR_ROLES


def can_manage(user, trajectory: Trajectory) -> bool:
    """Change members, roles, trajectory settings and decisions: project leads (and admins)."""
    if _is_admin(user):
        return True
    m = membership_of(user, trajectory)
    return m is not None and m.role == Role.PROJECTLEIDER


def can_add_organisation(user) -> bool:
    """Add to the shared list of organisations: administrators, and people who may edit at least
    one trajectory (its network table, client path, plans and members choose from this list).
    Not read-only observers (meekijkers) and not people without a trajectory."""
    if _is_admin(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            sa.select(sa.exists().where(Membership.user_id == user.id, Membership.role.in_(EDITOR_ROLES)))
        )
        is True
    )


def require(allowed: bool) -> None:
    """Abort with 403 unless allowed; logs the refusal as one structured line."""
    if not allowed:
        current_app.logger.warning(
            "access_refused user=%s method=%s path=%s",
            getattr(current_user, "id", None),
            request.method,
            request.path,
        )
        abort(403)


def get_trajectory_or_404(trajectory_id: int) -> Trajectory:
    trajectory = db.session.get(
        Trajectory,
        trajectory_id,
        options=[selectinload(Trajectory.memberships).joinedload(Membership.user)],
    )
    if trajectory is None:
        abort(404)
    return trajectory


def load_trajectory(trajectory_id: int, check=can_view) -> Trajectory:
    """Load → 404 → check → 403, the one way views get their trajectory."""
    trajectory = get_trajectory_or_404(trajectory_id)
    require(check(current_user, trajectory))
    return trajectory


def get_in_trajectory_or_404(model, trajectory: Trajectory, object_id: int, trajectory_of=None):
    """An object of this trajectory; an id from another trajectory is simply not found.
    ``trajectory_of`` gives the object's trajectory id when it has no ``trajectory_id`` itself."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    owner = trajectory_of(obj) if trajectory_of else obj.trajectory_id
    if owner != trajectory.id:
        abort(404)
    return obj


def get_item_or_404(trajectory: Trajectory, item_id: int) -> ChecklistItem:
    return get_in_trajectory_or_404(ChecklistItem, trajectory, item_id)


def get_membership_or_404(trajectory: Trajectory, membership_id: int) -> Membership:
    return get_in_trajectory_or_404(Membership, trajectory, membership_id)


def admin_required(view):
    """Only for administrators (403 for everyone else)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        require(current_user.is_admin)
        return view(*args, **kwargs)

    return wrapped


def results_visible(evaluation_round, today: date | None = None) -> bool:
    """Whether anyone may see the results of an evaluation round (counts, comments, exports,
    heatmap): only once it has closed. Showing them earlier lets early votes steer later ones, and
    comparing two exports around one ballot reveals what that member voted, even in anonymous rounds.
    The one rule for every results route and template; who may see the trajectory is checked apart."""
    return evaluation_round is not None and evaluation_round.state(today or date.today()) == RoundState.CLOSED
