"""The trajectory menu: five groups on the first row, the pages of the current group on the second.

Every trajectory page names its place with a key (``trajectory_nav(trajectory, 'plans')`` in the
templates); the key is one of the pages below. The menu is plain links: it works without
JavaScript, and the current group and page are marked with ``aria-current``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.access import can_manage
from tracker.models import Layer, Trajectory


@dataclass(frozen=True)
class Page:
    key: str
    label: Any  # a lazy gettext string
    endpoint: str
    args: Mapping[str, Any] = field(default_factory=dict)
    managers_only: bool = False

    def url(self, trajectory_id: int) -> str:
        return url_for(self.endpoint, trajectory_id=trajectory_id, **self.args)


@dataclass(frozen=True)
class Group:
    key: str
    label: Any  # a lazy gettext string
    pages: tuple[Page, ...]


GROUPS: tuple[Group, ...] = (
    Group("overview", _l("Overview"), (Page("overview", _l("Overview"), "trajectories.detail"),)),
    Group(
        "phases",
        _l("Phases"),
        tuple(Page(f"phase{n}", _l("Phase %(n)d", n=n), "phases.phase", {"number": n}) for n in range(1, 5))
        + (
            Page("tabel1", _l("Table 1"), "trajectories.tabel1"),
            Page("reflection", _l("Start reflection"), "reflection.index"),
            Page("decisions", _l("Decisions"), "decisions.index"),
        ),
    ),
    Group(
        "work",
        _l("Work"),
        (
            Page("network", _l("Network"), "partners.partners"),
            Page("meetings", _l("Meetings"), "meetings.meetings"),
            Page("process", _l("Process"), "process.process"),
            Page("ambitions", _l("Ambitions"), "ambitions.ambitions"),
            Page("workshops", _l("Workshops"), "workshops.workshops"),
            Page("plans", _l("Plans"), "plans.index"),
            Page("actions", _l("Actions"), "actions.index"),
            Page("layers", _l("Per layer"), "trajectories.layer_view", {"layer": "uitvoerend"}),
            Page("timeline", _l("Timeline"), "timeline.timeline"),
            Page("charts", _l("Charts"), "timeline.charts_page"),
        ),
    ),
    Group("evaluations", _l("Evaluations"), (Page("evaluations", _l("Evaluations"), "evaluations.index"),)),
    Group(
        "trajectory",
        _l("Trajectory"),
        (
            Page("members", _l("Members"), "members.index"),
            Page("history", _l("History"), "trajectories.history"),
            Page("edit", _l("Settings"), "trajectories.edit", managers_only=True),
        ),
    ),
)

PAGES: dict[str, Page] = {page.key: page for group in GROUPS for page in group.pages}


@dataclass(frozen=True)
class Menu:
    """The menu as one user sees it on one page."""

    groups: tuple[Group, ...]
    current_group: Group | None
    current: str

    @property
    def subpages(self) -> tuple[Page, ...]:
        """The second row: the pages of the current group, when it has more than one."""
        if self.current_group is None or len(self.current_group.pages) < 2:
            return ()
        return self.current_group.pages

    def group_current(self, group: Group) -> str | None:
        """The aria-current value of a group link: ``page`` when the group is a single page."""
        if group is not self.current_group:
            return None
        return "page" if len(group.pages) == 1 else "true"


def trajectory_menu(current: str, manager: bool) -> Menu:
    """The menu with ``current`` marked; pages for managers only are left out for the others."""
    groups = tuple(
        Group(g.key, g.label, tuple(p for p in g.pages if manager or not p.managers_only)) for g in GROUPS
    )
    current_group = next((g for g in groups if any(p.key == current for p in g.pages)), None)
    return Menu(groups, current_group, current)


def menu_for(trajectory: Trajectory, current: str) -> Menu:
    """The menu for the signed-in user on a page of ``trajectory`` (a template global)."""
    return trajectory_menu(current, can_manage(current_user, trajectory))


def pages(keys: Iterable[str]) -> list[Page]:
    """The pages named by ``keys`` (unknown keys are left out)."""
    return [PAGES[key] for key in keys if key in PAGES]


def layer_filter() -> Layer | None:
    """The layer a page is narrowed to by ``?laag=`` (the layer links of "Wat loopt achter" and
    the report); None without one. A layer that does not exist is a page that does not exist: 404."""
    value = request.args.get("laag")
    if not value:
        return None
    try:
        return Layer(value)
    except ValueError:
        abort(404)
