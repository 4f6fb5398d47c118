"""One real value for every argument of the app's URLs, and URL rules filled in with them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tracker.extensions import db

from .snapshots import build_once


@pytest.fixture
def url_args(app, world) -> dict[str, object]:
    """One real value for every argument of the app's URLs, from the `world` fixture: the one table
    the access matrix, the query-parameter and the hostile-input tests fill URL rules from. What it
    adds to the world is built once per worker and restored for every other test, like the world
    itself (tests/snapshots.py)."""
    return build_once("url_args", app.config["UPLOAD_FOLDER"], lambda: _build_url_args(world), on="world")


def _build_url_args(world) -> dict[str, object]:
    from tracker.invitations.services import invite
    from tracker.models import ChecklistItem, Layer, Role

    a = world["a"]
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.trajectory_id == a.id).limit(1))
    teamlid = next(m for m in a.memberships if m.role == Role.TEAMLID)
    invitation, invite_token = invite(
        a,
        "uitgenodigd@example.org",
        teamlid.organisation,
        Layer.UITVOEREND,
        Role.TEAMLID,
        by=world["users"]["projectleider"],
    )
    from tracker.passwords.services import request_reset

    _reset, reset_token = request_reset(world["users"]["teamlid"].email)
    from tracker.models import ResultKind, WorkshopAmbition, WorkshopJointStep

    shared = WorkshopAmbition(
        workshop=world["workshop"], title="Samen sterk", result_kind=list(ResultKind)[0]
    )
    joint = WorkshopJointStep(
        workshop=world["workshop"], title="Overleg plannen", owner_id=teamlid.id, due_date=date.today()
    )
    db.session.add_all([shared, joint])
    db.session.commit()
    return {
        "trajectory_id": a.id,
        "item_id": item.id,
        "section_id": item.section_id,
        "membership_id": teamlid.id,
        "number": 1,
        "layer": "bestuur",
        "kind": "fase1",
        "user_id": world["users"]["teamlid"].id,
        "organisation_id": teamlid.organisation_id,
        "plan_id": world["plan"].id,
        "cycle_id": world["plan"].cycles[0].id,
        "action_id": world["action"].id,
        "milestone_id": world["milestone"].id,
        "fmt": "csv",
        "round_id": world["round"].id,
        "opens": world["schedule"].first_date.isoformat(),
        "partner_id": world["partner"].id,
        "meeting_id": world["meeting"].id,
        "step_id": world["step"].id,
        "ambition_id": world["ambition"].id,
        "workshop_id": world["workshop"].id,
        "shared_id": shared.id,
        "joint_id": joint.id,
        "token": world["users"]["teamlid"].calendar_token,
        "invitation_id": invitation.id,
        "invite_token": invite_token,
        "reset_token": reset_token,
    }


def fill_rule(rule: str, args: dict[str, object]) -> str:
    """A URL rule with every argument replaced by its value from ``url_args``."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), rule)
    return url
