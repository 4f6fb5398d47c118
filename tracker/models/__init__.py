"""All models, importable from one place (and registered with the metadata for migrations)."""

from tracker.models.api_token import ApiToken, TokenScope
from tracker.models.audit import AuditEvent
from tracker.models.base import utcnow
from tracker.models.checklist import ChecklistItem, Phase, Section
from tracker.models.decision import Decision
from tracker.models.enums import (
    DecisionKind,
    DecisionOutcome,
    ItemStatus,
    Layer,
    Movement,
    Role,
    Sector,
    TrajectoryStatus,
)
from tracker.models.evaluation import (
    CADENCE_MONTHS,
    Ballot,
    Cadence,
    Color,
    EvaluationRound,
    EvaluationSchedule,
    OutboxMessage,
    RoundState,
    Vote,
)
from tracker.models.invitation import Invitation
from tracker.models.network import (
    MAX_ACTIVE_AMBITIONS,
    Agreement,
    Ambition,
    Meeting,
    MeetingAttendee,
    NetworkPartner,
    Objective,
    Perception,
    ProcessStep,
    Relation,
    ResultKind,
)
from tracker.models.notification import (
    DigestMarker,
    Notification,
    NotificationKind,
    NotificationMode,
    NotificationSetting,
)
from tracker.models.organisation import Organisation
from tracker.models.plan import (
    OPEN_ACTION_STATUSES,
    ActDecision,
    Action,
    ActionSource,
    ActionStatus,
    Cycle,
    Milestone,
    MilestoneState,
    PdcaStage,
    Plan,
    PlanKind,
    PlanStatus,
)
from tracker.models.reflection import StartReflection
from tracker.models.search import SearchEntry, SearchKind
from tracker.models.setting import Setting
from tracker.models.stash import FormStash
from tracker.models.trajectory import Membership, Trajectory
from tracker.models.user import PasswordReset, User
from tracker.models.version import DataVersion
from tracker.models.workshop import (
    MAX_SESSION_AMBITIONS,
    Instrument,
    NoteCategory,
    SessionStatus,
    Workshop,
    WorkshopAmbition,
    WorkshopJointStep,
    WorkshopNote,
    WorkshopParticipant,
)

__all__ = [
    "MAX_ACTIVE_AMBITIONS",
    "Agreement",
    "Ambition",
    "Meeting",
    "MeetingAttendee",
    "NetworkPartner",
    "NoteCategory",
    "Instrument",
    "SessionStatus",
    "MAX_SESSION_AMBITIONS",
    "WorkshopAmbition",
    "WorkshopJointStep",
    "Objective",
    "Perception",
    "ProcessStep",
    "Relation",
    "ResultKind",
    "Workshop",
    "Invitation",
    "WorkshopNote",
    "WorkshopParticipant",
    "CADENCE_MONTHS",
    "Ballot",
    "Cadence",
    "Color",
    "EvaluationRound",
    "EvaluationSchedule",
    "OutboxMessage",
    "DigestMarker",
    "Notification",
    "NotificationKind",
    "NotificationMode",
    "NotificationSetting",
    "PasswordReset",
    "RoundState",
    "Vote",
    "OPEN_ACTION_STATUSES",
    "ActDecision",
    "Action",
    "ActionSource",
    "ActionStatus",
    "Cycle",
    "Milestone",
    "MilestoneState",
    "PdcaStage",
    "Plan",
    "PlanKind",
    "PlanStatus",
    "ApiToken",
    "TokenScope",
    "AuditEvent",
    "Setting",
    "FormStash",
    "ChecklistItem",
    "DataVersion",
    "Decision",
    "DecisionKind",
    "DecisionOutcome",
    "ItemStatus",
    "Layer",
    "Membership",
    "Movement",
    "Organisation",
    "Phase",
    "Role",
    "SearchEntry",
    "SearchKind",
    "Section",
    "Sector",
    "StartReflection",
    "Trajectory",
    "TrajectoryStatus",
    "User",
    "utcnow",
]
