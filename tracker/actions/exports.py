"""CSV and XLSX exports of exactly the filtered list the user is looking at: every row, not one
page. Rows are fetched in batches and written one by one (XLSX in openpyxl's write-only mode) to a
spooled temporary file that ``send_file`` streams: memory stays flat however long the list is."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from flask import Response, abort, send_file
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from tracker.models import Action, Milestone
from tracker.textsafe import clean_text

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 1024 * 1024


def action_rows(actions: Iterable[Action], today: date) -> tuple[list[str], Iterator[list]]:
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
    rows = (
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
    )
    return header, rows


def milestone_rows(milestones: Iterable[Milestone], today: date) -> tuple[list[str], Iterator[list]]:
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
    rows = (
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
    )
    return header, rows


def _safe(value):
    """A CSV cell: characters no writer may emit removed, spreadsheet formulas neutralised (CSV
    injection: a spreadsheet program opening the file would evaluate them)."""
    value = clean_text(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _xlsx_cell(sheet, value, date_format: str) -> WriteOnlyCell:
    """An XLSX cell. Text is stored as a string, never as a formula, so it needs no guard and
    keeps exactly what the user typed (less the characters XML 1.0 does not allow)."""
    from openpyxl.cell import WriteOnlyCell

    value = clean_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise make a formula of text starting with "="
    elif isinstance(value, date):
        cell.number_format = date_format
    return cell


def _excel_date_format() -> str:
    """The user's short date pattern (CLDR) as a spreadsheet number format."""
    pattern = get_locale().date_formats["short"].pattern if get_locale() else "dd-MM-y"
    return pattern.replace("y", "yyyy").replace("yyyyyyyy", "yyyy").upper()


def download(fmt: str, header: list[str], rows: Iterable[list], filename: str, title: str) -> Response:
    """The list as CSV or XLSX; any other format is not found."""
    if fmt == "csv":
        return csv_response(header, rows, filename)
    if fmt == "xlsx":
        return xlsx_response(header, rows, filename, title)
    abort(404)


def _spooled() -> tempfile.SpooledTemporaryFile:
    """A file that stays in memory while small and moves to disk when it grows, so an export of
    any length is written in flat memory; ``send_file`` then streams it and closes it."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


def csv_response(header: list[str], rows: Iterable[list], filename: str) -> Response:
    """The rows as CSV, written row by row as they are fetched, then sent from the spooled file."""
    output = _spooled()
    text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(format_date(v, "short") if isinstance(v, date) else v) for v in row])
    text.detach()
    output.seek(0)
    response = send_file(output, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(header: list[str], rows: Iterable[list], filename: str, title: str) -> Response:
    """The rows as an XLSX sheet in write-only mode: each row goes to disk as it is added."""
    # Imported here: openpyxl takes ~16 MB that no page needs, only this download.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(name) + 8))
    sheet.freeze_panes = "A2"
    date_format = _excel_date_format()
    sheet.append([_xlsx_cell(sheet, name, date_format) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, date_format) for value in row])
    output = _spooled()
    workbook.save(output)
    output.seek(0)
    response = send_file(output, mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
