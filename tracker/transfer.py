"""Backups and moving one trajectory between installations (JSON export and import)."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import (
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
    Sector,
    StartReflection,
    Trajectory,
    TrajectoryStatus,
    User,
    utcnow,
)
from tracker.security import hash_password

FORMAT = "beter-samen-trajectory"
FORMAT_VERSION = 1

DECISION_FIELDS = (
    "rationale", "decided_by", "open_questions", "shared_vision", "shared_ambition", "agreement_goal",
    "agreement_target_groups", "agreement_consists_of", "agreement_direction", "agreement_accountability",
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


def export_trajectory(trajectory: Trajectory) -> dict[str, Any]:
    trajectory = db.session.scalar(
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
    )
    email_of = {m.id: m.user.email for m in trajectory.memberships}
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
                                "accountable_layer": i.accountable_layer.value if i.accountable_layer else None,
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


# --- import ---------------------------------------------------------------------------------


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def import_trajectory(data: dict[str, Any]) -> tuple[Trajectory, list[str]]:
    """Recreate an exported trajectory. Unknown people get an inactive account (an administrator
    activates it and sets a password); returns the trajectory and the emails of those accounts."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
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
                user = User(email=email, name=name or email, password_hash=hash_password(secrets.token_urlsafe(32)),
                            active=False)
                db.session.add(user)
                created.append(email)
            users[email] = user
        return users[email]

    t = data["trajectory"]
    trajectory = Trajectory(
        name=t["name"], theme=t["theme"], target_groups=t["target_groups"], area=t["area"],
        focus_layer=Layer(t["focus_layer"]), start_date=_date(t["start_date"]), status=TrajectoryStatus(t["status"]),
        template_version=t["template_version"],
    )
    members: dict[str, Membership] = {}
    for m in data["members"]:
        membership = Membership(
            user=user_for(m["email"], m["name"]), organisation=organisations[m["organisation"]],
            layer=Layer(m["layer"]), role=Role(m["role"]),
        )
        trajectory.memberships.append(membership)
        members[m["email"]] = membership
    if t.get("coordinator_email"):
        trajectory.coordinator = user_for(t["coordinator_email"])
    for p in data["phases"]:
        phase = Phase(number=p["number"], title=p["title"], intro=p["intro"], closing=p["closing"])
        trajectory.phases.append(phase)
        for s in p["sections"]:
            section = Section(code=s["code"], title=s["title"], intro=s["intro"], outro=s["outro"],
                              position=s["position"])
            phase.sections.append(section)
            for i in s["items"]:
                section.items.append(ChecklistItem(
                    trajectory=trajectory, position=i["position"], text=i["text"], is_custom=i["is_custom"],
                    answer=i["answer"], status=ItemStatus(i["status"]),
                    owner=members.get(i["owner_email"]) if i["owner_email"] else None,
                    accountable_layer=Layer(i["accountable_layer"]) if i["accountable_layer"] else None,
                    due_date=_date(i["due_date"]), archived_at=_datetime(i["archived_at"]),
                ))
    for d in data["decisions"]:
        trajectory.decisions.append(Decision(
            kind=DecisionKind(d["kind"]), outcome=DecisionOutcome(d["outcome"]), decided_on=_date(d["decided_on"]),
            recorded_by=user_for(d["recorded_by_email"]) if d["recorded_by_email"] else None,
            created_at=_datetime(d["created_at"]), **{f: d[f] for f in DECISION_FIELDS},
        ))
    for r in data["reflections"]:
        trajectory.reflections.append(StartReflection(
            aspect_key=r["aspect_key"], position=r["position"], title=r["title"], explanation=r["explanation"],
            movement=Movement(r["movement"]) if r["movement"] else None, note=r["note"],
        ))
    db.session.add(trajectory)
    db.session.flush()
    return trajectory, created
