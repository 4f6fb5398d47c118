"""The timeline of one trajectory as data: rows of marks with x positions on one time axis, and the
same facts as table rows. A fixed number of queries, whatever the number of records.

What the phase bars mean: the outline is the planned period (planned start to target date); the
fill inside it is the share of the phase's applicable checklist items that is done (from
:mod:`tracker.trajectories.progress`). A phase on schedule has its fill reach the today line; a fill
short of it is behind, past it ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.models import EvaluationRound, Meeting, Milestone, MilestoneState, Plan, Trajectory
from tracker.models.evaluation import round_state
from tracker.timeline.axis import Axis, Tick
from tracker.trajectories.progress import PhaseProgress, progress_for

TOP = 52  # the month labels and the today label sit above the first row
ROW_HEIGHT = 34
BOTTOM = 12
LABEL_CHARS = 28
DATE = "d MMMM y"

# Not colour alone: every milestone state has its own symbol, also named in the legend and table.
MILESTONE_SYMBOLS = {
    MilestoneState.BEHAALD: "✓",
    MilestoneState.OP_SCHEMA: "○",
    MilestoneState.RISICO: "!",
    MilestoneState.TE_LAAT: "✕",
}


@dataclass
class Mark:
    kind: str  # planned, done, milestone, meeting, round, cycle, cycle-closed
    x: float
    width: float = 0.0
    text: str = ""  # drawn in or next to the mark when there is room
    title: str = ""  # the full description (the SVG <title>, read on hover)
    state: str = ""  # a milestone's state, for its colour
    symbol: str = ""


@dataclass
class Row:
    label: str
    y: float  # the row's vertical middle
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Fact:
    """One row of the table that says what the timeline shows."""

    kind: str
    name: str
    start: date | None
    end: date | None
    detail: str


@dataclass
class TimelineData:
    trajectory_name: str
    axis: Axis
    today: date
    rows: list[Row]
    bands: list[Mark]  # evaluation rounds, across the whole plot
    facts: list[Fact]

    @property
    def ticks(self) -> list[Tick]:
        return self.axis.ticks()

    @property
    def today_x(self) -> float:
        return self.axis.x(self.today)

    @property
    def height(self) -> int:
        return TOP + ROW_HEIGHT * len(self.rows) + BOTTOM

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _phase_row(axis: Axis, p: PhaseProgress, y: float) -> tuple[Row, Fact]:
    label = _("Phase %(n)d", n=p.number)
    row = Row(f"{label}: {p.percent}%", y)
    expected = p.expected_percent
    detail = _("%(done)d%% done (%(n)d of %(total)d items)", done=p.percent, n=p.done, total=p.applicable)
    if expected is not None:
        detail += "; " + _("%(n)d%% expected by today", n=expected)
    if p.behind:
        detail += "; " + _("behind")
    if p.planned:
        first = p.planned_start or p.target_date
        last = p.target_date or p.planned_start
        assert first is not None and last is not None
        x, width = axis.span(first, max(first, last))
        row.marks.append(Mark("planned", x, width, title=f"{label}: {detail}"))
        if p.percent:
            row.marks.append(Mark("done", x, round(width * p.percent / 100, 1), title=f"{label}: {detail}"))
    else:
        row.marks.append(Mark("unplanned", axis.x(axis.start), text=_("not planned")))
    return row, Fact(_("Phase"), label, p.planned_start, p.target_date, detail)


def _load(trajectory: Trajectory):
    milestones = db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.trajectory_id == trajectory.id)
        .options(selectinload(Milestone.actions))
        .order_by(Milestone.target_date, Milestone.id)
    ).all()
    meetings = db.session.execute(
        sa.select(Meeting.held_on, Meeting.purpose)
        .where(Meeting.trajectory_id == trajectory.id)
        .order_by(Meeting.held_on, Meeting.id)
    ).all()
    rounds = db.session.execute(
        sa.select(EvaluationRound.name, EvaluationRound.opens_on, EvaluationRound.closes_on)
        .where(EvaluationRound.trajectory_id == trajectory.id)
        .order_by(EvaluationRound.opens_on)
    ).all()
    plans = db.session.scalars(
        sa.select(Plan)
        .where(Plan.trajectory_id == trajectory.id)
        .options(joinedload(Plan.organisation), selectinload(Plan.cycles))
        .order_by(Plan.kind, Plan.id)
    ).all()
    return milestones, meetings, rounds, plans


def timeline_data(trajectory: Trajectory, today: date) -> TimelineData:
    progress = progress_for([trajectory.id], today)[trajectory.id]
    milestones, meetings, rounds, plans = _load(trajectory)
    phases = [progress.phase(n) for n in range(1, 5)]
    dates = [d for p in phases for d in (p.planned_start, p.target_date) if d is not None]
    dates += [m.target_date for m in milestones] + [m.achieved_on for m in milestones if m.achieved_on]
    dates += [held_on for held_on, _purpose in meetings]
    dates += [d for _name, opens, closes in rounds for d in (opens, closes)]
    dates += [d for plan in plans for c in plan.cycles for d in (c.start_date, c.end_date)]
    axis = Axis.around(dates, today)
    rows: list[Row] = []
    facts: list[Fact] = []

    def next_y() -> float:
        return TOP + ROW_HEIGHT * len(rows) + ROW_HEIGHT / 2

    for p in phases:
        row, fact = _phase_row(axis, p, next_y())
        rows.append(row)
        facts.append(fact)

    row = Row(_("Milestones"), next_y())
    for m in milestones:
        state = m.state(today)
        symbol = MILESTONE_SYMBOLS[state]
        title = f"{m.title}: {state.label} ({symbol})"
        row.marks.append(
            Mark("milestone", axis.x(m.target_date), title=title, state=state.value, symbol=symbol)
        )
        detail = f"{symbol} {state.label}"
        if m.achieved_on:
            detail += "; " + _("achieved on %(date)s", date=format_date(m.achieved_on, DATE))
        facts.append(Fact(_("Milestone"), m.title, None, m.target_date, detail))
    rows.append(row)

    row = Row(_("Network meetings"), next_y())
    for held_on, purpose in meetings:
        name = purpose.strip().splitlines()[0][:120] if purpose.strip() else _("Network meeting")
        row.marks.append(Mark("meeting", axis.x(held_on), title=f"{format_date(held_on, DATE)}: {name}"))
        facts.append(Fact(_("Network meeting"), name, held_on, None, ""))
    rows.append(row)

    bands: list[Mark] = []
    row = Row(_("Evaluation rounds"), next_y())
    for name, opens, closes in rounds:
        x, width = axis.span(opens, max(opens, closes))
        state = round_state(opens, closes, today)
        bands.append(Mark("band", x, width))
        row.marks.append(Mark("round", x, width, text=name, title=f"{name}: {state.label}"))
        facts.append(Fact(_("Evaluation round"), name, opens, closes, str(state.label)))
    rows.append(row)

    for plan in plans:
        row = Row(_short(plan.title), next_y())
        for c in plan.cycles:
            closed = c.closed_at is not None
            x, width = axis.span(c.start_date, max(c.start_date, c.end_date))
            status = _("closed") if closed else c.stage.label
            name = _("Cycle %(n)d", n=c.number)
            text = f"C{c.number}{' ✓' if closed else ''}"
            row.marks.append(
                Mark("cycle-closed" if closed else "cycle", x, width, text=text, title=f"{name}: {status}")
            )
            facts.append(
                Fact(_("PDCA cycle"), f"{plan.title}, {name}", c.start_date, c.end_date, str(status))
            )
        rows.append(row)
    return TimelineData(trajectory.name, axis, today, rows, bands, facts)


def render_svg(data: TimelineData) -> Markup:
    """The SVG of computed timeline data (the template escapes every text it inserts)."""
    # The template autoescapes every text it inserts; the result is markup by construction.
    return Markup(render_template("timeline/_timeline.svg.html", data=data))  # noqa: S704  # nosec B704


def timeline_svg(trajectory: Trajectory, today: date) -> Markup:
    """The timeline as inline SVG, for reports that embed it."""
    return render_svg(timeline_data(trajectory, today))
