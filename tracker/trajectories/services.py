"""Trajectories: creation from the handreiking, settings, current decisions, progress, listings and
history. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.content import handreiking
from tracker.extensions import db
from tracker.models import (
    ChecklistItem,
    Decision,
    DecisionKind,
    ItemStatus,
    Layer,
    Membership,
    Organisation,
    Phase,
    Role,
    Section,
    StartReflection,
    Trajectory,
    TrajectoryStatus,
    User,
)
from tracker.trajectories.progress import progress_for

# --- creation from the template -------------------------------------------------------------


def instantiate_template(trajectory: Trajectory) -> None:
    """Copy the handreiking's phases, sections, items and reflection aspects into the trajectory."""
    content = handreiking()
    trajectory.template_version = content["version"]
    for phase_data in content["phases"]:
        phase = Phase(
            number=phase_data["number"],
            title=phase_data["title"],
            intro=phase_data.get("intro", ""),
            closing=phase_data.get("closing", ""),
        )
        trajectory.phases.append(phase)
        for s_pos, section_data in enumerate(phase_data["sections"], start=1):
            section = Section(
                code=section_data["code"],
                title=section_data["title"],
                intro=section_data.get("intro", ""),
                outro=section_data.get("outro", ""),
                position=s_pos,
            )
            phase.sections.append(section)
            for i_pos, text in enumerate(section_data["items"], start=1):
                section.items.append(
                    ChecklistItem(trajectory=trajectory, position=i_pos, text=text, is_custom=False)
                )
    for pos, aspect in enumerate(content["reflection"]["aspects"], start=1):
        trajectory.reflections.append(
            StartReflection(
                aspect_key=aspect["key"],
                position=pos,
                title=aspect["title"],
                explanation=aspect["explanation"],
            )
        )


@dataclass(frozen=True)
class TrajectoryDetails:
    """What describes a trajectory (set when it starts, changed on its settings page)."""

    name: str
    theme: str
    target_groups: str
    area: str
    start_date: date
    focus_layer: Layer


def _set_details(trajectory: Trajectory, details: TrajectoryDetails) -> None:
    trajectory.name = details.name
    trajectory.theme = details.theme
    trajectory.target_groups = details.target_groups
    trajectory.area = details.area
    trajectory.start_date = details.start_date
    trajectory.focus_layer = details.focus_layer


def create_trajectory(
    details: TrajectoryDetails, *, creator: User, organisation: Organisation, layer: Layer
) -> Trajectory:
    trajectory = Trajectory(status=TrajectoryStatus.ACTIEF, coordinator=creator)
    _set_details(trajectory, details)
    trajectory.memberships.append(
        Membership(user=creator, organisation=organisation, layer=layer, role=Role.PROJECTLEIDER)
    )
    instantiate_template(trajectory)
    db.session.add(trajectory)
    db.session.flush()
    return trajectory


def update_trajectory(
    trajectory: Trajectory, details: TrajectoryDetails, status: TrajectoryStatus, coordinator_id: int | None
) -> None:
    """``coordinator_id`` is a user id; only a member of the trajectory can coordinate it."""
    _set_details(trajectory, details)
    trajectory.status = status
    member_ids = {m.user_id for m in trajectory.memberships}
    trajectory.coordinator_id = coordinator_id if coordinator_id in member_ids else None
    db.session.flush()


# --- decisions ------------------------------------------------------------------------------


def current_decisions(trajectory: Trajectory) -> dict[DecisionKind, Decision]:
    """The latest decision of each kind (``trajectory.decisions`` is newest first)."""
    current: dict[DecisionKind, Decision] = {}
    for decision in trajectory.decisions:
        current.setdefault(decision.kind, decision)
    return current


# --- progress (counted in tracker.trajectories.progress) -----------------------------------------


def open_questions(trajectory: Trajectory, number: int) -> int:
    """Questions of the phase that apply and are not done yet."""
    return progress_for([trajectory.id])[trajectory.id].phase(number).still_open


# --- listings -------------------------------------------------------------------------------


def visible_trajectories(user: User) -> sa.Select:
    """The trajectories the user may see, with what the overview shows (the members' roles, for
    the user's own; the decisions), by status, name and id. Not the members' users and
    organisations: the overview names neither, and at 50 rows they were most of its ORM objects."""
    stmt = sa.select(Trajectory).options(
        selectinload(Trajectory.memberships),
        selectinload(Trajectory.decisions),
    )
    if not user.is_admin:
        stmt = stmt.where(
            Trajectory.id.in_(sa.select(Membership.trajectory_id).where(Membership.user_id == user.id))
        )
    return stmt.order_by(Trajectory.status, Trajectory.name, Trajectory.id)


def items_for_layer(trajectory: Trajectory, layer: Layer) -> list[ChecklistItem]:
    """Items accountable to the layer, or owned by a member of that layer."""
    stmt = (
        sa.select(ChecklistItem)
        .outerjoin(Membership, ChecklistItem.owner_id == Membership.id)
        .where(
            ChecklistItem.trajectory_id == trajectory.id,
            ChecklistItem.archived_at.is_(None),
            sa.or_(ChecklistItem.accountable_layer == layer, Membership.layer == layer),
        )
        .options(
            joinedload(ChecklistItem.section).joinedload(Section.phase),
            joinedload(ChecklistItem.owner).joinedload(Membership.user),
        )
    )
    items = list(db.session.scalars(stmt))
    items.sort(key=lambda i: (i.section.phase.number, i.section.position, i.position))
    return items


def ownership_by_layer(trajectory: Trajectory) -> dict[Layer, list[dict]]:
    """Per layer, each member with the number of open and done items they own."""
    rows = db.session.execute(
        sa.select(ChecklistItem.owner_id, ChecklistItem.status, sa.func.count())
        .where(
            ChecklistItem.trajectory_id == trajectory.id,
            ChecklistItem.archived_at.is_(None),
            ChecklistItem.owner_id.is_not(None),
        )
        .group_by(ChecklistItem.owner_id, ChecklistItem.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for owner_id, status, count in rows:
        if owner_id is None:  # excluded by the query
            continue
        c = counts.setdefault(owner_id, {"open": 0, "done": 0, "total": 0})
        c["total"] += count
        if status == ItemStatus.AFGEROND:
            c["done"] += count
        elif status in (ItemStatus.OPEN, ItemStatus.IN_BEHANDELING):
            c["open"] += count
    result: dict[Layer, list[dict]] = {layer: [] for layer in Layer}
    for m in trajectory.memberships:
        result[m.layer].append({"member": m, **counts.get(m.id, {"open": 0, "done": 0, "total": 0})})
    return result
