"""CSV and XLSX exports of exactly the filtered list the user is looking at."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tracker.models import Action, Milestone
from tracker.textsafe import clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def action_rows(actions: list[Action], today: date) -> tuple[list[str], list[list]]:
    header = [
        _("Trajectory"),
        _("Plan"),
        _("Cycle"),
        _("Action"),
        _("Owner"),
        _("Organisation"),
        _("Layer"),
        _("Status"),
        _("PDCA stage"),
        _("Due date"),
        _("Late"),
        _("Milestone"),
        _("Result"),
    ]
    rows = [
        [
            a.plan.trajectory.name,
            a.plan.title,
            a.cycle.number,
            a.title,
            a.owner.user.name if a.owner else "",
            a.owner.organisation.name if a.owner else "",
            a.owner.layer.label if a.owner else "",
            a.status.label,
            a.stage.label,
            a.due_date,
            _("yes") if a.is_overdue(today) else "",
            a.milestone.title if a.milestone else "",
            a.result,
        ]
        for a in actions
    ]
    return header, rows


def milestone_rows(milestones: list[Milestone], today: date) -> tuple[list[str], list[list]]:
    header = [
        _("Trajectory"),
        _("Plan"),
        _("Milestone"),
        _("Target date"),
        _("Expected result"),
        _("Achieved on"),
        _("Actual result"),
        _("State"),
    ]
    rows = [
        [
            m.plan.trajectory.name,
            m.plan.title,
            m.title,
            m.target_date,
            m.expected_result,
            m.achieved_on,
            m.actual_result,
            m.state(today).label,
        ]
        for m in milestones
    ]
    return header, rows


def _safe(value):
    """A CSV cell: characters no writer may emit removed, spreadsheet formulas neutralised (CSV
    injection: a spreadsheet program opening the file would evaluate them)."""
    value = clean_text(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _xlsx_cell(sheet, row: int, column: int, value) -> None:
    """An XLSX cell. Text is stored as a string, never as a formula, so it needs no guard and
    keeps exactly what the user typed (less the characters XML 1.0 does not allow)."""
    value = clean_text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise make a formula of text starting with "="


def _excel_date_format() -> str:
    """The user's short date pattern (CLDR) as a spreadsheet number format."""
    pattern = get_locale().date_formats["short"].pattern if get_locale() else "dd-MM-y"
    return pattern.replace("y", "yyyy").replace("yyyyyyyy", "yyyy").upper()


def download(fmt: str, header: list[str], rows: list[list], filename: str, title: str) -> Response:
    """The list as CSV or XLSX; any other format is not found."""
    if fmt == "csv":
        return csv_response(header, rows, filename)
    if fmt == "xlsx":
        return xlsx_response(header, rows, filename, title)
    abort(404)


def csv_response(header: list[str], rows: list[list], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(format_date(v, "short") if isinstance(v, date) else v) for v in row])
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(header: list[str], rows: list[list], filename: str, title: str) -> Response:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row_number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            _xlsx_cell(sheet, row_number, column, value)
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(name) + 8))
        if isinstance(rows[0][index - 1] if rows else None, date):
            for cell in sheet[get_column_letter(index)][1:]:
                cell.number_format = _excel_date_format()
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = Response(buffer.getvalue(), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
