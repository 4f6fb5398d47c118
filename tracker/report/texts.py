"""Words the HTML report and the PDF share: the report's title, progress, trends and red cards."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.evaluations.results import FactorResult
from tracker.models import Layer
from tracker.templating import datum
from tracker.trajectories.progress import PhaseProgress

TREND_ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def title(layer: Layer | None) -> str:
    return _("Status report") if layer is None else _("Status report, %(layer)s", layer=layer.label)


def progress(p: PhaseProgress) -> str:
    text = _("%(done)d of %(applicable)d done", done=p.done, applicable=p.applicable)
    return f"{text} ({p.percent}%)"


def phase_state(p: PhaseProgress) -> str:
    state = {"done": _("Completed"), "in_progress": _("In progress")}.get(p.state, _("Not started"))
    return f"{state}, {_('Behind')}" if p.behind else state


def planning(p: PhaseProgress) -> str:
    if not p.planned:
        return _("No planning yet")
    return _(
        "Planned: %(start)s to %(end)s", start=datum(p.planned_start) or "…", end=datum(p.target_date) or "…"
    )


def trend(t: str | None) -> str:
    words = {
        "up": _("better than the previous round"),
        "down": _("worse than the previous round"),
        "same": _("the same as the previous round"),
    }
    return f"{TREND_ARROWS[t]} {words[t]}" if t in words else "—"


def cards(f: FactorResult) -> str:
    return _(
        "%(green)d green, %(orange)d orange, %(red)d red",
        green=f.counts["groen"],
        orange=f.counts["oranje"],
        red=f.counts["rood"],
    )


def follow_up(f: FactorResult) -> str:
    if not f.action_ids:
        return _("No action yet")
    return _("%(n)d action(s)", n=len(f.action_ids))
