"""'Wat loopt achter': per trajectory, and across every trajectory the user may see."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_login import current_user

from tracker.access import rule, signed_in, trajectory_blueprint, viewable_trajectory_ids
from tracker.behind import services
from tracker.behind.entries import grouped
from tracker.behind.query import Trajectories
from tracker.models import Layer, Trajectory
from tracker.navigation import layer_filter
from tracker.pagecache import cached_page

bp = trajectory_blueprint("behind", __name__)


def _render(trajectory: Trajectory | None, trajectories: Trajectories, layer: Layer | None):
    """One page of the entries (in the layer asked for), grouped; the counts are of every page."""
    found = services.behind_page(trajectories, layer, anchor="behind-list")
    return render_template(
        "behind/index.html",
        trajectory=trajectory,
        page=found.page,
        groups=grouped(list(found.page.items)),
        per_layer=found.per_layer,
        total=found.total,
        kinds=found.kinds,
        layer=layer,
        layers=list(Layer),
        today=date.today(),
    )


@bp.route("/achter")
@signed_in
@cached_page
def index():
    layer = layer_filter()
    return _render(None, viewable_trajectory_ids(current_user), layer)


@bp.route("/trajecten/<id:trajectory_id>/achter", endpoint="trajectory")
@rule()
@cached_page
def trajectory_behind(trajectory: Trajectory):
    layer = layer_filter()
    return _render(trajectory, [trajectory.id], layer)
