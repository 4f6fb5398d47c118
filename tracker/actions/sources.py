"""Where an action comes from, in one registry: per :class:`ActionSource` (which carries the label)
how its source is loaded (only within the action's trajectory) and where the link to it points.

An action stores the kind (``Action.source_type``), the source's id and, for a red card, the
factor's key. Pages ask this registry instead of testing the kinds one by one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionSource,
    Agreement,
    ChecklistItem,
    EvaluationRound,
    ProcessStep,
    Trajectory,
    WorkshopJointStep,
    WorkshopParticipant,
)


@dataclass(frozen=True)
class Origin:
    """A link to an action's source as the action page shows it: ``prefix: text — suffix``."""

    text: str
    url: str
    prefix: str = ""
    suffix: str = ""
    lang: str | None = None  # "nl" for the handreiking's own (Dutch) text


@dataclass(frozen=True)
class SourceKind:
    model: Any  # the record type the source's id points at
    load: Callable[[Trajectory, int], Any]  # the source in this trajectory, or None
    link: Callable[[Trajectory, Any, str | None], Origin | None]  # (trajectory, source, key)


def _loader(model: Any, trajectory_of: Callable[[Any], int]) -> Callable[[Trajectory, int], Any]:
    def load(trajectory: Trajectory, source_id: int) -> Any:
        source = db.session.get(model, source_id)
        return source if source is not None and trajectory_of(source) == trajectory.id else None

    return load


def _item_link(trajectory: Trajectory, item: ChecklistItem, _key: str | None) -> Origin:
    return Origin(
        prefix=_("From checklist item"),
        text=item.text,
        url=url_for("phases.item", trajectory_id=trajectory.id, item_id=item.id),
        lang=None if item.is_custom else "nl",
    )


def _red_card_link(
    trajectory: Trajectory, evaluation_round: EvaluationRound, key: str | None
) -> Origin | None:
    factor = next((f for f in evaluation_round.factors if f["key"] == key), None)
    if factor is None:
        return None
    return Origin(
        prefix=_("From the evaluation"),
        text=evaluation_round.name,
        url=url_for("evaluations.round_view", trajectory_id=trajectory.id, round_id=evaluation_round.id),
        suffix=factor["title"],
    )


def _agreement_link(trajectory: Trajectory, agreement: Agreement, _key: str | None) -> Origin:
    return Origin(
        text=_(
            "Agreement from the meeting of %(date)s",
            date=format_date(agreement.meeting.held_on, "short"),
        ),
        url=url_for("meetings.meeting", trajectory_id=trajectory.id, meeting_id=agreement.meeting_id),
    )


def _step_link(trajectory: Trajectory, step: ProcessStep, _key: str | None) -> Origin:
    return Origin(
        text=_("Bottleneck in the client path: %(step)s", step=step.title),
        url=url_for("process.process", trajectory_id=trajectory.id, _anchor=f"stap-{step.id}"),
    )


def _workshop_link(trajectory: Trajectory, participant: WorkshopParticipant, _key: str | None) -> Origin:
    return Origin(
        text=_("First step from the workshop %(title)s", title=participant.workshop.title),
        url=url_for("workshops.workshop", trajectory_id=trajectory.id, workshop_id=participant.workshop_id),
    )


def _joint_step_link(trajectory: Trajectory, joint: WorkshopJointStep, _key: str | None) -> Origin:
    return Origin(
        text=_("Joint step from the session %(title)s", title=joint.workshop.title),
        url=url_for("workshops.workshop", trajectory_id=trajectory.id, workshop_id=joint.workshop_id),
    )


SOURCES: dict[ActionSource, SourceKind] = {
    ActionSource.CHECKLIST_ITEM: SourceKind(
        ChecklistItem, _loader(ChecklistItem, lambda i: i.trajectory_id), _item_link
    ),
    ActionSource.RED_CARD: SourceKind(
        EvaluationRound, _loader(EvaluationRound, lambda r: r.trajectory_id), _red_card_link
    ),
    ActionSource.MEETING_AGREEMENT: SourceKind(
        Agreement, _loader(Agreement, lambda a: a.meeting.trajectory_id), _agreement_link
    ),
    ActionSource.PROCESS_STEP: SourceKind(
        ProcessStep,
        _loader(ProcessStep, lambda s: s.trajectory_id),
        _step_link,
    ),
    ActionSource.WORKSHOP_STEP: SourceKind(
        WorkshopParticipant,
        _loader(WorkshopParticipant, lambda p: p.workshop.trajectory_id),
        _workshop_link,
    ),
    ActionSource.WORKSHOP_JOINT_STEP: SourceKind(
        WorkshopJointStep,
        _loader(WorkshopJointStep, lambda j: j.workshop.trajectory_id),
        _joint_step_link,
    ),
}


def kind_of(action: Action) -> SourceKind | None:
    if action.source_type is None:
        return None
    try:
        return SOURCES[ActionSource(action.source_type)]
    except ValueError:  # a kind this version does not know
        return None


def label_of(action: Action) -> str:
    """The text under an action in its plan saying where it came from ("" when made there)."""
    try:
        return ActionSource(action.source_type).label if action.source_type else ""
    except ValueError:  # a kind this version does not know
        return ""


def link_to(trajectory: Trajectory, source: ActionSource, obj: Any, key: str | None = None) -> Origin | None:
    """The link to a source that is already loaded (the action being made from it)."""
    return SOURCES[source].link(trajectory, obj, key)


def origin(trajectory: Trajectory, action: Action) -> Origin | None:
    """The link to where the action came from, when its source still exists in this trajectory."""
    kind = kind_of(action)
    if kind is None or not action.source_id:
        return None
    source = kind.load(trajectory, action.source_id)
    return kind.link(trajectory, source, action.source_key) if source is not None else None
