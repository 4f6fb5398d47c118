"""Domain enumerations, each member with its user-facing label (translated through Flask-Babel).

The enumerations of plans, evaluations and the network live next to their models; every one is a
:class:`~tracker.models.labeled.LabeledEnum`, so ``member.label`` works for all of them."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from tracker.models.labeled import LabeledEnum


class Layer(LabeledEnum):
    BESTUUR = "bestuur", _l("Board (bestuur)")
    MANAGEMENT = "management", _l("Management")
    UITVOEREND = "uitvoerend", _l("Professional (uitvoerend)")


class Role(LabeledEnum):
    PROJECTLEIDER = "projectleider", _l("Project lead")
    MANAGER = "manager", _l("Manager")
    TEAMLID = "teamlid", _l("Team member")
    MEEKIJKER = "meekijker", _l("Observer (read-only)")


class Sector(LabeledEnum):
    GGD_JGZ = "ggd_jgz", "GGD/JGZ"
    ONDERWIJS = "onderwijs", _l("Education")
    GEMEENTE = "gemeente", _l("Municipality")
    HUISARTS = "huisarts", _l("General practitioner")
    POLITIE = "politie", _l("Police")
    WELZIJN = "welzijn", _l("Welfare")
    GGZ = "ggz", _l("Mental health care (GGZ)")
    KINDEROPVANG = "kinderopvang", _l("Childcare")
    ANDERS = "anders", _l("Other")


class TrajectoryStatus(LabeledEnum):
    ACTIEF = "actief", _l("Active")
    GEPAUZEERD = "gepauzeerd", _l("Paused")
    AFGEROND = "afgerond", _l("Completed")


class ItemStatus(LabeledEnum):
    OPEN = "open", _l("Open")
    IN_BEHANDELING = "in_behandeling", _l("In progress")
    AFGEROND = "afgerond", _l("Done")
    NVT = "nvt", _l("Not applicable")


class DecisionKind(LabeledEnum):
    PHASE1 = "fase1", _l("Phase 1 decision")
    PHASE4 = "fase4", _l("Phase 4 decision")


class DecisionOutcome(LabeledEnum):
    GO = "wenselijk", _l("Collaboration desirable (go)")
    PAUSE = "pas_op_de_plaats", _l("Pause (pas op de plaats)")
    INVESTIGATE = "eerst_uitzoeken", _l("Investigate first")
    INFORMAL = "informeel", _l("Informal collaboration")
    FORMAL = "formeel", _l("Structural / formal collaboration")


class Movement(LabeledEnum):
    """How far the partners are 'in beweging' on a start-reflection aspect."""

    NOT_YET = "nog_niet", _l("Not yet in motion")
    PARTLY = "deels", _l("Partly in motion")
    YES = "ja", _l("In motion")


def label(value: enum.Enum | None) -> str:
    """The translated label of an enum member ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, LabeledEnum):
        return value.label
    return str(value.value)


def choices(enum_cls: type[LabeledEnum], members=None) -> list[tuple[str, object]]:
    """(value, label) pairs for a select field; the labels stay lazy (forms are built at import)."""
    return [(m.value, m.lazy_label) for m in (members or enum_cls)]
