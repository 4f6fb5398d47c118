"""Domain enumerations and their user-facing labels (translated through Flask-Babel)."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Layer(enum.StrEnum):
    BESTUUR = "bestuur"
    MANAGEMENT = "management"
    UITVOEREND = "uitvoerend"


class Role(enum.StrEnum):
    PROJECTLEIDER = "projectleider"
    MANAGER = "manager"
    TEAMLID = "teamlid"
    MEEKIJKER = "meekijker"


class Sector(enum.StrEnum):
    GGD_JGZ = "ggd_jgz"
    ONDERWIJS = "onderwijs"
    GEMEENTE = "gemeente"
    HUISARTS = "huisarts"
    POLITIE = "politie"
    WELZIJN = "welzijn"
    GGZ = "ggz"
    KINDEROPVANG = "kinderopvang"
    ANDERS = "anders"


class TrajectoryStatus(enum.StrEnum):
    ACTIEF = "actief"
    GEPAUZEERD = "gepauzeerd"
    AFGEROND = "afgerond"


class ItemStatus(enum.StrEnum):
    OPEN = "open"
    IN_BEHANDELING = "in_behandeling"
    AFGEROND = "afgerond"
    NVT = "nvt"


class DecisionKind(enum.StrEnum):
    PHASE1 = "fase1"
    PHASE4 = "fase4"


class DecisionOutcome(enum.StrEnum):
    GO = "wenselijk"
    PAUSE = "pas_op_de_plaats"
    INVESTIGATE = "eerst_uitzoeken"
    INFORMAL = "informeel"
    FORMAL = "formeel"


class Movement(enum.StrEnum):
    """How far the partners are 'in beweging' on a start-reflection aspect."""

    NOT_YET = "nog_niet"
    PARTLY = "deels"
    YES = "ja"


from tracker.models.evaluation import Cadence, Color, RoundState  # noqa: E402
from tracker.models.network import NoteCategory, Perception, Relation, ResultKind  # noqa: E402
from tracker.models.plan import (  # noqa: E402  (labels for the plan enums live here too)
    ActDecision,
    ActionStatus,
    MilestoneState,
    PdcaStage,
    PlanKind,
    PlanStatus,
)

# Enum members of different types can share a value ("deels", "informeel", "ja"): labels are keyed
# by (enum type, value), never by the member alone, which would let one type's label win for another's.
_LABEL_PAIRS: list[tuple[enum.Enum, object]] = [
    (Perception.JA, _l("Yes")),
    (Perception.DEELS, _l("Partly")),
    (Perception.NEE, _l("No")),
    (Relation.FORMEEL, _l("Formal")),
    (Relation.INFORMEEL, _l("Informal")),
    (Relation.GEEN, _l("No relation yet")),
    (ResultKind.PROBLEEM, _l("A problem to tackle")),
    (ResultKind.BESCHERMEND, _l("A protective factor to strengthen")),
    (NoteCategory.GOED, _l("What goes well")),
    (NoteCategory.BETER, _l("What can be better")),
    (NoteCategory.AMBITIE, _l("My ambition")),
    (NoteCategory.IDEE, _l("Ideas")),
    (NoteCategory.DOEN_WE_AL, _l("What we already do")),
    (Cadence.MAAND, _l("Monthly")),
    (Cadence.KWARTAAL, _l("Quarterly")),
    (Cadence.HALFJAAR, _l("Half-yearly")),
    (Cadence.JAAR, _l("Yearly")),
    (Color.GROEN, _l("Green (yes)")),
    (Color.ORANJE, _l("Orange (doubtful)")),
    (Color.ROOD, _l("Red (no)")),
    (RoundState.UPCOMING, _l("Planned")),
    (RoundState.OPEN, _l("Open")),
    (RoundState.CLOSED, _l("Closed")),
    (PlanKind.EXTERN, _l("External plan (the collaboration)")),
    (PlanKind.INTERN, _l("Internal plan (one organisation)")),
    (PlanStatus.CONCEPT, _l("Draft")),
    (PlanStatus.ACTIEF, _l("Active")),
    (PlanStatus.AFGEROND, _l("Completed")),
    (PdcaStage.PLAN, "Plan"),
    (PdcaStage.DO, "Do"),
    (PdcaStage.CHECK, "Check"),
    (PdcaStage.ACT, "Act"),
    (ActDecision.BIJSTELLEN, _l("Adjust")),
    (ActDecision.DOORGAAN, _l("Continue")),
    (ActDecision.STOPPEN, _l("Stop")),
    (ActionStatus.GEPLAND, _l("Planned")),
    (ActionStatus.BEZIG, _l("Under way")),
    (ActionStatus.GEREED, _l("Finished")),
    (ActionStatus.GEBLOKKEERD, _l("Blocked")),
    (ActionStatus.VERVALLEN, _l("Dropped")),
    (MilestoneState.OP_SCHEMA, _l("On schedule")),
    (MilestoneState.RISICO, _l("At risk")),
    (MilestoneState.TE_LAAT, _l("Late")),
    (MilestoneState.BEHAALD, _l("Achieved")),
    (Layer.BESTUUR, _l("Board (bestuur)")),
    (Layer.MANAGEMENT, _l("Management")),
    (Layer.UITVOEREND, _l("Professional (uitvoerend)")),
    (Role.PROJECTLEIDER, _l("Project lead")),
    (Role.MANAGER, _l("Manager")),
    (Role.TEAMLID, _l("Team member")),
    (Role.MEEKIJKER, _l("Observer (read-only)")),
    (Sector.GGD_JGZ, "GGD/JGZ"),
    (Sector.ONDERWIJS, _l("Education")),
    (Sector.GEMEENTE, _l("Municipality")),
    (Sector.HUISARTS, _l("General practitioner")),
    (Sector.POLITIE, _l("Police")),
    (Sector.WELZIJN, _l("Welfare")),
    (Sector.GGZ, _l("Mental health care (GGZ)")),
    (Sector.KINDEROPVANG, _l("Childcare")),
    (Sector.ANDERS, _l("Other")),
    (TrajectoryStatus.ACTIEF, _l("Active")),
    (TrajectoryStatus.GEPAUZEERD, _l("Paused")),
    (TrajectoryStatus.AFGEROND, _l("Completed")),
    (ItemStatus.OPEN, _l("Open")),
    (ItemStatus.IN_BEHANDELING, _l("In progress")),
    (ItemStatus.AFGEROND, _l("Done")),
    (ItemStatus.NVT, _l("Not applicable")),
    (DecisionKind.PHASE1, _l("Phase 1 decision")),
    (DecisionKind.PHASE4, _l("Phase 4 decision")),
    (DecisionOutcome.GO, _l("Collaboration desirable (go)")),
    (DecisionOutcome.PAUSE, _l("Pause (pas op de plaats)")),
    (DecisionOutcome.INVESTIGATE, _l("Investigate first")),
    (DecisionOutcome.INFORMAL, _l("Informal collaboration")),
    (DecisionOutcome.FORMAL, _l("Structural / formal collaboration")),
    (Movement.NOT_YET, _l("Not yet in motion")),
    (Movement.PARTLY, _l("Partly in motion")),
    (Movement.YES, _l("In motion")),
]
LABELS: dict[tuple[type, str], object] = {(type(m), m.value): text for m, text in _LABEL_PAIRS}


def label(value: enum.Enum | None) -> str:
    """The translated label of an enum member ('' for None)."""
    if value is None:
        return ""
    return str(LABELS.get((type(value), value.value), value.value))


def choices(enum_cls: type[enum.Enum], members=None) -> list[tuple[str, object]]:
    """(value, label) pairs for a select field."""
    return [(m.value, LABELS.get((type(m), m.value), m.value)) for m in (members or enum_cls)]
