"""The evaluation services other features use, in one place: schedules and planned rounds
(:mod:`.schedules`), voting (:mod:`.voting`) and results (:mod:`.results`). Writes flush; views commit."""

from __future__ import annotations

from tracker.evaluations.results import (
    MIN_GROUP_FOR_ANONYMOUS,
    SOURCE_RED_CARD,
    FactorResult,
    follow_up,
    open_follow_up_actions,
    organisation_names,
    results,
    shown_groups,
    with_trends,
)
from tracker.evaluations.schedules import (
    PlannedRound,
    ScheduleError,
    ScheduleSettings,
    add_months,
    current_planned,
    materialise,
    next_rounds,
    open_manual_round,
    period_name,
    planned_rounds,
    save_schedule,
    schedule_of,
    validate_schedule,
)
from tracker.evaluations.voting import Cards, ballot_of, cast_ballot, invited_members, rounds_of

__all__ = [
    "MIN_GROUP_FOR_ANONYMOUS",
    "SOURCE_RED_CARD",
    "Cards",
    "FactorResult",
    "PlannedRound",
    "ScheduleError",
    "ScheduleSettings",
    "add_months",
    "ballot_of",
    "cast_ballot",
    "current_planned",
    "follow_up",
    "invited_members",
    "materialise",
    "next_rounds",
    "open_follow_up_actions",
    "open_manual_round",
    "organisation_names",
    "period_name",
    "planned_rounds",
    "results",
    "rounds_of",
    "save_schedule",
    "schedule_of",
    "shown_groups",
    "validate_schedule",
    "with_trends",
]
