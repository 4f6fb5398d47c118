"""The timeline and the charts of one trajectory: read-only pages for everyone who may see it."""

from __future__ import annotations

from datetime import date

from flask import render_template

from tracker.access import rule, trajectory_blueprint
from tracker.models import Trajectory
from tracker.pagecache import cached_page
from tracker.timeline import charts, layout, services
from tracker.trajectories.progress import progress_for

bp = trajectory_blueprint("timeline", __name__)


@bp.route("/trajecten/<id:trajectory_id>/tijdlijn")
@rule()
@cached_page
def timeline(trajectory: Trajectory):
    data = services.timeline_data(trajectory, date.today())
    return render_template(
        "timeline/index.html", trajectory=trajectory, data=data, svg=services.render_svg(data)
    )


@bp.route("/trajecten/<id:trajectory_id>/grafieken")
@rule()
@cached_page
def charts_page(trajectory: Trajectory):
    today = date.today()
    progress = progress_for([trajectory.id], today)[trajectory.id]
    history = charts.checklist_history(trajectory, progress, today)
    months = charts.actions_per_month(trajectory, today)
    shares = charts.factor_shares(trajectory, today)
    return render_template(
        "timeline/charts.html",
        trajectory=trajectory,
        history=history,
        lines=layout.line_chart(history),
        months=months,
        bars=layout.bar_chart(months),
        shares=shares,
        grid=layout.share_grid(shares),
    )
