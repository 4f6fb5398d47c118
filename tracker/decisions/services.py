"""Recording decisions. Writes flush; views commit. The latest decision of each kind is
:func:`tracker.trajectories.services.current_decisions` (the trajectory pages show it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.extensions import db
from tracker.models import Decision, DecisionKind, DecisionOutcome, Trajectory, User


@dataclass(frozen=True)
class DecisionDraft:
    """A decision as the form gives it; the texts a kind does not ask stay empty."""

    outcome: DecisionOutcome
    decided_on: date
    rationale: str
    decided_by: str
    open_questions: str = ""
    shared_vision: str = ""
    shared_ambition: str = ""
    agreement_goal: str = ""
    agreement_target_groups: str = ""
    agreement_consists_of: str = ""
    agreement_direction: str = ""
    agreement_accountability: str = ""


TEXT_FIELDS = tuple(
    name for name in DecisionDraft.__dataclass_fields__ if name not in ("outcome", "decided_on")
)


def record_decision(
    trajectory: Trajectory, kind: DecisionKind, draft: DecisionDraft, *, by: User
) -> Decision:
    """Decisions are never edited: a new one is recorded and the history stays."""
    decision = Decision(
        kind=kind,
        outcome=draft.outcome,
        decided_on=draft.decided_on,
        recorded_by=by,
        **{name: getattr(draft, name) for name in TEXT_FIELDS},
    )
    trajectory.decisions.append(decision)
    db.session.flush()
    return decision
