"""The report as an A4 PDF (fpdf2, pure Python), in DejaVu Sans embedded from
tracker/static/vendor/dejavu, so every character of names and titles prints."""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Sequence
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from tracker.models.enums import label
from tracker.report import texts
from tracker.report.services import Evaluation, ReportData
from tracker.templating import datum

FONTS = Path(__file__).resolve().parent.parent / "static" / "vendor" / "dejavu"
FAMILY = "DejaVu"
HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 236, 242))
LINE = 5.5


FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@functools.cache
def _parsed_fonts() -> dict[str, tuple[TTFFont, bytes]]:
    """The DejaVu fonts parsed once per process, with their file bytes.

    Parsing a TTF's character map and widths costs about 50 ms per font, so every
    document starts from a copy of these. fpdf2 shares the fontTools object between
    copies and subsets it in place when it writes the PDF, so `_fresh` gives each
    document its own, opened lazily from the bytes (well under a millisecond)."""
    pdf = FPDF()
    fonts = {}
    for style, name in FILES.items():
        key = f"{FAMILY.lower()}{style}"
        pdf.add_font(FAMILY, style, FONTS / name)
        font = pdf.fonts[key]
        if not isinstance(font, TTFFont):  # pragma: no cover - add_font made it
            raise TypeError(key)
        fonts[key] = (font, (FONTS / name).read_bytes())
    return fonts


def _fresh(font: TTFFont, data: bytes) -> TTFFont:
    """A copy for one document: the read-only maps shared, the parts fpdf2 changes
    while writing (widths looked up, glyph subset, the fontTools font) its own."""
    copied = copy.copy(font)
    copied.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    copied.cw = font.cw.copy()
    copied.glyph_ids = dict(font.glyph_ids)
    copied.missing_glyphs = []
    copied.biggest_size_pt = 0
    copied.subset = SubsetMap(copied)
    return copied


class ReportPDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        for key, (font, data) in _parsed_fonts().items():
            self.fonts[key] = _fresh(font, data)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_font(FAMILY, size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        page = _("Page %(n)d of %(total)s", n=self.page_no(), total="{nb}")
        self.cell(0, 5, f"{self.footer_text} · {page}", align="C")
        self.set_font(FAMILY, size=10)

    def heading(self, text: str, size: int = 14) -> None:
        if self.get_y() > self.h - 50:  # no heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font(FAMILY, size=10)
        self.ln(1)

    def para(self, text: str, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", 10)
        self.multi_cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font(FAMILY, size=10)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        self.set_font(FAMILY, size=9)
        with self.table(
            col_widths=tuple(widths),
            headings_style=HEADINGS,
            line_height=4.8,
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
            padding=1,
        ) as table:
            table.row(list(header))
            for values in rows:
                table.row([v or "—" for v in values])
        self.set_font(FAMILY, size=10)
        self.ln(2)


def _phases(pdf: ReportPDF, data: ReportData) -> None:
    pdf.heading(_("Phases"))
    rows = []
    for row in data.phases:
        decisions = "; ".join(f"{label(d.outcome)} ({datum(d.decided_on)})" for d in row.decisions)
        rows.append(
            [
                f"{_('Phase %(n)d', n=row.number)}: {row.title}",
                f"{texts.progress(row.progress)}\n{texts.phase_state(row.progress)}",
                texts.planning(row.progress),
                decisions,
            ]
        )
    pdf.grid([_("Phase"), _("Progress"), _("Planning"), _("Decision")], rows, (34, 24, 24, 18))


def _timeline(pdf: ReportPDF, data: ReportData) -> None:
    pdf.heading(_("Timeline"))
    if not data.timeline:
        pdf.para(_("No dated events yet."))
        return
    rows = [[datum(e.day), label(e.kind), e.title] for e in data.timeline]
    pdf.grid([_("Date"), _("Event"), _("What")], rows, (20, 26, 54))


def _behind(pdf: ReportPDF, data: ReportData) -> None:
    pdf.heading(_("What is behind"))
    if not data.behind:
        pdf.para(_("Nothing is behind."))
        return
    pdf.para(", ".join(f"{label(kind)}: {n}" for kind, n in data.behind_counts))
    for group in data.behind:
        pdf.heading(label(group.layer) if group.layer else _("No layer"), size=12)
        rows = [
            [owner.owner or _("No owner"), label(e.kind), e.title, datum(e.due)]
            for owner in group.owners
            for e in owner.entries
        ]
        pdf.grid([_("Owner"), _("What"), _("Title"), _("Date")], rows, (20, 20, 42, 18))


def _evaluation(pdf: ReportPDF, evaluation: Evaluation | None) -> None:
    pdf.heading(_("Latest evaluation round"))
    if evaluation is None:
        pdf.para(_("No evaluation round has closed yet."))
        return
    pdf.para(
        _(
            "%(round)s, closed on %(date)s",
            round=evaluation.round.name,
            date=datum(evaluation.round.closes_on),
        ),
        bold=True,
    )
    rows = [[f.title, texts.cards(f), texts.trend(f.trend)] for f in evaluation.factors]
    pdf.grid([_("Factor"), _("Cards"), _("Trend")], rows, (46, 28, 26))
    pdf.heading(_("Red cards"), size=12)
    if not evaluation.red:
        pdf.para(_("No red cards in this round."))
        return
    rows = [[f.title, str(f.counts["rood"]), texts.follow_up(f)] for f in evaluation.red]
    pdf.grid([_("Factor"), _("Red cards"), _("Follow-up")], rows, (56, 16, 28))


def _ambitions(pdf: ReportPDF, data: ReportData) -> None:
    pdf.heading(_("Shared ambitions"))
    if not data.ambitions:
        pdf.para(_("No shared ambitions yet."))
    for ambition in data.ambitions:
        pdf.para(ambition.title, bold=True)
        if ambition.result:
            pdf.para(f"{label(ambition.result_kind)}: {ambition.result}")
        for objective in ambition.objectives:
            pdf.para(f"• {objective.text}")
        pdf.ln(1)


def report_pdf(data: ReportData) -> bytes:
    title = texts.title(data.layer)
    pdf = ReportPDF(f"{data.trajectory.name} · {title} · {datum(data.today)}")
    pdf.set_title(f"{title}: {data.trajectory.name}")
    pdf.set_lang(str(get_locale() or "nl"))
    pdf.set_creator("BETER SAMEN")
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(0, 7, data.trajectory.name, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.para(f"{_('Date')}: {datum(data.today)}")
    pdf.para(f"{_('Layer')}: {label(data.layer) if data.layer else _('All layers')}")
    _phases(pdf, data)
    _timeline(pdf, data)
    _behind(pdf, data)
    _evaluation(pdf, data.evaluation)
    _ambitions(pdf, data)
    return bytes(pdf.output())
