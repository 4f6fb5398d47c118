"""The blueprint of the guided sessions, shared by the facilitator's views (routes.py) and the
room's views (room.py: the screen and the participants' page)."""

from __future__ import annotations

from tracker.access import trajectory_blueprint

bp = trajectory_blueprint("sessions", __name__)
