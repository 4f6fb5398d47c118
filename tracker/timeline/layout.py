"""Where each line, bar and label of the three charts goes, in SVG user units (fixed viewBoxes that
scale to the width of the page). The templates only draw what is computed here."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _

from tracker.timeline.charts import COLORS, ChecklistHistory, FactorShares, MonthCount

WIDTH = 1000
# Each phase's line has its own colour and its own dash pattern, and is named at its end.
LINE_STYLES = (("#1c4f8a", ""), ("#1e6b34", "10 5"), ("#8a4b00", "3 3"), ("#5c3d8f", "12 4 3 4"))
CARD_FILLS = {"groen": "#1e6b34", "oranje": "#d9822b", "rood": "#a4161a"}


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Line:
    points: str
    color: str
    dash: str
    label: Label
    end_x: float
    end_y: float


@dataclass(frozen=True)
class LineChart:
    height: int
    left: int
    right: float
    grid: list[Label]  # the y gridlines with their percentage
    xlabels: list[Label]
    lines: list[Line]


def line_chart(history: ChecklistHistory) -> LineChart:
    height, left, top, bottom, right = 300, 56, 16, 40, WIDTH - 150
    plot_h = height - top - bottom
    step = (right - left) / max(1, len(history.weeks) - 1)

    def y(percent: int) -> float:
        return round(top + (100 - percent) / 100 * plot_h, 1)

    grid = [Label(left, y(p), f"{p}%") for p in (0, 25, 50, 75, 100)]
    last = len(history.weeks) - 1
    xlabels = [
        Label(round(left + i * step, 1), height - 14, format_date(week, "d MMM"))
        for i, week in enumerate(history.weeks)
        if (last - i) % 5 == 0
    ]
    lines = []
    label_ys: list[float] = []
    for series, (color, dash) in sorted(
        zip(history.phases, LINE_STYLES, strict=False), key=lambda pair: -pair[0].last
    ):
        points = " ".join(f"{round(left + i * step, 1)},{y(p)}" for i, p in enumerate(series.percents))
        end_y = y(series.last)
        label_y = max([end_y + 4, *[ly + 16 for ly in label_ys]])  # never on top of the one above
        label_ys.append(label_y)
        text = _("Phase %(n)d: %(p)d%%", n=series.number, p=series.last)
        lines.append(Line(points, color, dash, Label(right + 12, label_y, text), right, end_y))
    lines.sort(key=lambda line: line.label.text)
    return LineChart(height, left, right, grid, xlabels, lines)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    title: str


@dataclass(frozen=True)
class BarChart:
    height: int
    baseline: float
    grid: list[Label]
    xlabels: list[Label]
    opened: list[Bar]
    finished: list[Bar]


def bar_chart(months: list[MonthCount]) -> BarChart:
    height, left, top, bottom = 280, 56, 24, 44
    plot_h = height - top - bottom
    baseline = height - bottom
    peak = max([1, *[max(m.opened, m.finished) for m in months]])
    scale_max = max(4, -(-peak // 4) * 4)  # a multiple of 4, so the gridlines are whole numbers
    group = (WIDTH - left - 16) / max(1, len(months))
    bar = min(30.0, group / 2 - 6)
    grid = [Label(left, round(baseline - plot_h * k / 4, 1), str(scale_max * k // 4)) for k in range(5)]
    xlabels: list[Label] = []
    opened: list[Bar] = []
    finished: list[Bar] = []
    for i, m in enumerate(months):
        x = left + i * group + group / 2
        name = format_date(m.month, "MMM y")
        xlabels.append(Label(round(x, 1), height - 18, format_date(m.month, "MMM yy")))
        for value, bars, offset, text in (
            (m.opened, opened, -bar - 1, _("%(month)s: %(n)d opened", month=name, n=m.opened)),
            (m.finished, finished, 1, _("%(month)s: %(n)d finished", month=name, n=m.finished)),
        ):
            h = round(plot_h * value / scale_max, 1)
            bars.append(Bar(round(x + offset, 1), round(baseline - h, 1), round(bar, 1), h, value, text))
    return BarChart(height, baseline, grid, xlabels, opened, finished)


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str
    title: str


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    width: float
    segments: list[Segment]
    text: str


@dataclass(frozen=True)
class ShareGrid:
    height: int
    columns: list[Label]  # the round names
    rows: list[Label]  # the factor titles
    cells: list[Cell]


def share_grid(shares: FactorShares) -> ShareGrid:
    left, top, row_h = 300, 34, 44
    col = (WIDTH - left) / max(1, len(shares.rounds))
    columns = [
        Label(round(left + i * col + 4, 1), 20, name) for i, (name, _opens) in enumerate(shares.rounds)
    ]
    rows, cells = [], []
    for r, factor in enumerate(shares.factors):
        y = top + r * row_h
        rows.append(Label(6, y + 20, factor.title if len(factor.title) <= 40 else factor.title[:39] + "…"))
        for c, share in enumerate(factor.shares):
            x, width = left + c * col + 4, col - 12
            segments, at = [], x
            for color in COLORS:
                n, p = share.counts.get(color.value, 0), share.percent(color.value)
                w = round(width * n / share.total, 1) if share.total else 0
                if w:
                    title = f"{color.label}: {n} ({p}%)"
                    segments.append(Segment(round(at, 1), w, CARD_FILLS[color.value], title))
                at += w
            text = (
                " · ".join(f"{share.percent(color.value)}%" for color in COLORS)
                if share.total
                else _("no cards")
            )
            cells.append(Cell(round(x, 1), y + 6, round(width, 1), segments, text))
    return ShareGrid(top + row_h * len(shares.factors) + 8, columns, rows, cells)
