"""Access rules, in one place.

Every view follows the same order: load the object (404), check access (403), then act.

Views under ``/trajecten/<id>`` live on blueprints made by :func:`trajectory_blueprint`: its URL
value preprocessor loads the trajectory once per request into ``g.trajectory`` (404), and every such
view declares its rule with :func:`rule` (who may read it, who may write to it); the view receives
the trajectory as its first argument. Views outside a trajectory declare :func:`public`,
:func:`signed_in` or :func:`admin_required`. ``check_declarations`` refuses to start an app with an
undeclared view, and the access-matrix test reads these declarations. Objects inside a trajectory
load through :func:`get_in_trajectory_or_404`. The predicates are also Jinja globals, so templates
hide what a user may not do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, g, request
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.models import ChecklistItem, Membership, Role, RoundState, Trajectory

Check = Callable[[Any, Trajectory], bool]
View = TypeVar("View", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

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


def editable_trajectory_ids(user) -> set[int]:
    """The trajectories the user may edit (:func:`can_edit`), in one query: lists across
    trajectories show their per-row forms only there."""
    if not getattr(user, "is_authenticated", False):
        return set()
    stmt = sa.select(Trajectory.id)
    if not user.is_admin:
        stmt = sa.select(Membership.trajectory_id).where(
            Membership.user_id == user.id, Membership.role.in_(EDITOR_ROLES)
        )
    return set(db.session.scalars(stmt))


def viewable_trajectory_ids(user) -> sa.Select:
    """The ids of the trajectories the user may view (:func:`can_view`), as a subquery for
    queries across trajectories: every trajectory for administrators, else those with a membership."""
    if _is_admin(user):
        return sa.select(Trajectory.id)
    user_id = user.id if getattr(user, "is_authenticated", False) else None
    return sa.select(Membership.trajectory_id).where(Membership.user_id == user_id)


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
        # With each member's user and organisation: the menu, access checks and member lists
        # read them on every page, so they must not load one by one.
        options=[
            selectinload(Trajectory.memberships).options(
                joinedload(Membership.user), joinedload(Membership.organisation)
            )
        ],
    )
    if trajectory is None:
        abort(404)
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

    _declare(wrapped, ADMIN)
    return wrapped


def results_visible(evaluation_round, today: date | None = None) -> bool:
    """Whether anyone may see the results of an evaluation round (counts, comments, exports,
    heatmap): only once it has closed. Showing them earlier lets early votes steer later ones, and
    comparing two exports around one ballot reveals what that member voted, even in anonymous rounds.
    The one rule for every results route and template; who may see the trajectory is checked apart."""
    return evaluation_round is not None and evaluation_round.state(today or date.today()) == RoundState.CLOSED


def can_vote(user, trajectory: Trajectory) -> bool:
    """Fill in an evaluation round: members with a working role (not observers, not admins as
    such). Whether the round asks the member's layer is checked on the round (:func:`may_vote`)."""
    m = membership_of(user, trajectory)
    return m is not None and m.role in EDITOR_ROLES


def may_vote(membership: Membership | None, layers: str) -> bool:
    """Whether this member is asked in a round that asks ``layers`` (comma-separated; empty: all)."""
    if membership is None or membership.role == Role.MEEKIJKER:
        return False
    allowed = [x for x in layers.split(",") if x]
    return not allowed or membership.layer.value in allowed


def can_run_plan(user, plan) -> bool:
    """Plans are run by the project leads and by the plan's own responsible member."""
    if can_manage(user, plan.trajectory):
        return True
    mine = membership_of(user, plan.trajectory)
    return mine is not None and plan.responsible_id == mine.id and can_edit(user, plan.trajectory)


# --- declarations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessRule:
    """Who may read (GET) and who may write (POST) a view; ``None`` as scope-less marker below."""

    read: Check
    write: Check
    optional: bool = False  # the view also answers outside a trajectory (lists across all of them)


PUBLIC = "public"  # no login (the login page, a calendar feed's secret URL, an invitation link)
SIGNED_IN = "signed_in"  # any logged-in user, on their own data
ADMIN = "admin"  # administrators only


def _declare(view: Any, declared: AccessRule | str) -> None:
    view.access_rule = declared


def rule(
    read: Check = can_view, write: Check = can_edit, *, optional: bool = False
) -> Callable[[View], View]:
    """Declare who may read and who may write a view of a trajectory. The view gets the trajectory
    (loaded once by the blueprint) as its first argument; ``optional`` views get None outside one."""
    declared = AccessRule(read, write, optional)

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            trajectory = current_trajectory(optional=optional)
            if trajectory is not None:
                check = declared.read if request.method in SAFE_METHODS else declared.write
                require(check(current_user, trajectory))
            return view(trajectory, *args, **kwargs)

        wrapped = login_required(guarded)
        _declare(wrapped, declared)
        return wrapped  # type: ignore[return-value]

    return decorate


def public(view: View) -> View:
    _declare(view, PUBLIC)
    return view


def signed_in(view: View) -> View:
    wrapped = login_required(view)
    _declare(wrapped, SIGNED_IN)
    return wrapped  # type: ignore[no-any-return]


def trajectory_blueprint(name: str, import_name: str) -> Blueprint:
    """A feature's blueprint. For its routes under ``/trajecten/<id:trajectory_id>`` the id is
    taken from the URL values and the trajectory loaded once into ``g.trajectory`` (404) for a
    signed-in user; anonymous visitors are sent to the login page by the view's rule first."""
    bp = Blueprint(name, import_name)

    @bp.url_value_preprocessor
    def load(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is None or "trajectory_id" not in values:
            return
        trajectory_id = values.pop("trajectory_id")
        # A cached page's view brings a lighter loader for its access check (tracker/pagecache.py).
        load = getattr(
            current_app.view_functions.get(endpoint or ""), "load_trajectory", get_trajectory_or_404
        )
        g.trajectory = load(trajectory_id) if current_user.is_authenticated else None

    return bp


def current_trajectory(optional: bool = False) -> Trajectory | None:
    trajectory = g.get("trajectory")
    if trajectory is None and not optional:
        abort(404)
    return trajectory


def check_declarations(app: Flask) -> None:
    """Refuse to start when a view declares no access rule, or a trajectory's view has no rule."""
    for url_rule in app.url_map.iter_rules():
        if url_rule.endpoint == "static":
            continue
        declared = getattr(app.view_functions[url_rule.endpoint], "access_rule", None)
        scoped = "<id:trajectory_id>" in url_rule.rule
        if declared is None or (scoped and not isinstance(declared, AccessRule)):
            raise RuntimeError(f"view {url_rule.endpoint} ({url_rule.rule}) declares no access rule")
