"""Backups and moving one trajectory between installations (JSON export and import)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.access import results_visible
from tracker.extensions import db
from tracker.models import (
    ActDecision,
    Action,
    ActionStatus,
    Agreement,
    Ambition,
    Ballot,
    Cadence,
    ChecklistItem,
    Color,
    Cycle,
    Decision,
    DecisionKind,
    DecisionOutcome,
    EvaluationRound,
    EvaluationSchedule,
    ItemStatus,
    Layer,
    Meeting,
    MeetingAttendee,
    Membership,
    Milestone,
    Movement,
    NetworkPartner,
    NoteCategory,
    Objective,
    Organisation,
    PdcaStage,
    Perception,
    Phase,
    Plan,
    PlanKind,
    PlanStatus,
    ProcessStep,
    Relation,
    ResultKind,
    Role,
    Section,
    Sector,
    StartReflection,
    Trajectory,
    TrajectoryStatus,
    User,
    Vote,
    Workshop,
    WorkshopNote,
    WorkshopParticipant,
    utcnow,
)
from tracker.security import hash_password

FORMAT = "beter-samen-trajectory"
FORMAT_VERSION = 1

DECISION_FIELDS = (
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


class ImportError_(ValueError):
    """The file is not a trajectory export this installation understands."""


# --- backup ---------------------------------------------------------------------------------


def backup_sqlite(database_path: str, target: Path) -> None:
    """SQLite's online backup: a consistent copy, safe while the app keeps writing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


# --- export ---------------------------------------------------------------------------------


def _d(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_trajectory(trajectory: Trajectory, *, open_round_ballots: bool = False) -> dict[str, Any]:
    """The trajectory as a JSON-ready dict. Ballots of rounds whose results are not visible yet
    (see :func:`tracker.access.results_visible`) are left out unless ``open_round_ballots`` (the
    operator's command-line transfer): a member must not learn a round's votes from an export."""
    trajectory = db.session.scalars(
        sa.select(Trajectory)
        .where(Trajectory.id == trajectory.id)
        .options(
            selectinload(Trajectory.memberships).joinedload(Membership.user),
            selectinload(Trajectory.memberships).joinedload(Membership.organisation),
            selectinload(Trajectory.phases).selectinload(Phase.sections).selectinload(Section.items),
            selectinload(Trajectory.decisions),
            selectinload(Trajectory.reflections),
        )
        .execution_options(populate_existing=True)
    ).one()
    email_of: dict[int | None, str] = {m.id: m.user.email for m in trajectory.memberships}
    organisations = {m.organisation.name: m.organisation.sector.value for m in trajectory.memberships}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "trajectory": {
            "name": trajectory.name,
            "theme": trajectory.theme,
            "target_groups": trajectory.target_groups,
            "area": trajectory.area,
            "coordinator_email": trajectory.coordinator.email if trajectory.coordinator else None,
            "focus_layer": trajectory.focus_layer.value,
            "start_date": _d(trajectory.start_date),
            "status": trajectory.status.value,
            "template_version": trajectory.template_version,
        },
        "organisations": [{"name": n, "sector": s} for n, s in sorted(organisations.items())],
        "members": [
            {
                "email": m.user.email,
                "name": m.user.name,
                "organisation": m.organisation.name,
                "layer": m.layer.value,
                "role": m.role.value,
            }
            for m in trajectory.memberships
        ],
        "phases": [
            {
                "number": p.number,
                "title": p.title,
                "intro": p.intro,
                "closing": p.closing,
                "sections": [
                    {
                        "code": s.code,
                        "title": s.title,
                        "intro": s.intro,
                        "outro": s.outro,
                        "position": s.position,
                        "items": [
                            {
                                "position": i.position,
                                "text": i.text,
                                "is_custom": i.is_custom,
                                "answer": i.answer,
                                "status": i.status.value,
                                "owner_email": email_of.get(i.owner_id),
                                "accountable_layer": i.accountable_layer.value
                                if i.accountable_layer
                                else None,
                                "due_date": _d(i.due_date),
                                "archived_at": _d(i.archived_at),
                            }
                            for i in s.items
                        ],
                    }
                    for s in p.sections
                ],
            }
            for p in trajectory.phases
        ],
        "decisions": [
            {
                "kind": d.kind.value,
                "outcome": d.outcome.value,
                "decided_on": _d(d.decided_on),
                "recorded_by_email": d.recorded_by.email if d.recorded_by else None,
                "created_at": _d(d.created_at),
                **{f: getattr(d, f) for f in DECISION_FIELDS},
            }
            for d in sorted(trajectory.decisions, key=lambda d: d.id)
        ],
        **_export_rest(trajectory, email_of, open_round_ballots),
        "reflections": [
            {
                "aspect_key": r.aspect_key,
                "position": r.position,
                "title": r.title,
                "explanation": r.explanation,
                "movement": r.movement.value if r.movement else None,
                "note": r.note,
            }
            for r in trajectory.reflections
        ],
    }


def _export_rest(
    trajectory: Trajectory, email_of: dict[int | None, str], open_round_ballots: bool
) -> dict[str, Any]:
    """Plans, evaluations and the work inside the phases, with references between them by
    position (never by database id, which means nothing in another installation)."""
    rounds = db.session.scalars(
        sa.select(EvaluationRound.id)
        .where(EvaluationRound.trajectory_id == trajectory.id)
        .order_by(EvaluationRound.opens_on)
    ).all()
    steps = db.session.scalars(
        sa.select(ProcessStep.id)
        .where(ProcessStep.trajectory_id == trajectory.id)
        .order_by(ProcessStep.position, ProcessStep.id)
    ).all()
    ambitions = db.session.scalars(
        sa.select(Ambition)
        .where(Ambition.trajectory_id == trajectory.id)
        .options(selectinload(Ambition.objectives))
        .order_by(Ambition.id)
    ).all()
    ctx = {
        "items": {i.id: [i.section.code, i.position] for i in trajectory.items},
        "rounds": {rid: n for n, rid in enumerate(rounds)},
        "steps": {sid: n for n, sid in enumerate(steps)},
        "ambitions": {a.id: n for n, a in enumerate(ambitions)},
        "objectives": {o.id: [n, m] for n, a in enumerate(ambitions) for m, o in enumerate(a.objectives)},
        "actions": {},
    }
    plans = _export_plans(trajectory, email_of, ctx)
    return {
        "plans": plans,
        "evaluations": _export_evaluations(trajectory, email_of, open_round_ballots),
        "network": _export_network(trajectory, email_of, ctx, ambitions),
    }


def _source_ref(action: Action, ctx: dict[str, Any]):
    if action.source_type == "checklist_item":
        return ctx["items"].get(action.source_id)
    if action.source_type == "red_card":
        return ctx["rounds"].get(action.source_id)
    if action.source_type == "process_step":
        return ctx["steps"].get(action.source_id)
    return None  # meeting agreements and workshop first steps are linked from their own side


def _export_plans(
    trajectory: Trajectory, email_of: dict[int | None, str], ctx: dict[str, Any]
) -> list[dict[str, Any]]:
    plans = db.session.scalars(
        sa.select(Plan)
        .where(Plan.trajectory_id == trajectory.id)
        .order_by(Plan.id)
        .options(selectinload(Plan.cycles), selectinload(Plan.milestones), joinedload(Plan.organisation))
    ).all()
    actions_by_plan: dict[int, list[Action]] = {}
    for action in db.session.scalars(
        sa.select(Action).where(Action.trajectory_id == trajectory.id).order_by(Action.id)
    ):
        actions_by_plan.setdefault(action.plan_id, []).append(action)
    result = []
    for plan_index, plan in enumerate(plans):
        for action_index, action in enumerate(actions_by_plan.get(plan.id, [])):
            ctx["actions"][action.id] = [plan_index, action_index]
        cycle_number: dict[int | None, int] = {c.id: c.number for c in plan.cycles}
        milestone_index: dict[int | None, int] = {m.id: n for n, m in enumerate(plan.milestones)}
        result.append(
            {
                "kind": plan.kind.value,
                "organisation": plan.organisation.name if plan.organisation else None,
                "responsible_email": email_of.get(plan.responsible_id),
                "purpose": plan.purpose,
                "status": plan.status.value,
                "cycles": [
                    {
                        "number": c.number,
                        "start_date": _d(c.start_date),
                        "end_date": _d(c.end_date),
                        "stage": c.stage.value,
                        "plan_text": c.plan_text,
                        "do_text": c.do_text,
                        "check_text": c.check_text,
                        "act_text": c.act_text,
                        "act_decision": c.act_decision.value if c.act_decision else None,
                        "closed_at": _d(c.closed_at),
                    }
                    for c in plan.cycles
                ],
                "milestones": [
                    {
                        "title": m.title,
                        "target_date": _d(m.target_date),
                        "expected_result": m.expected_result,
                        "achieved_on": _d(m.achieved_on),
                        "actual_result": m.actual_result,
                    }
                    for m in plan.milestones
                ],
                "actions": [
                    {
                        "title": a.title,
                        "description": a.description,
                        "owner_email": email_of.get(a.owner_id),
                        "due_date": _d(a.due_date),
                        "status": a.status.value,
                        "stage": a.stage.value,
                        "result": a.result,
                        "cycle": cycle_number[a.cycle_id],
                        "carried_from_cycle": cycle_number.get(a.carried_from_cycle_id),
                        "milestone": milestone_index.get(a.milestone_id),
                        "source_type": a.source_type,
                        "source": _source_ref(a, ctx),
                        "source_key": a.source_key,
                        "objective": ctx["objectives"].get(a.objective_id),
                        "archived_at": _d(a.archived_at),
                    }
                    for a in actions_by_plan.get(plan.id, [])
                ],
            }
        )
    return result


def _export_evaluations(
    trajectory: Trajectory, email_of: dict[int | None, str], open_round_ballots: bool
) -> dict[str, Any]:
    """The schedule and every round with its ballots. In anonymous rounds a ballot carries only
    the voter's layer and organisation, never who it was."""
    schedule = db.session.scalar(
        sa.select(EvaluationSchedule).where(EvaluationSchedule.trajectory_id == trajectory.id)
    )
    organisations: dict[int | None, str] = {o.id: o.name for o in db.session.scalars(sa.select(Organisation))}
    rounds = db.session.scalars(
        sa.select(EvaluationRound)
        .where(EvaluationRound.trajectory_id == trajectory.id)
        .options(selectinload(EvaluationRound.ballots).selectinload(Ballot.votes))
        .order_by(EvaluationRound.opens_on)
    ).all()
    return {
        "schedule": None
        if schedule is None
        else {
            "framework": schedule.framework,
            "cadence": schedule.cadence.value,
            "first_date": _d(schedule.first_date),
            "open_days": schedule.open_days,
            "remind_days_before": schedule.remind_days_before,
            "layers": schedule.layers,
            "anonymous": schedule.anonymous,
            "active": schedule.active,
        },
        "rounds": [
            {
                "name": r.name,
                "framework": r.framework,
                "factors": r.factors,
                "opens_on": _d(r.opens_on),
                "closes_on": _d(r.closes_on),
                "remind_on": _d(r.remind_on),
                "layers": r.layers,
                "anonymous": r.anonymous,
                "from_schedule": r.schedule_id is not None,
                "ballots": sorted(
                    [
                        {
                            "voter_email": None if r.anonymous else email_of.get(b.membership_id),
                            "layer": b.layer,
                            "organisation": organisations.get(b.organisation_id),
                            "votes": sorted(
                                [
                                    {"factor": v.factor, "color": v.color.value, "comment": v.comment}
                                    for v in b.votes
                                ],
                                key=lambda v: v["factor"],
                            ),
                        }
                        for b in (r.ballots if open_round_ballots or results_visible(r) else [])
                    ],
                    key=lambda b: (
                        b["layer"],
                        b["organisation"] or "",
                        b["voter_email"] or "",
                        str(b["votes"]),
                    ),
                ),
            }
            for r in rounds
        ],
    }


def _export_network(
    trajectory: Trajectory,
    email_of: dict[int | None, str],
    ctx: dict[str, Any],
    ambitions: Sequence[Ambition],
) -> dict[str, Any]:
    partners = db.session.scalars(
        sa.select(NetworkPartner)
        .where(NetworkPartner.trajectory_id == trajectory.id)
        .options(joinedload(NetworkPartner.organisation))
        .order_by(NetworkPartner.id)
    ).all()
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.trajectory_id == trajectory.id)
        .options(selectinload(Meeting.attendees), selectinload(Meeting.agreements))
        .order_by(Meeting.held_on, Meeting.id)
    ).all()
    steps = db.session.scalars(
        sa.select(ProcessStep)
        .where(ProcessStep.trajectory_id == trajectory.id)
        .options(selectinload(ProcessStep.organisations))
        .order_by(ProcessStep.position, ProcessStep.id)
    ).all()
    workshops = db.session.scalars(
        sa.select(Workshop)
        .where(Workshop.trajectory_id == trajectory.id)
        .options(selectinload(Workshop.participants), selectinload(Workshop.notes))
        .order_by(Workshop.held_on, Workshop.id)
    ).all()
    return {
        "client_goals": trajectory.client_goals,
        "client_goals_note": trajectory.client_goals_note,
        "partners": [
            {
                "organisation": p.organisation.name,
                "sector": p.organisation.sector.value,
                "contribution": p.contribution,
                "ambition": p.ambition,
                "perception": p.perception.value if p.perception else None,
                "direction": p.direction,
                "relation": p.relation.value if p.relation else None,
                "contact_email": email_of.get(p.contact_id),
            }
            for p in partners
        ],
        "meetings": [
            {
                "held_on": _d(m.held_on),
                "place": m.place,
                "purpose": m.purpose,
                "outcome_bestuur": m.outcome_bestuur,
                "outcome_management": m.outcome_management,
                "outcome_uitvoerend": m.outcome_uitvoerend,
                "outcome_mixed": m.outcome_mixed,
                "notes": m.notes,
                "attendees": [
                    {
                        "email": email_of.get(a.membership_id),
                        "member_name": a.member_name,
                        "guest_name": a.guest_name,
                        "guest_organisation": a.guest_organisation,
                        "guest_layer": a.guest_layer,
                    }
                    for a in m.attendees
                ],
                "agreements": [
                    {
                        "text": g.text,
                        "owner_email": email_of.get(g.owner_id),
                        "due_date": _d(g.due_date),
                        "action": ctx["actions"].get(g.action_id),
                    }
                    for g in m.agreements
                ],
            }
            for m in meetings
        ],
        "steps": [
            {
                "title": s.title,
                "function": s.function,
                "gap": s.gap,
                "overlap": s.overlap,
                "waiting": s.waiting,
                "handover": s.handover,
                "bottleneck": s.bottleneck,
                "solution": s.solution,
                "organisations": [o.name for o in s.organisations],
            }
            for s in steps
        ],
        "ambitions": [
            {
                "title": a.title,
                "result_kind": a.result_kind.value,
                "result": a.result,
                "active": a.active,
                "objectives": [o.text for o in a.objectives],
            }
            for a in ambitions
        ],
        "workshops": [
            {
                "held_on": _d(w.held_on),
                "title": w.title,
                "participants": [
                    {
                        "email": email_of.get(p.membership_id),
                        "name": p.display_name,
                        "role": p.role,
                        "grade": p.grade,
                        "first_step": p.first_step,
                        "action": ctx["actions"].get(p.action_id),
                    }
                    for p in w.participants
                ],
                "notes": [
                    {
                        "participant": [p.id for p in w.participants].index(n.participant_id),
                        "category": n.category.value,
                        "text": n.text,
                        "ambition": ctx["ambitions"].get(n.ambition_id),
                    }
                    for n in w.notes
                ],
            }
            for w in workshops
        ],
    }


# --- import ---------------------------------------------------------------------------------


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def import_trajectory(data: dict[str, Any]) -> tuple[Trajectory, list[str]]:
    """Recreate an exported trajectory. Unknown people get an inactive account (an administrator
    activates it and sets a password); returns the trajectory and the emails of those accounts."""
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("format_version") != FORMAT_VERSION
    ):
        raise ImportError_("Dit bestand is geen export van een BETER SAMEN-traject (formaat 1).")
    try:
        return _import(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportError_(f"Het bestand is onvolledig of beschadigd: {exc}") from exc


def _import(data: dict[str, Any]) -> tuple[Trajectory, list[str]]:
    created: list[str] = []
    organisations: dict[str, Organisation] = {}
    for org in data["organisations"]:
        existing = db.session.scalar(sa.select(Organisation).where(Organisation.name == org["name"]))
        organisations[org["name"]] = existing or Organisation(name=org["name"], sector=Sector(org["sector"]))
        db.session.add(organisations[org["name"]])

    users: dict[str, User] = {}

    def user_for(email: str, name: str = "") -> User:
        if email not in users:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = User(
                    email=email,
                    name=name or email,
                    password_hash=hash_password(secrets.token_urlsafe(32)),
                    active=False,
                )
                db.session.add(user)
                created.append(email)
            users[email] = user
        return users[email]

    t = data["trajectory"]
    trajectory = Trajectory(
        name=t["name"],
        theme=t["theme"],
        target_groups=t["target_groups"],
        area=t["area"],
        focus_layer=Layer(t["focus_layer"]),
        start_date=_date(t["start_date"]),
        status=TrajectoryStatus(t["status"]),
        template_version=t["template_version"],
    )
    members: dict[str, Membership] = {}
    for m in data["members"]:
        membership = Membership(
            user=user_for(m["email"], m["name"]),
            organisation=organisations[m["organisation"]],
            layer=Layer(m["layer"]),
            role=Role(m["role"]),
        )
        trajectory.memberships.append(membership)
        members[m["email"]] = membership
    if t.get("coordinator_email"):
        trajectory.coordinator = user_for(t["coordinator_email"])
    for p in data["phases"]:
        phase = Phase(number=p["number"], title=p["title"], intro=p["intro"], closing=p["closing"])
        trajectory.phases.append(phase)
        for s in p["sections"]:
            section = Section(
                code=s["code"], title=s["title"], intro=s["intro"], outro=s["outro"], position=s["position"]
            )
            phase.sections.append(section)
            for i in s["items"]:
                section.items.append(
                    ChecklistItem(
                        trajectory=trajectory,
                        position=i["position"],
                        text=i["text"],
                        is_custom=i["is_custom"],
                        answer=i["answer"],
                        status=ItemStatus(i["status"]),
                        owner=members.get(i["owner_email"]) if i["owner_email"] else None,
                        accountable_layer=Layer(i["accountable_layer"]) if i["accountable_layer"] else None,
                        due_date=_date(i["due_date"]),
                        archived_at=_datetime(i["archived_at"]),
                    )
                )
    for d in data["decisions"]:
        trajectory.decisions.append(
            Decision(
                kind=DecisionKind(d["kind"]),
                outcome=DecisionOutcome(d["outcome"]),
                decided_on=_date(d["decided_on"]),
                recorded_by=user_for(d["recorded_by_email"]) if d["recorded_by_email"] else None,
                created_at=_datetime(d["created_at"]),
                **{f: d[f] for f in DECISION_FIELDS},
            )
        )
    for r in data["reflections"]:
        trajectory.reflections.append(
            StartReflection(
                aspect_key=r["aspect_key"],
                position=r["position"],
                title=r["title"],
                explanation=r["explanation"],
                movement=Movement(r["movement"]) if r["movement"] else None,
                note=r["note"],
            )
        )
    db.session.add(trajectory)
    db.session.flush()
    network = data.get("network") or {}
    rounds = _import_evaluations(trajectory, data.get("evaluations") or {}, members, organisations)
    steps, ambitions = _import_network_first(trajectory, network, organisations)
    actions = _import_plans(
        trajectory,
        data.get("plans", []),
        members,
        organisations,
        {"rounds": rounds, "steps": steps, "ambitions": ambitions},
    )
    _import_network_rest(trajectory, network, members, organisations, actions, ambitions)
    return trajectory, created


def _import_network_first(
    trajectory: Trajectory, network: dict[str, Any], organisations: dict[str, Organisation]
) -> tuple[list[ProcessStep], list[Ambition]]:
    """Steps and ambitions first: actions refer to them."""
    trajectory.client_goals = network.get("client_goals")
    trajectory.client_goals_note = network.get("client_goals_note") or ""
    steps = []
    for position, s in enumerate(network.get("steps", []), start=1):
        step = ProcessStep(
            trajectory_id=trajectory.id,
            position=position,
            title=s["title"],
            function=s["function"],
            gap=s["gap"],
            overlap=s["overlap"],
            waiting=s["waiting"],
            handover=s["handover"],
            bottleneck=s["bottleneck"],
            solution=s["solution"],
        )
        step.organisations = [_organisation(organisations, name) for name in s["organisations"]]
        db.session.add(step)
        steps.append(step)
    ambitions = []
    for a in network.get("ambitions", []):
        ambition = Ambition(
            trajectory_id=trajectory.id,
            title=a["title"],
            result_kind=ResultKind(a["result_kind"]),
            result=a["result"],
            active=a["active"],
        )
        ambition.objectives = [Objective(text=text) for text in a["objectives"]]
        db.session.add(ambition)
        ambitions.append(ambition)
    db.session.flush()
    return steps, ambitions


def _organisation(organisations: dict[str, Organisation], name: str, sector: str = "anders") -> Organisation:
    if name not in organisations:
        existing = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
        organisations[name] = existing or Organisation(name=name, sector=Sector(sector))
        db.session.add(organisations[name])
    return organisations[name]


def _import_network_rest(
    trajectory: Trajectory,
    network: dict[str, Any],
    members: dict[str, Membership],
    organisations: dict[str, Organisation],
    actions: dict[tuple[int, int], Action],
    ambitions: list[Ambition],
) -> None:
    def action_for(ref):
        return actions.get(tuple(ref)) if ref else None

    for p in network.get("partners", []):
        organisation = _organisation(organisations, p["organisation"], p["sector"])
        db.session.flush()
        db.session.add(
            NetworkPartner(
                trajectory_id=trajectory.id,
                organisation_id=organisation.id,
                contribution=p["contribution"],
                ambition=p["ambition"],
                perception=Perception(p["perception"]) if p["perception"] else None,
                direction=p["direction"],
                relation=Relation(p["relation"]) if p["relation"] else None,
                contact=members.get(p["contact_email"]),
            )
        )
    for m in network.get("meetings", []):
        meeting = Meeting(
            trajectory_id=trajectory.id,
            held_on=_date(m["held_on"]),
            place=m["place"],
            purpose=m["purpose"],
            outcome_bestuur=m["outcome_bestuur"],
            outcome_management=m["outcome_management"],
            outcome_uitvoerend=m["outcome_uitvoerend"],
            outcome_mixed=m["outcome_mixed"],
            notes=m["notes"],
        )
        for a in m["attendees"]:
            member = members.get(a["email"]) if a["email"] else None
            meeting.attendees.append(
                MeetingAttendee(
                    membership=member,
                    member_name=(a.get("member_name") or "")[:200],
                    guest_name=a["guest_name"],
                    guest_organisation=a["guest_organisation"],
                    guest_layer=a["guest_layer"],
                )
            )
        db.session.add(meeting)
        for g in m["agreements"]:
            action = action_for(g["action"])
            agreement = Agreement(
                meeting=meeting,
                text=g["text"],
                owner=members.get(g["owner_email"]),
                due_date=_date(g["due_date"]),
            )
            db.session.add(agreement)
            db.session.flush()
            if action is not None:
                agreement.action_id = action.id
                action.source_id = agreement.id
    for w in network.get("workshops", []):
        workshop = Workshop(trajectory_id=trajectory.id, held_on=_date(w["held_on"]), title=w["title"])
        db.session.add(workshop)
        participants = []
        for p in w["participants"]:
            # A participant who is no longer a member keeps their contribution under their name.
            member = members.get(p["email"]) if p["email"] else None
            participant = WorkshopParticipant(
                workshop=workshop,
                membership=member,
                name=(p.get("name") or "")[:200],
                role=p["role"],
                grade=p["grade"],
                first_step=p["first_step"],
            )
            db.session.add(participant)
            db.session.flush()
            action = action_for(p["action"])
            if action is not None:
                participant.action_id = action.id
                action.source_id = participant.id
            participants.append(participant)
        for n in w["notes"]:
            if n["participant"] < len(participants):
                db.session.add(
                    WorkshopNote(
                        workshop=workshop,
                        participant=participants[n["participant"]],
                        category=NoteCategory(n["category"]),
                        text=n["text"],
                        ambition=ambitions[n["ambition"]] if n["ambition"] is not None else None,
                    )
                )
    db.session.flush()


def _import_evaluations(
    trajectory: Trajectory,
    data: dict[str, Any],
    members: dict[str, Membership],
    organisations: dict[str, Organisation],
) -> list[EvaluationRound]:
    schedule = None
    if data.get("schedule"):
        s = data["schedule"]
        schedule = EvaluationSchedule(
            trajectory_id=trajectory.id,
            framework=s["framework"],
            cadence=Cadence(s["cadence"]),
            first_date=_date(s["first_date"]),
            open_days=s["open_days"],
            remind_days_before=s["remind_days_before"],
            layers=s["layers"],
            anonymous=s["anonymous"],
            active=s["active"],
        )
        db.session.add(schedule)
        db.session.flush()
    rounds = []
    for r in data.get("rounds", []):
        evaluation_round = EvaluationRound(
            trajectory_id=trajectory.id,
            schedule_id=schedule.id if schedule and r["from_schedule"] else None,
            name=r["name"],
            framework=r["framework"],
            factors=r["factors"],
            opens_on=_date(r["opens_on"]),
            closes_on=_date(r["closes_on"]),
            remind_on=_date(r["remind_on"]),
            layers=r["layers"],
            anonymous=r["anonymous"],
        )
        db.session.add(evaluation_round)
        db.session.flush()
        rounds.append(evaluation_round)
        for b in r["ballots"]:
            member = members.get(b["voter_email"]) if b["voter_email"] else None
            organisation = organisations.get(b["organisation"]) if b["organisation"] else None
            ballot = Ballot(
                round_id=evaluation_round.id,
                membership_id=member.id if member else None,
                layer=b["layer"],
                organisation_id=organisation.id if organisation else None,
            )
            db.session.add(ballot)
            for v in b["votes"]:
                ballot.votes.append(Vote(factor=v["factor"], color=Color(v["color"]), comment=v["comment"]))
    db.session.flush()
    return rounds


def _import_plans(
    trajectory: Trajectory,
    plans: list[dict[str, Any]],
    members: dict[str, Membership],
    organisations: dict[str, Organisation],
    refs: dict[str, list],
) -> dict[tuple[int, int], Action]:
    items = {(i.section.code, i.position): i.id for i in trajectory.items}
    actions: dict[tuple[int, int], Action] = {}

    def source_id(a):
        ref = a["source"]
        if ref is None:
            return None
        if a["source_type"] == "checklist_item":
            return items.get(tuple(ref))
        if a["source_type"] == "red_card":
            return refs["rounds"][ref].id
        if a["source_type"] == "process_step":
            return refs["steps"][ref].id
        return None

    for plan_index, p in enumerate(plans):
        organisation = organisations[p["organisation"]] if p["organisation"] else None
        if p["kind"] != "extern" and organisation is None:
            raise ValueError("an internal plan names its organisation")
        plan = Plan(
            trajectory=trajectory,
            kind=PlanKind(p["kind"]),
            scope="extern" if p["kind"] == "extern" or organisation is None else f"intern-{organisation.id}",
            organisation=organisation,
            responsible=members.get(p["responsible_email"]),
            purpose=p["purpose"],
            status=PlanStatus(p["status"]),
        )
        cycles = {}
        for c in p["cycles"]:
            cycles[c["number"]] = Cycle(
                number=c["number"],
                start_date=_date(c["start_date"]),
                end_date=_date(c["end_date"]),
                stage=PdcaStage(c["stage"]),
                plan_text=c["plan_text"],
                do_text=c["do_text"],
                check_text=c["check_text"],
                act_text=c["act_text"],
                act_decision=ActDecision(c["act_decision"]) if c["act_decision"] else None,
                closed_at=_datetime(c["closed_at"]),
            )
            plan.cycles.append(cycles[c["number"]])
        milestones = []
        for m in p["milestones"]:
            milestone = Milestone(
                trajectory_id=trajectory.id,
                title=m["title"],
                target_date=_date(m["target_date"]),
                expected_result=m["expected_result"],
                achieved_on=_date(m["achieved_on"]),
                actual_result=m["actual_result"],
            )
            plan.milestones.append(milestone)
            milestones.append(milestone)
        db.session.add(plan)
        for action_index, a in enumerate(p["actions"]):
            objective = a.get("objective")
            action = Action(
                trajectory_id=trajectory.id,
                plan=plan,
                cycle=cycles[a["cycle"]],
                carried_from=cycles.get(a["carried_from_cycle"]) if a["carried_from_cycle"] else None,
                milestone=milestones[a["milestone"]] if a["milestone"] is not None else None,
                title=a["title"],
                description=a["description"],
                owner=members.get(a["owner_email"]),
                due_date=_date(a["due_date"]),
                status=ActionStatus(a["status"]),
                stage=PdcaStage(a["stage"]),
                result=a["result"],
                source_type=a["source_type"],
                source_id=source_id(a),
                source_key=a.get("source_key"),
                archived_at=_datetime(a["archived_at"]),
                objective=refs["ambitions"][objective[0]].objectives[objective[1]] if objective else None,
            )
            db.session.add(action)
            actions[(plan_index, action_index)] = action
    db.session.flush()
    return actions
