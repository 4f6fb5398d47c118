"""The API's blueprint with all its views (importing the modules registers them)."""

from __future__ import annotations

from tracker.api import actions, evaluations, items, meetings, openapi, plans, trajectories
from tracker.api.core import bp

MODULES = (trajectories, items, plans, actions, evaluations, meetings, openapi)

__all__ = ["MODULES", "bp"]
