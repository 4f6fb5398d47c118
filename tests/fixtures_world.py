"""Factories (users, organisations, trajectories, actions), logging in, and the `world`: two
trajectories with users in every role, built once per worker and restored for every other test."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extensions import db
from tracker.models import Layer, Organisation, Role, Sector, Trajectory, User

from .snapshots import Numbers, build_once

PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def make_user(app):
    numbers = Numbers()

    def make(name: str | None = None, *, email: str | None = None, admin: bool = False) -> User:
        from tracker.auth.services import create_user

        n = numbers.next()
        user = create_user(
            email or f"user{n}@example.org", name or f"Gebruiker {n}", PASSWORD, is_admin=admin
        )
        db.session.commit()
        return user

    make.numbers = numbers  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_org(app):
    numbers = Numbers()

    def make(name: str | None = None, sector: Sector = Sector.GGD_JGZ) -> Organisation:
        org = Organisation(name=name or f"Organisatie {numbers.next()}", sector=sector)
        db.session.add(org)
        db.session.commit()
        return org

    make.numbers = numbers  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_trajectory(app, make_user, make_org):
    """A trajectory with a project lead; ``members`` maps a role name to a layer (or a list)."""

    def make(
        lead: User | None = None, *, name: str = "Preventie van pesten", members: dict | None = None
    ) -> Trajectory:
        from tracker.members.services import add_member
        from tracker.trajectories.services import TrajectoryDetails, create_trajectory

        lead = lead or make_user("Projectleider")
        org = make_org()
        trajectory = create_trajectory(
            TrajectoryDetails(
                name=name,
                theme="Preventie van pesten",
                target_groups="Jeugd 12-16",
                area="Rivierenwijk",
                start_date=date(2026, 1, 5),
                focus_layer=Layer.UITVOEREND,
            ),
            creator=lead,
            organisation=org,
            layer=Layer.UITVOEREND,
        )
        for role, user in (members or {}).items():
            add_member(
                trajectory, user, org, Layer.MANAGEMENT if role == "manager" else Layer.UITVOEREND, Role(role)
            )
        db.session.commit()
        return trajectory

    return make


@pytest.fixture
def login(client):
    def do(user: User, password: str = PASSWORD, remember: bool = False):
        response = client.post(
            "/inloggen", data={"email": user.email, "password": password, "remember": "y" if remember else ""}
        )
        assert response.status_code == 302, response.data[:500]
        return response

    return do


@pytest.fixture
def world(app, make_user, make_org, make_trajectory):
    """Two trajectories; users in every role of trajectory A and a lead of trajectory B. Built once
    per worker and restored for every other test (tests/snapshots.py)."""
    return build_once(
        "world",
        app.config["UPLOAD_FOLDER"],
        lambda: _build_world(make_user, make_trajectory),
        numbers=(make_user.numbers, make_org.numbers),
    )


def _build_world(make_user, make_trajectory) -> dict:
    users = {
        "projectleider": make_user("Pia Projectleider"),
        "manager": make_user("Manon Manager"),
        "teamlid": make_user("Tim Teamlid"),
        "meekijker": make_user("Mees Meekijker"),
        "outsider": make_user("Otto Buitenstaander"),
        "admin": make_user("Ada Beheer", admin=True),
    }
    a = make_trajectory(
        users["projectleider"],
        name="Traject A",
        members={"manager": users["manager"], "teamlid": users["teamlid"], "meekijker": users["meekijker"]},
    )
    b = make_trajectory(users["outsider"], name="Traject B")
    from tracker.actions import services as actions
    from tracker.models import ActionStatus, PdcaStage, PlanKind, PlanStatus
    from tracker.plans import services as plans

    lead = a.memberships[0]
    plan = plans.create_plan(
        a,
        plans.PlanValues(
            kind=PlanKind.EXTERN,
            responsible_id=lead.id,
            purpose="Samen pesten voorkomen",
            status=PlanStatus.ACTIEF,
        ),
        cycle_start=date(2026, 1, 5),
        cycle_end=date(2026, 3, 31),
    )
    milestone = plans.create_milestone(
        a, plan, plans.MilestoneValues(title="Aanpak vastgesteld", target_date=date(2026, 3, 1))
    )
    action = actions.create_action(
        a,
        plan,
        actions.ActionValues(
            title="Bijeenkomst organiseren",
            owner_id=lead.id,
            due_date=date(2026, 2, 1),
            status=ActionStatus.GEPLAND,
            stage=PdcaStage.PLAN,
            milestone_id=milestone.id,
        ),
    )
    from datetime import timedelta

    from tracker.content import frameworks
    from tracker.evaluations.schedules import ScheduleSettings, factor_snapshot, save_schedule
    from tracker.models import Cadence, EvaluationRound

    today = date.today()
    schedule = save_schedule(
        a,
        ScheduleSettings(
            framework="ksf",
            cadence=Cadence.KWARTAAL,
            first_date=today - timedelta(days=2),
            open_days=14,
            remind_days_before=3,
            layers=[],
            anonymous=False,
        ),
    )
    closed = EvaluationRound(
        trajectory_id=a.id,
        name="2025 K4",
        framework="ksf",
        factors=factor_snapshot(frameworks()["ksf"]),
        opens_on=today - timedelta(days=100),
        closes_on=today - timedelta(days=86),
    )
    db.session.add(closed)
    import io

    from tracker.ambitions import services as ambitions_services
    from tracker.models import Meeting, NetworkPartner, ProcessStep, ResultKind, Workshop
    from tracker.workshops import services as workshops_services

    partner = NetworkPartner(
        trajectory_id=a.id, organisation_id=lead.organisation_id, contribution="Jeugdzorg"
    )
    meeting = Meeting(trajectory_id=a.id, held_on=today, purpose="Kennismaken")
    step = ProcessStep(trajectory_id=a.id, position=1, title="Signalering", gap=True)
    ambition = ambitions_services.save_ambition(
        a,
        None,
        ambitions_services.AmbitionValues(
            title="Minder pesten", result_kind=ResultKind.PROBLEEM, result="Minder kinderen worden gepest"
        ),
    )
    workshop = Workshop(trajectory_id=a.id, held_on=today, title="Taart van ambities")
    db.session.add_all([partner, meeting, step, workshop])
    db.session.flush()
    workshops_services.store_photo(workshop, io.BytesIO(PNG))
    db.session.commit()
    return {
        "users": users,
        "a": a,
        "b": b,
        "plan": plan,
        "milestone": milestone,
        "action": action,
        "schedule": schedule,
        "round": closed,
        "partner": partner,
        "meeting": meeting,
        "step": step,
        "ambition": ambition,
        "workshop": workshop,
    }


# The smallest valid PNG (1×1, transparent).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a6c5"
    "0000000049454e44ae426082"
)


@pytest.fixture
def make_actions(world):
    """Adds ``n`` actions to trajectory A's external plan, spread over members, statuses and dates."""

    def make(n: int) -> None:
        from datetime import timedelta

        from tracker.actions import services
        from tracker.models import ActionStatus, PdcaStage

        a = world["a"]
        members = a.memberships
        for i in range(n):
            services.create_action(
                a,
                world["plan"],
                services.ActionValues(
                    title=f"Actie {i}",
                    owner_id=members[i % len(members)].id,
                    due_date=date.today() + timedelta(days=(i % 40) - 20),
                    status=list(ActionStatus)[i % 5],
                    stage=PdcaStage.DO,
                    milestone_id=world["milestone"].id if i % 3 == 0 else None,
                ),
            )
        db.session.commit()

    return make
