"""'Stand van zaken': the report of one trajectory (or one layer of it) as a print-ready page and
as a PDF download."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template

from tracker.access import rule, trajectory_blueprint
from tracker.models import Layer, Trajectory
from tracker.navigation import layer_filter
from tracker.report import texts
from tracker.report.services import report_data
from tracker.timeline.services import timeline_svg

bp = trajectory_blueprint("report", __name__)


@bp.route("/trajecten/<id:trajectory_id>/stand-van-zaken")
@rule()
def report(trajectory: Trajectory):
    data = report_data(trajectory, layer_filter())
    return render_template(
        "report/report.html",
        report=data,
        report_title=texts.title(data.layer),
        texts=texts,
        layers=list(Layer),
        timeline=timeline_svg(trajectory, date.today()),
    )


@bp.route("/trajecten/<id:trajectory_id>/stand-van-zaken.pdf")
@rule()
def report_pdf_download(trajectory: Trajectory):
    data = report_data(trajectory, layer_filter())
    suffix = f"-{data.layer.value}" if data.layer else ""
    # Imported here: fpdf2 and its font tools take ~25 MB that no other page needs.
    from tracker.report.pdf import report_pdf

    response = Response(report_pdf(data), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="stand-van-zaken-{trajectory.id}{suffix}-{data.today.isoformat()}.pdf"'
    )
    return response
