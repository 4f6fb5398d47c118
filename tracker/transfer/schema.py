"""What travels in a trajectory export, declared once per model: export.py and load.py walk it.

References never carry a database id: people by email, organisations by name, every other record
by its key (see :class:`tracker.transfer.spec.Key`), which both sides compute from the document.
"""

from __future__ import annotations

from typing import Any

from tracker.access import results_visible
from tracker.models import (
    Action,
    ActionSource,
    Agreement,
    Ambition,
    Ballot,
    ChecklistItem,
    Cycle,
    Decision,
    EvaluationRound,
    EvaluationSchedule,
    Meeting,
    MeetingAttendee,
    Membership,
    Milestone,
    NetworkPartner,
    Objective,
    Organisation,
    Phase,
    Plan,
    PlanKind,
    ProcessStep,
    Section,
    StartReflection,
    Trajectory,
    Vote,
    Workshop,
    WorkshopAmbition,
    WorkshopJointStep,
    WorkshopNote,
    WorkshopParticipant,
)
from tracker.transfer.spec import ORGANISATION, SOURCE, USER, Children, Group, Key, Node, Ref

FORMAT = "beter-samen-trajectory"
# A field added since version 1 (a named ballot's voter_name) is optional on import, so documents of
# version 1 still read and the version stays.
FORMAT_VERSION = 1

# Where an action comes from: Action.source_type → the record (node name) its source_id names,
# written on the action as "source". Agreements and workshop participants name their action
# themselves ("action", with a backlink that sets the action's source_id on import), so the action
# writes no source for those kinds.
ACTION_SOURCES: dict[str, str | None] = {
    ActionSource.CHECKLIST_ITEM: "item",
    ActionSource.RED_CARD: "round",
    ActionSource.PROCESS_STEP: "step",
    ActionSource.MEETING_AGREEMENT: None,  # the agreement points at its action
    ActionSource.WORKSHOP_STEP: None,  # the participant's first step points at its action
    ActionSource.WORKSHOP_JOINT_STEP: None,  # the session's joint step points at its action
}


def _plan_scope(plan: Plan) -> None:
    if plan.kind == PlanKind.EXTERN:
        plan.scope = "extern"
    elif plan.organisation is None:
        raise ValueError("an internal plan names its organisation")
    else:
        plan.scope = f"intern-{plan.organisation.id}"


def _member(attr: str) -> Ref:
    return Ref("member", attr, missing="none")


# --- the declaration --------------------------------------------------------------------------

ORGANISATION_NODE = Node("organisation", Organisation)

MEMBER = Node(
    "member",
    Membership,
    key=Key("email"),
    refs={
        "email": Ref(USER, "user", extra={"name": "name"}),
        "organisation": Ref(ORGANISATION, "organisation"),
    },
)

ITEM = Node("item", ChecklistItem, key=Key("position", scoped=True), refs={"owner_email": _member("owner")})
SECTION = Node("section", Section, key=Key("code"), children={"items": Children(ITEM, "items")})
# A phase travels with its planning (planned_start, target_date: optional, so older documents read).
PHASE = Node("phase", Phase, children={"sections": Children(SECTION, "sections")})

DECISION = Node(
    "decision",
    Decision,
    include=("created_at",),
    refs={"recorded_by_email": Ref(USER, "recorded_by")},
)
REFLECTION = Node("reflection", StartReflection)

CYCLE = Node("cycle", Cycle, key=Key("number", scoped=True))
MILESTONE = Node("milestone", Milestone, key=Key(scoped=True))
ACTION = Node(
    "action",
    Action,
    exclude=("source_id",),
    key=Key(scoped=True),
    refs={
        "owner_email": _member("owner"),
        "cycle": Ref("cycle", "cycle", local=True),
        "carried_from_cycle": Ref("cycle", "carried_from", local=True),
        "milestone": Ref("milestone", "milestone", local=True),
        "source": Ref(SOURCE, "source_id"),
        "objective": Ref("objective", "objective"),
    },
)
PLAN = Node(
    "plan",
    Plan,
    exclude=("scope",),
    key=Key(),
    finish=_plan_scope,
    refs={"organisation": Ref(ORGANISATION, "organisation"), "responsible_email": _member("responsible")},
    children={
        "cycles": Children(CYCLE, "cycles"),
        "milestones": Children(MILESTONE, "milestones"),
        "actions": Children(ACTION, parent="plan", order_by=(Action.id,)),
    },
)

VOTE = Node("vote", Vote)
BALLOT = Node(
    "ballot",
    Ballot,
    exclude=("submitted_at",),
    refs={
        "voter_email": _member("membership_id"),
        "organisation": Ref(ORGANISATION, "organisation_id", missing="none"),
    },
    children={"votes": Children(VOTE, "votes", sort=lambda v: v["factor"])},
)
SCHEDULE = Node("schedule", EvaluationSchedule, key=Key())
ROUND = Node(
    "round",
    EvaluationRound,
    key=Key(),
    refs={"from_schedule": Ref("schedule", "schedule_id", flag=True)},
    children={
        "ballots": Children(
            BALLOT,
            "ballots",
            # A member must not learn a round's votes from an export before its results are shown.
            when=lambda r, open_round_ballots: open_round_ballots or results_visible(r),
            # In anonymous rounds a ballot carries only the voter's layer and organisation.
            private=lambda r: ("voter_email", "voter_name") if r.anonymous else (),
            sort=lambda b: (b["layer"], b["organisation"] or "", b["voter_email"] or "", str(b["votes"])),
        )
    },
)

PARTNER = Node(
    "partner",
    NetworkPartner,
    refs={
        "organisation": Ref(ORGANISATION, "organisation", missing="create", extra={"sector": "sector"}),
        "contact_email": _member("contact"),
    },
)
MEETING = Node(
    "meeting",
    Meeting,
    children={
        "attendees": Children(
            Node("attendee", MeetingAttendee, refs={"email": _member("membership")}), "attendees"
        ),
        "agreements": Children(
            Node(
                "agreement",
                Agreement,
                refs={
                    "owner_email": _member("owner"),
                    "action": Ref("action", "action_id", missing="none", backlink="source_id"),
                },
            ),
            "agreements",
        ),
    },
)
STEP = Node(
    "step",
    ProcessStep,
    key=Key(),
    index_field="position",
    refs={"organisations": Ref(ORGANISATION, "organisations", many=True, missing="create")},
)
AMBITION = Node(
    "ambition",
    Ambition,
    key=Key(),
    children={
        "objectives": Children(
            Node("objective", Objective, key=Key(scoped=True), scalar="text"), "objectives"
        )
    },
)
PARTICIPANT = Node(
    "participant",
    WorkshopParticipant,
    key=Key(scoped=True),
    # Someone no longer a member keeps their contribution under their name.
    read={"name": "display_name"},
    refs={
        "email": _member("membership"),
        "action": Ref("action", "action_id", missing="none", backlink="source_id"),
    },
)
NOTE = Node(
    "note",
    WorkshopNote,
    refs={
        "participant": Ref("participant", "participant", local=True),
        "ambition": Ref("ambition", "ambition"),
    },
)
SESSION_AMBITION = Node("session_ambition", WorkshopAmbition, refs={"ambition": Ref("ambition", "ambition")})
JOINT_STEP = Node(
    "joint_step",
    WorkshopJointStep,
    refs={
        "owner_email": _member("owner"),
        "action": Ref("action", "action_id", missing="none", backlink="source_id"),
    },
)
WORKSHOP = Node(
    "workshop",
    Workshop,
    key=Key(),
    exclude=("photo", "photo_type"),  # the photo file stays behind
    # The milestone of the evaluation: [plan, milestone] (older files without it import unlinked).
    refs={
        "evaluation_owner_email": _member("evaluation_owner"),
        "milestone": Ref("milestone", "milestone", missing="none"),
    },
    children={
        "participants": Children(PARTICIPANT, "participants"),
        "notes": Children(NOTE, "notes"),
        "ambitions": Children(SESSION_AMBITION, "ambitions"),
        "joint_steps": Children(JOINT_STEP, "joint_steps"),
    },
)


def _of_trajectory(node: Node, *order_by: Any, one: bool = False) -> Children:
    return Children(node, parent="trajectory_id", order_by=order_by, one=one)


TRAJECTORY = Node(
    "trajectory",
    Trajectory,
    exclude=("client_goals", "client_goals_note"),  # in "network"
    refs={"coordinator_email": Ref(USER, "coordinator")},
    children={
        "members": Children(MEMBER, "memberships"),
        "phases": Children(PHASE, "phases"),
        "decisions": _of_trajectory(DECISION, Decision.id),
        "plans": _of_trajectory(PLAN, Plan.id),
        "evaluations": Group(
            children={
                "schedule": _of_trajectory(SCHEDULE, one=True),
                "rounds": _of_trajectory(ROUND, EvaluationRound.opens_on),
            }
        ),
        "network": Group(
            fields=("client_goals", "client_goals_note"),
            children={
                "partners": _of_trajectory(PARTNER, NetworkPartner.id),
                "meetings": _of_trajectory(MEETING, Meeting.held_on, Meeting.id),
                "steps": _of_trajectory(STEP, ProcessStep.position, ProcessStep.id),
                "ambitions": _of_trajectory(AMBITION, Ambition.id),
                "workshops": _of_trajectory(WORKSHOP, Workshop.held_on, Workshop.id),
            },
        ),
        "reflections": Children(REFLECTION, "reflections"),
    },
)
