"""Trajectories, members, decisions, the start reflection and progress. Writes flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.content import handreiking
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    ChecklistItem,
    Decision,
    DecisionKind,
    DecisionOutcome,
    ItemStatus,
    Layer,
    Membership,
    Movement,
    Organisation,
    Phase,
    Role,
    Section,
    StartReflection,
    Trajectory,
    TrajectoryStatus,
    User,
)

TRAJECTORY_FIELDS = ("name", "theme", "target_groups", "area", "start_date")


class MembershipError(ValueError):
    """A user-facing reason why a membership change is refused."""


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


def create_trajectory(data: dict, *, creator: User, organisation: Organisation, layer: Layer) -> Trajectory:
    trajectory = Trajectory(
        **{k: data[k] for k in TRAJECTORY_FIELDS},
        focus_layer=Layer(data["focus_layer"]),
        status=TrajectoryStatus.ACTIEF,
        coordinator=creator,
    )
    trajectory.memberships.append(
        Membership(user=creator, organisation=organisation, layer=layer, role=Role.PROJECTLEIDER)
    )
    instantiate_template(trajectory)
    db.session.add(trajectory)
    db.session.flush()
    return trajectory


def update_trajectory(trajectory: Trajectory, data: dict) -> None:
    for key in TRAJECTORY_FIELDS:
        setattr(trajectory, key, data[key])
    trajectory.focus_layer = Layer(data["focus_layer"])
    trajectory.status = TrajectoryStatus(data["status"])
    coordinator_id = int(data["coordinator_id"]) if data.get("coordinator_id") else None
    member_ids = {m.user_id for m in trajectory.memberships}
    trajectory.coordinator_id = coordinator_id if coordinator_id in member_ids else None
    db.session.flush()


# --- members --------------------------------------------------------------------------------


def add_member(
    trajectory: Trajectory, user: User, organisation: Organisation, layer: str, role: str
) -> Membership:
    if any(m.user_id == user.id for m in trajectory.memberships):
        raise MembershipError("duplicate")
    membership = Membership(user=user, organisation=organisation, layer=Layer(layer), role=Role(role))
    trajectory.memberships.append(membership)
    db.session.flush()
    return membership


def _project_leads(trajectory: Trajectory) -> list[Membership]:
    return [m for m in trajectory.memberships if m.role == Role.PROJECTLEIDER]


def update_member(membership: Membership, organisation: Organisation, layer: str, role: str) -> None:
    new_role = Role(role)
    leads = _project_leads(membership.trajectory)
    if membership.role == Role.PROJECTLEIDER and new_role != Role.PROJECTLEIDER and len(leads) == 1:
        raise MembershipError("last_lead")
    membership.organisation = organisation
    membership.layer = Layer(layer)
    membership.role = new_role
    db.session.flush()


# --- decisions and reflection ---------------------------------------------------------------

DECISION_TEXT_FIELDS = (
    "rationale",
    "decided_by",
    "open_questions",
    "shared_vision",
    "shared_ambition",
    "agreement_goal",
    "agreement_target_groups",
    "agreement_consists_of",
    "agreement_direction",
    "agreement_accountability",
)


def record_decision(trajectory: Trajectory, kind: DecisionKind, data: dict, *, by: User) -> Decision:
    """Decisions are never edited: a new one is recorded and the history stays."""
    decision = Decision(
        kind=kind,
        outcome=DecisionOutcome(data["outcome"]),
        decided_on=data["decided_on"],
        recorded_by=by,
        **{k: data.get(k) or "" for k in DECISION_TEXT_FIELDS},
    )
    trajectory.decisions.append(decision)
    db.session.flush()
    return decision


def current_decisions(trajectory: Trajectory) -> dict[DecisionKind, Decision]:
    """The latest decision of each kind (``trajectory.decisions`` is newest first)."""
    current: dict[DecisionKind, Decision] = {}
    for decision in trajectory.decisions:
        current.setdefault(decision.kind, decision)
    return current


def stale_reflections(trajectory: Trajectory, entries: list[dict]) -> list[StartReflection]:
    """The aspects someone else saved since the form was loaded."""
    versions = {e.get("aspect_key"): e.get("version") for e in entries}
    return [
        r
        for r in trajectory.reflections
        if versions.get(r.aspect_key) and versions[r.aspect_key] != str(r.version)
    ]


def update_reflection(trajectory: Trajectory, entries: list[dict]) -> None:
    by_key: dict[str | None, StartReflection] = {r.aspect_key: r for r in trajectory.reflections}
    for entry in entries:
        reflection = by_key.get(entry.get("aspect_key"))
        if reflection is None:
            continue
        reflection.movement = Movement(entry["movement"]) if entry.get("movement") else None
        reflection.note = entry.get("note") or ""
    db.session.flush()


# --- progress -------------------------------------------------------------------------------


@dataclass
class PhaseProgress:
    number: int
    total: int = 0
    applicable: int = 0
    done: int = 0
    in_progress: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0

    @property
    def state(self) -> str:
        """'not_started', 'in_progress' or 'done' (all applicable items done)."""
        if self.applicable and self.done == self.applicable:
            return "done"
        if self.done or self.in_progress:
            return "in_progress"
        return "not_started"


@dataclass
class TrajectoryProgress:
    phases: dict[int, PhaseProgress] = field(default_factory=dict)

    def phase(self, number: int) -> PhaseProgress:
        return self.phases.setdefault(number, PhaseProgress(number))


def progress_for(trajectory_ids: list[int]) -> dict[int, TrajectoryProgress]:
    """Phase progress for many trajectories in one aggregate query."""
    result = {tid: TrajectoryProgress() for tid in trajectory_ids}
    if not trajectory_ids:
        return result
    rows = db.session.execute(
        sa.select(ChecklistItem.trajectory_id, Phase.number, ChecklistItem.status, sa.func.count())
        .join(Section, ChecklistItem.section_id == Section.id)
        .join(Phase, Section.phase_id == Phase.id)
        .where(ChecklistItem.trajectory_id.in_(trajectory_ids), ChecklistItem.archived_at.is_(None))
        .group_by(ChecklistItem.trajectory_id, Phase.number, ChecklistItem.status)
    )
    for tid, number, status, count in rows:
        p = result[tid].phase(number)
        p.total += count
        if status != ItemStatus.NVT:
            p.applicable += count
        if status == ItemStatus.AFGEROND:
            p.done += count
        elif status == ItemStatus.IN_BEHANDELING:
            p.in_progress += count
    for progress in result.values():
        for number in range(1, 5):
            progress.phase(number)
    return result


def open_questions(trajectory: Trajectory, number: int) -> int:
    """Questions of the phase that apply and are not done yet."""
    phase = progress_for([trajectory.id])[trajectory.id].phase(number)
    return phase.applicable - phase.done


# --- listings -------------------------------------------------------------------------------


def visible_trajectories(user: User) -> list[Trajectory]:
    stmt = sa.select(Trajectory).options(
        selectinload(Trajectory.memberships).joinedload(Membership.user),
        selectinload(Trajectory.memberships).joinedload(Membership.organisation),
        joinedload(Trajectory.coordinator),
        selectinload(Trajectory.decisions),
    )
    if not user.is_admin:
        stmt = stmt.where(
            Trajectory.id.in_(sa.select(Membership.trajectory_id).where(Membership.user_id == user.id))
        )
    return list(db.session.scalars(stmt.order_by(Trajectory.status, Trajectory.name)))


def my_items(user: User, *, include_done: bool = False) -> list[ChecklistItem]:
    """Items owned by the user across trajectories: overdue first, then by due date."""
    today = date.today()
    stmt = (
        sa.select(ChecklistItem)
        .join(Membership, ChecklistItem.owner_id == Membership.id)
        .where(Membership.user_id == user.id, ChecklistItem.archived_at.is_(None))
        .options(
            joinedload(ChecklistItem.trajectory),
            joinedload(ChecklistItem.section).joinedload(Section.phase),
        )
    )
    if not include_done:
        stmt = stmt.where(ChecklistItem.status.in_([ItemStatus.OPEN, ItemStatus.IN_BEHANDELING]))
    items = list(db.session.scalars(stmt))
    items.sort(
        key=lambda i: (
            not i.is_overdue(today),
            i.due_date is None,
            i.due_date or date.max,
            i.trajectory.name,
            i.section.phase.number,
            i.section.position,
            i.position,
        )
    )
    return items


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


# --- history --------------------------------------------------------------------------------

HISTORY_PAGE = 100


def history(
    trajectory: Trajectory,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    before: int | None = None,
) -> list[AuditEvent]:
    """Audit events of the trajectory, newest first; optionally of one record."""
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.trajectory_id == trajectory.id)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.id.desc())
        .limit(HISTORY_PAGE)
    )
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    return list(db.session.scalars(stmt))
